package io.drover.dns.query;

import java.util.List;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Fits a reply into a size, as CoreDNS does: when it is too large, the authority and additional records go (the OPT
 * record stays), then as many answer records as fit are kept, and TC is set so the client asks again over TCP.
 * dnsjava's own truncation drops whole RRsets, which leaves a large A answer empty; a client that cannot retry
 * over TCP is better served by part of it.
 */
final class Truncation {

    private Truncation() {}

    static byte[] fit(Message reply, int limit) {
        byte[] whole = reply.toWire();
        if (whole.length <= limit) {
            return whole;
        }
        List<Record> answers = reply.getSection(Section.ANSWER);
        int low = 0;
        int high = answers.size();
        byte[] best = null;
        // The largest number of leading answers that fits; the sizes grow with the count.
        while (low <= high) {
            int count = (low + high) >>> 1;
            byte[] wire = truncated(reply, answers, count).toWire();
            if (wire.length <= limit) {
                best = wire;
                low = count + 1;
            } else {
                high = count - 1;
            }
        }
        if (best == null) {
            // Not even the header, question and OPT fit (a limit below 512 is never asked for): dnsjava's cut.
            return reply.toWire(limit);
        }
        return best;
    }

    private static Message truncated(Message reply, List<Record> answers, int count) {
        Message cut = new Message(reply.getHeader().getID());
        cut.getHeader().setOpcode(reply.getHeader().getOpcode());
        cut.getHeader().setRcode(reply.getHeader().getRcode());
        for (int flag : new int[] {Flags.QR, Flags.AA, Flags.RD, Flags.RA, Flags.AD, Flags.CD}) {
            if (reply.getHeader().getFlag(flag)) {
                cut.getHeader().setFlag(flag);
            }
        }
        cut.getHeader().setFlag(Flags.TC);
        for (Record q : reply.getSection(Section.QUESTION)) {
            cut.addRecord(q, Section.QUESTION);
        }
        for (int i = 0; i < count; i++) {
            cut.addRecord(answers.get(i), Section.ANSWER);
        }
        for (Record r : reply.getSection(Section.ADDITIONAL)) {
            if (r.getType() == Type.OPT) {
                cut.addRecord(r, Section.ADDITIONAL);
            }
        }
        return cut;
    }
}
