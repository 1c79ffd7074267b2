package io.drover.agent.kernel.linux;

import java.nio.ByteBuffer;

/** struct ifinfomsg: the family header of RTM_*LINK messages (16 bytes). */
record IfInfoMsg(int family, int type, int index, int flags, int change) {

    static final int SIZE = 16;

    static IfInfoMsg of(int family, int index) {
        return new IfInfoMsg(family, 0, index, 0, 0);
    }

    void writeTo(NetlinkMessageBuilder b) {
        b.u8(family).u8(0).u16(type).u32(index).u32(flags).u32(change);
    }

    static IfInfoMsg read(ByteBuffer payload) {
        requireSize(payload, SIZE, "ifinfomsg");
        return new IfInfoMsg(Byte.toUnsignedInt(payload.get(0)), Short.toUnsignedInt(payload.getShort(2)),
                payload.getInt(4), payload.getInt(8), payload.getInt(12));
    }

    static void requireSize(ByteBuffer payload, int size, String what) {
        if (payload.limit() < size) {
            throw new IllegalArgumentException(what + " needs " + size + " bytes, the message has " + payload.limit());
        }
    }
}
