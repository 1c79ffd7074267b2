package io.drover.agent.kernel.linux;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The payload of an NLMSG_ERROR message (struct nlmsgerr): errno 0 is an acknowledgement, anything else the
 * failure of the request with sequence {@code requestSeq}. With NETLINK_EXT_ACK the kernel appends TLVs after the
 * echoed request; NLMSGERR_ATTR_MSG is its human explanation ("Unknown device type"), kept for error messages.
 *
 * @param errno      positive errno, 0 for success
 * @param requestSeq the sequence number of the request this answers
 * @param message    the extended-ack text, or empty
 */
record NetlinkAck(int errno, int requestSeq, String message) {

    static NetlinkAck parse(NetlinkMessage m) {
        ByteBuffer p = m.payload().duplicate().order(ByteOrder.nativeOrder());
        if (p.limit() < 4 + Rtnl.NLMSG_HDRLEN) {
            throw new IllegalArgumentException("NLMSG_ERROR of " + p.limit() + " bytes is too short");
        }
        int error = p.getInt(0);
        int origLength = p.getInt(4);
        int origSeq = p.getInt(4 + 8);
        String text = "";
        if ((m.flags() & Rtnl.NLM_F_ACK_TLVS) != 0) {
            // With NLM_F_CAPPED only the request's header was echoed; otherwise the whole request precedes the TLVs.
            int echoed = (m.flags() & Rtnl.NLM_F_CAPPED) != 0 ? Rtnl.NLMSG_HDRLEN : Rtnl.align(origLength);
            int start = 4 + echoed;
            if (start <= p.limit()) {
                Attributes tlvs = Attributes.parse(p.slice(start, p.limit() - start));
                String msg = tlvs.string(Rtnl.NLMSGERR_ATTR_MSG);
                text = msg == null ? "" : msg;
            }
        }
        return new NetlinkAck(-error, origSeq, text);
    }
}
