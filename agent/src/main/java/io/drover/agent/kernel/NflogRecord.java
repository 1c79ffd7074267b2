package io.drover.agent.kernel;

import java.net.InetAddress;

/**
 * One packet an nftables {@code log group N} statement sent to userspace: the rule's prefix and what the packet's
 * headers say.
 *
 * @param prefix          the log statement's prefix, e.g. {@code fw-1a2b3c4d5e6f drop x/a}
 * @param protocol        TCP, UDP, SCTP, ICMP, ICMPv6, or the protocol number
 * @param source          the source address, null when the payload was too short to tell
 * @param sourcePort      0 for protocols without ports
 * @param destination     the destination address, null when the payload was too short to tell
 * @param destinationPort 0 for protocols without ports
 */
public record NflogRecord(String prefix, String protocol, InetAddress source, int sourcePort, InetAddress destination,
        int destinationPort) {

    @Override
    public String toString() {
        return prefix.strip() + ": " + protocol + " " + endpoint(source, sourcePort) + " -> " + endpoint(destination, destinationPort);
    }

    private static String endpoint(InetAddress address, int port) {
        if (address == null) {
            return "?";
        }
        String host = io.drover.model.net.IpAddresses.format(address);
        if (port == 0) {
            return host;
        }
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
