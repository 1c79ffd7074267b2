package io.drover.controllers.hostports;

import java.util.Locale;

/**
 * Where host port reservations live in the store, beside the registry's and IPAM's keys:
 * {@code /drover/hostports/<node>/<protocol>/<hostPort>} holds a {@link HostPortReservation}, e.g.
 * {@code /drover/hostports/node-1/tcp/32768}. One key per node, protocol and port: creating it only when it is absent
 * is what makes a port impossible to hand out twice, whichever server or thread asks. TCP, UDP and SCTP are separate
 * port spaces, as in the kernel. Node names cannot hold '/', so one node's prefix never captures another's keys.
 */
public final class HostPortKeys {

    public static final String ROOT = "/drover/hostports/";

    private HostPortKeys() {}

    public static String node(String node) {
        requireName(node);
        return ROOT + node + "/";
    }

    public static String protocol(String node, String protocol) {
        return node(node) + protocol.toLowerCase(Locale.ROOT) + "/";
    }

    public static String reservation(String node, String protocol, int hostPort) {
        return protocol(node, protocol) + hostPort;
    }

    private static void requireName(String node) {
        if (node == null || node.isEmpty() || node.contains("/")) {
            throw new IllegalArgumentException("node name '" + node + "' is empty or contains '/'");
        }
    }
}
