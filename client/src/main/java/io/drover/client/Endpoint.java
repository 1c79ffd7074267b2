package io.drover.client;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * One healthy endpoint of the watched service, as the registry answers it.
 *
 * @param address  its IP address
 * @param ports    its port numbers by the service's port names ("" for a single unnamed port)
 * @param instance the registered instance's id; null for a pod
 * @param pod      the pod's name; null for an external instance
 * @param node     the node the pod runs on; null for an external instance
 */
public record Endpoint(String address, Map<String, Integer> ports, String instance, String pod, String node) {

    public Endpoint {
        ports = ports == null ? Map.of() : Map.copyOf(ports);
    }

    /** The port named {@code name}; with one port, {@code null} or "" picks it whatever its name. */
    public Optional<Integer> port(String name) {
        if ((name == null || name.isEmpty()) && ports.size() == 1) {
            return Optional.of(ports.values().iterator().next());
        }
        return Optional.ofNullable(ports.get(name == null ? "" : name));
    }

    /** {@code http://address:port} of the port named {@code portName}, IPv6 addresses in brackets. */
    public URI baseUri(String portName) {
        int port = port(portName).orElseThrow(() -> new IllegalArgumentException("endpoint " + address
                + " has no port named \"" + portName + "\"; it has " + ports.keySet()));
        String host = address.contains(":") ? "[" + address + "]" : address;
        return URI.create("http://" + host + ":" + port);
    }

    /** A short name for logs and errors: the instance id or pod, and the address. */
    @Override
    public String toString() {
        String who = instance != null ? instance : pod;
        return (who == null ? "" : who + "@") + address + ports;
    }
}
