package io.drover.agent.kernel.linux;

import java.nio.ByteBuffer;

/**
 * struct ndmsg: the family header of RTM_*NEIGH messages (12 bytes), for neighbours (AF_INET, AF_INET6) and for the
 * forwarding entries of bridges and VXLAN devices (AF_BRIDGE).
 */
record NdMsg(int family, int index, int state, int flags, int type) {

    static final int SIZE = 12;

    void writeTo(NetlinkMessageBuilder b) {
        b.u8(family).u8(0).u16(0).u32(index).u16(state).u8(flags).u8(type);
    }

    static NdMsg read(ByteBuffer payload) {
        IfInfoMsg.requireSize(payload, SIZE, "ndmsg");
        return new NdMsg(Byte.toUnsignedInt(payload.get(0)), payload.getInt(4), Short.toUnsignedInt(payload.getShort(8)),
                Byte.toUnsignedInt(payload.get(10)), Byte.toUnsignedInt(payload.get(11)));
    }
}
