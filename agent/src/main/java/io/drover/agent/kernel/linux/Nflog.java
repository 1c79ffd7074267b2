package io.drover.agent.kernel.linux;

import io.drover.agent.kernel.NflogRecord;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * The NFLOG protocol (nfnetlink_log): binding a socket to a log group, and reading the packets nftables' {@code log
 * group N} statements send there. Only what the agent's log needs: the prefix and the addresses, protocol and
 * ports of the packet's first bytes.
 */
final class Nflog {

    static final int NETLINK_NETFILTER = 12;
    private static final int NFNL_SUBSYS_ULOG = 4;
    static final int NFULNL_MSG_PACKET = NFNL_SUBSYS_ULOG << 8;
    private static final int NFULNL_MSG_CONFIG = (NFNL_SUBSYS_ULOG << 8) | 1;
    private static final int NFULA_CFG_CMD = 1;
    private static final int NFULA_CFG_MODE = 2;
    private static final int NFULNL_CFG_CMD_BIND = 1;
    private static final int NFULNL_COPY_PACKET = 2;
    private static final int NFULA_PAYLOAD = 9;
    private static final int NFULA_PREFIX = 10;
    /** Enough for an IPv6 header and the ports after it. */
    private static final int COPY_RANGE = 64;
    private static final int NFGENMSG_SIZE = 4;

    private Nflog() {}

    /** Binds the socket to the group and asks for the first bytes of each packet. */
    static void bind(NetlinkSocket socket, int group) {
        socket.request(config(group).attr(NFULA_CFG_CMD, new byte[] {NFULNL_CFG_CMD_BIND}));
        byte[] mode = ByteBuffer.allocate(6).putInt(COPY_RANGE).put((byte) NFULNL_COPY_PACKET).put((byte) 0).array();
        socket.request(config(group).attr(NFULA_CFG_MODE, mode));
    }

    /** nfgenmsg: family AF_UNSPEC, version 0, and the group as res_id in network byte order. */
    private static NetlinkMessageBuilder config(int group) {
        NetlinkMessageBuilder b = new NetlinkMessageBuilder(NFULNL_MSG_CONFIG, Rtnl.NLM_F_REQUEST | Rtnl.NLM_F_ACK);
        return b.bytes(new byte[] {0, 0, (byte) (group >> 8), (byte) group});
    }

    /** The record of one NFULNL_MSG_PACKET message, or empty for anything else. */
    static Optional<NflogRecord> record(NetlinkMessage message) {
        if (message.type() != NFULNL_MSG_PACKET) {
            return Optional.empty();
        }
        Attributes attributes = message.attributes(NFGENMSG_SIZE);
        String prefix = attributes.has(NFULA_PREFIX) ? cString(attributes.bytes(NFULA_PREFIX)) : "";
        byte[] packet = attributes.has(NFULA_PAYLOAD) ? attributes.bytes(NFULA_PAYLOAD) : new byte[0];
        return Optional.of(parse(prefix, packet));
    }

    /** Reads the IPv4 or IPv6 header (and the ports of TCP, UDP and SCTP) of a packet's first bytes. */
    static NflogRecord parse(String prefix, byte[] packet) {
        if (packet.length < 1) {
            return new NflogRecord(prefix, "?", null, 0, null, 0);
        }
        int version = (packet[0] >> 4) & 0xf;
        int protocol;
        int transport;
        byte[] source;
        byte[] destination;
        if (version == 4 && packet.length >= 20) {
            protocol = packet[9] & 0xff;
            transport = (packet[0] & 0xf) * 4;
            source = Arrays.copyOfRange(packet, 12, 16);
            destination = Arrays.copyOfRange(packet, 16, 20);
        } else if (version == 6 && packet.length >= 40) {
            protocol = packet[6] & 0xff;
            transport = 40;
            source = Arrays.copyOfRange(packet, 8, 24);
            destination = Arrays.copyOfRange(packet, 24, 40);
        } else {
            return new NflogRecord(prefix, "?", null, 0, null, 0);
        }
        boolean ports = (protocol == 6 || protocol == 17 || protocol == 132) && packet.length >= transport + 4;
        int sourcePort = ports ? ((packet[transport] & 0xff) << 8) | (packet[transport + 1] & 0xff) : 0;
        int destinationPort = ports ? ((packet[transport + 2] & 0xff) << 8) | (packet[transport + 3] & 0xff) : 0;
        return new NflogRecord(prefix, protocolName(protocol), address(source), sourcePort, address(destination),
                destinationPort);
    }

    private static String protocolName(int protocol) {
        return switch (protocol) {
            case 1 -> "ICMP";
            case 6 -> "TCP";
            case 17 -> "UDP";
            case 58 -> "ICMPv6";
            case 132 -> "SCTP";
            default -> "protocol " + protocol;
        };
    }

    private static InetAddress address(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static String cString(byte[] bytes) {
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }
}
