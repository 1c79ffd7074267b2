package io.drover.dns.answer;

import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Section;

/** The shell of a reply to a query: its id, opcode, RD and CD flags and question echoed, QR set. */
public final class Replies {

    private Replies() {}

    public static Message to(Message query) {
        Message reply = new Message(query.getHeader().getID());
        copyFlags(query.getHeader(), reply.getHeader());
        if (query.getQuestion() != null) {
            reply.addRecord(query.getQuestion(), Section.QUESTION);
        }
        return reply;
    }

    /** A reply with only a header: for a query whose body cannot be read. */
    public static Message headerOnly(Header query, int rcode) {
        Message reply = new Message(query.getID());
        copyFlags(query, reply.getHeader());
        reply.getHeader().setRcode(rcode);
        return reply;
    }

    private static void copyFlags(Header query, Header reply) {
        reply.setFlag(Flags.QR);
        reply.setOpcode(query.getOpcode());
        if (query.getFlag(Flags.RD)) {
            reply.setFlag(Flags.RD);
        }
        if (query.getFlag(Flags.CD)) {
            reply.setFlag(Flags.CD);
        }
    }
}
