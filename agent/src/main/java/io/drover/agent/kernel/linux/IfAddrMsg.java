package io.drover.agent.kernel.linux;

import java.nio.ByteBuffer;

/** struct ifaddrmsg: the family header of RTM_*ADDR messages (8 bytes). */
record IfAddrMsg(int family, int prefixLength, int flags, int scope, int index) {

    static final int SIZE = 8;

    void writeTo(NetlinkMessageBuilder b) {
        b.u8(family).u8(prefixLength).u8(flags).u8(scope).u32(index);
    }

    static IfAddrMsg read(ByteBuffer payload) {
        IfInfoMsg.requireSize(payload, SIZE, "ifaddrmsg");
        return new IfAddrMsg(Byte.toUnsignedInt(payload.get(0)), Byte.toUnsignedInt(payload.get(1)),
                Byte.toUnsignedInt(payload.get(2)), Byte.toUnsignedInt(payload.get(3)), payload.getInt(4));
    }
}
