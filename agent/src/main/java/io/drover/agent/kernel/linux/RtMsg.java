package io.drover.agent.kernel.linux;

import java.nio.ByteBuffer;

/** struct rtmsg: the family header of RTM_*ROUTE messages (12 bytes). */
record RtMsg(int family, int dstLength, int srcLength, int tos, int table, int protocol, int scope, int type, int flags) {

    static final int SIZE = 12;

    void writeTo(NetlinkMessageBuilder b) {
        b.u8(family).u8(dstLength).u8(srcLength).u8(tos).u8(table).u8(protocol).u8(scope).u8(type).u32(flags);
    }

    static RtMsg read(ByteBuffer payload) {
        IfInfoMsg.requireSize(payload, SIZE, "rtmsg");
        return new RtMsg(u8(payload, 0), u8(payload, 1), u8(payload, 2), u8(payload, 3), u8(payload, 4),
                u8(payload, 5), u8(payload, 6), u8(payload, 7), payload.getInt(8));
    }

    private static int u8(ByteBuffer b, int offset) {
        return Byte.toUnsignedInt(b.get(offset));
    }
}
