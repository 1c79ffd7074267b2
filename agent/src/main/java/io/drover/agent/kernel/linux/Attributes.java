package io.drover.agent.kernel.linux;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The netlink attributes (TLVs) of one message or nested attribute, by type. Types are compared without the
 * NLA_F_NESTED / NLA_F_NET_BYTEORDER bits, because the kernel sets NLA_F_NESTED on some nests and not on others.
 * When a type repeats, the last one wins (as in the kernel's nla_parse).
 */
final class Attributes {

    private final Map<Integer, ByteBuffer> byType;

    private Attributes(Map<Integer, ByteBuffer> byType) {
        this.byType = byType;
    }

    /** Parses the whole buffer (position to limit) as a sequence of attributes, each padded to 4 bytes. */
    static Attributes parse(ByteBuffer region) {
        ByteBuffer in = region.duplicate().order(ByteOrder.nativeOrder());
        Map<Integer, ByteBuffer> map = new HashMap<>();
        int pos = in.position();
        int limit = in.limit();
        while (limit - pos >= Rtnl.NLA_HDRLEN) {
            int length = Short.toUnsignedInt(in.getShort(pos));
            int type = Short.toUnsignedInt(in.getShort(pos + 2)) & Rtnl.NLA_TYPE_MASK;
            if (length < Rtnl.NLA_HDRLEN || length > limit - pos) {
                throw new IllegalArgumentException("malformed netlink attribute at offset " + (pos - region.position())
                        + ": length " + length + " with " + (limit - pos) + " bytes left");
            }
            map.put(type, in.slice(pos + Rtnl.NLA_HDRLEN, length - Rtnl.NLA_HDRLEN).order(ByteOrder.nativeOrder()));
            pos += Math.min(Rtnl.align(length), limit - pos);
        }
        return new Attributes(map);
    }

    boolean has(int type) {
        return byType.containsKey(type);
    }

    Optional<ByteBuffer> raw(int type) {
        return Optional.ofNullable(byType.get(type)).map(b -> b.duplicate().order(ByteOrder.nativeOrder()));
    }

    private ByteBuffer need(int type, int minLength) {
        ByteBuffer b = byType.get(type);
        if (b == null) {
            throw new IllegalArgumentException("attribute " + type + " is missing");
        }
        if (b.limit() < minLength) {
            throw new IllegalArgumentException("attribute " + type + " has " + b.limit() + " bytes, expected " + minLength);
        }
        return b;
    }

    int u8(int type) {
        return Byte.toUnsignedInt(need(type, 1).get(0));
    }

    int u8(int type, int absent) {
        return has(type) ? u8(type) : absent;
    }

    /** A u16 the kernel keeps in network byte order (IFLA_VXLAN_PORT, NDA_PORT), unlike netlink's host-order integers. */
    int u16NetworkOrder(int type) {
        ByteBuffer b = need(type, 2);
        return Byte.toUnsignedInt(b.get(0)) << 8 | Byte.toUnsignedInt(b.get(1));
    }

    int u32(int type) {
        return need(type, 4).getInt(0);
    }

    int u32(int type, int absent) {
        return has(type) ? u32(type) : absent;
    }

    byte[] bytes(int type) {
        ByteBuffer b = need(type, 0);
        byte[] out = new byte[b.limit()];
        b.get(0, out);
        return out;
    }

    /** A string attribute without its trailing NUL(s); null when absent. */
    String string(int type) {
        if (!has(type)) {
            return null;
        }
        byte[] b = bytes(type);
        int end = 0;
        while (end < b.length && b[end] != 0) {
            end++;
        }
        return new String(b, 0, end, StandardCharsets.UTF_8);
    }

    /** An IPv4 (4 bytes) or IPv6 (16 bytes) address attribute, in network order; null when absent. */
    InetAddress address(int type) {
        if (!has(type)) {
            return null;
        }
        byte[] b = bytes(type);
        if (b.length != 4 && b.length != 16) {
            throw new IllegalArgumentException("attribute " + type + " has " + b.length + " bytes, not an IP address");
        }
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The attributes inside a nested attribute; empty when absent. */
    Attributes nested(int type) {
        ByteBuffer b = byType.get(type);
        return b == null ? new Attributes(Map.of()) : parse(b);
    }

    @Override
    public String toString() {
        return "Attributes" + byType.keySet();
    }
}
