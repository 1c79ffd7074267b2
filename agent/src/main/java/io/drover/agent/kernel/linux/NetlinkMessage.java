package io.drover.agent.kernel.linux;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * One received netlink message: the nlmsghdr fields and the payload after it (family header plus attributes), as a
 * read-only host-order buffer of its own.
 */
record NetlinkMessage(int type, int flags, int seq, int pid, ByteBuffer payload) {

    /**
     * Splits a datagram into its messages. Each message starts at an NLMSG_ALIGN (4) boundary; a length field that
     * points outside the datagram means a malformed reply, which is an error rather than something to skip.
     */
    static List<NetlinkMessage> parseAll(ByteBuffer datagram) {
        ByteBuffer in = datagram.duplicate().order(ByteOrder.nativeOrder());
        List<NetlinkMessage> out = new ArrayList<>();
        int pos = in.position();
        int limit = in.limit();
        while (limit - pos >= Rtnl.NLMSG_HDRLEN) {
            int length = in.getInt(pos);
            if (length < Rtnl.NLMSG_HDRLEN || length > limit - pos) {
                throw new IllegalArgumentException("malformed netlink message at offset " + pos + ": length " + length
                        + " with " + (limit - pos) + " bytes left");
            }
            int type = Short.toUnsignedInt(in.getShort(pos + 4));
            int flags = Short.toUnsignedInt(in.getShort(pos + 6));
            int seq = in.getInt(pos + 8);
            int pid = in.getInt(pos + 12);
            ByteBuffer payload = in.slice(pos + Rtnl.NLMSG_HDRLEN, length - Rtnl.NLMSG_HDRLEN)
                    .asReadOnlyBuffer()
                    .order(ByteOrder.nativeOrder());
            out.add(new NetlinkMessage(type, flags, seq, pid, payload));
            pos += Math.min(Rtnl.align(length), limit - pos);
        }
        return out;
    }

    /** The attributes that follow a family header of {@code headerSize} bytes. */
    Attributes attributes(int headerSize) {
        int start = Rtnl.align(headerSize);
        if (payload.limit() < start) {
            throw new IllegalArgumentException(Rtnl.typeName(type) + " payload of " + payload.limit()
                    + " bytes is shorter than its " + headerSize + "-byte header");
        }
        return Attributes.parse(payload.slice(start, payload.limit() - start).order(ByteOrder.nativeOrder()));
    }

    @Override
    public String toString() {
        return Rtnl.typeName(type) + "{flags=0x" + Integer.toHexString(flags) + ", seq=" + seq + ", " + payload.limit()
                + " bytes}";
    }
}
