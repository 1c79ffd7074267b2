package io.drover.agent.kernel.linux;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds one netlink request: the 16-byte nlmsghdr, the family header (ifinfomsg, ifaddrmsg, rtmsg, written with the
 * raw {@code u8/u16/u32} methods) and attributes, each padded to NLA_ALIGN (4). Integers are in host byte order as
 * netlink wants; addresses are written as their network-order bytes. The sequence number is filled in by
 * {@link #build(int)} when the socket sends, so that a request can be built without a socket (and unit tested).
 */
final class NetlinkMessageBuilder {

    private final int type;
    private final int flags;
    private ByteBuffer buf = ByteBuffer.allocate(256).order(ByteOrder.nativeOrder());

    NetlinkMessageBuilder(int type, int flags) {
        this.type = type;
        this.flags = flags;
        buf.position(Rtnl.NLMSG_HDRLEN);
    }

    int type() {
        return type;
    }

    int flags() {
        return flags;
    }

    boolean isDump() {
        return (flags & Rtnl.NLM_F_DUMP) == Rtnl.NLM_F_DUMP;
    }

    private void ensure(int more) {
        if (buf.remaining() < more) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + more))
                    .order(ByteOrder.nativeOrder());
            buf.flip();
            bigger.put(buf);
            buf = bigger;
        }
    }

    NetlinkMessageBuilder u8(int value) {
        ensure(1);
        buf.put((byte) value);
        return this;
    }

    NetlinkMessageBuilder u16(int value) {
        ensure(2);
        buf.putShort((short) value);
        return this;
    }

    NetlinkMessageBuilder u32(int value) {
        ensure(4);
        buf.putInt(value);
        return this;
    }

    NetlinkMessageBuilder bytes(byte[] value) {
        ensure(value.length);
        buf.put(value);
        return this;
    }

    private void padToAlignment() {
        int pad = Rtnl.align(buf.position()) - buf.position();
        ensure(pad);
        for (int i = 0; i < pad; i++) {
            buf.put((byte) 0);
        }
    }

    NetlinkMessageBuilder attr(int attrType, byte[] payload) {
        padToAlignment();
        ensure(Rtnl.NLA_HDRLEN + payload.length + 3);
        buf.putShort((short) (Rtnl.NLA_HDRLEN + payload.length));
        buf.putShort((short) attrType);
        buf.put(payload);
        padToAlignment();
        return this;
    }

    NetlinkMessageBuilder attrU8(int attrType, int value) {
        return attr(attrType, new byte[] {(byte) value});
    }

    NetlinkMessageBuilder attrU32(int attrType, int value) {
        byte[] b = new byte[4];
        ByteBuffer.wrap(b).order(ByteOrder.nativeOrder()).putInt(value);
        return attr(attrType, b);
    }

    /** A NUL-terminated string, as the kernel's NLA_STRING / NLA_NUL_STRING policies accept. */
    NetlinkMessageBuilder attrString(int attrType, String value) {
        byte[] s = value.getBytes(StandardCharsets.UTF_8);
        return attr(attrType, Arrays.copyOf(s, s.length + 1));
    }

    /** A string without the NUL (IFLA_IFALIAS: the kernel stores exactly the attribute's length). */
    NetlinkMessageBuilder attrBareString(int attrType, String value) {
        return attr(attrType, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Opens a nested attribute; returns the token {@link #endNested} needs to fill in its length. */
    int beginNested(int attrType) {
        padToAlignment();
        int start = buf.position();
        ensure(Rtnl.NLA_HDRLEN);
        buf.putShort((short) 0);
        buf.putShort((short) attrType);
        return start;
    }

    NetlinkMessageBuilder endNested(int start) {
        padToAlignment();
        buf.putShort(start, (short) (buf.position() - start));
        return this;
    }

    /** The finished message with the given sequence number (nlmsg_pid 0: the kernel fills in the sender). */
    byte[] build(int seq) {
        padToAlignment();
        int length = buf.position();
        buf.putInt(0, length);
        buf.putShort(4, (short) type);
        buf.putShort(6, (short) flags);
        buf.putInt(8, seq);
        buf.putInt(12, 0);
        return Arrays.copyOf(buf.array(), length);
    }
}
