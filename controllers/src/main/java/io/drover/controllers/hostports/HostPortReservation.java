package io.drover.controllers.hostports;

/**
 * What the store keeps under a host port's key: who holds it and for which of its ports.
 *
 * @param podUid   the owning pod's uid: the reservation is the pod's until it is deleted (a pod created again under
 *                 the same name is another owner)
 * @param pod      {@code namespace/name}, for people and logs
 * @param node     the node whose port it is
 * @param protocol TCP, UDP or SCTP
 * @param hostPort the node's port
 * @param port     the pod's port it is published to
 */
public record HostPortReservation(String podUid, String pod, String node, String protocol, int hostPort, int port) {

    public String key() {
        return HostPortKeys.reservation(node, protocol, hostPort);
    }

    /** {@code 32768/TCP -> shop/web:80} */
    @Override
    public String toString() {
        return hostPort + "/" + protocol + " -> " + pod + ":" + port;
    }
}
