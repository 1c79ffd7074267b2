package io.drover.dns.forward;

import java.io.IOException;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Lowers the TTLs of a cached message by the seconds it spent in the cache. */
final class Ttls {

    private Ttls() {}

    static Message aged(Message cached, long seconds) {
        Message copy = new Message(cached.getHeader().getID());
        for (int flag : new int[] {Flags.QR, Flags.AA, Flags.TC, Flags.RD, Flags.RA, Flags.AD, Flags.CD}) {
            if (cached.getHeader().getFlag(flag)) {
                copy.getHeader().setFlag(flag);
            }
        }
        copy.getHeader().setOpcode(cached.getHeader().getOpcode());
        copy.getHeader().setRcode(cached.getHeader().getRcode());
        for (Record r : cached.getSection(Section.QUESTION)) {
            copy.addRecord(r, Section.QUESTION);
        }
        for (int section : new int[] {Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL}) {
            for (Record r : cached.getSection(section)) {
                boolean keep = r.getType() == Type.OPT || seconds == 0;
                copy.addRecord(keep ? r : withTtl(r, Math.max(0, r.getTTL() - seconds)), section);
            }
        }
        return copy;
    }

    /**
     * The record with another TTL. dnsjava has no public setter, so the record's uncompressed wire form is patched
     * (the TTL follows the owner name, type and class) and read back: this keeps every type and the names' case.
     */
    static Record withTtl(Record r, long ttl) {
        byte[] wire = r.toWire(Section.ANSWER);
        int at = r.getName().length() + 4;
        wire[at] = (byte) (ttl >>> 24);
        wire[at + 1] = (byte) (ttl >>> 16);
        wire[at + 2] = (byte) (ttl >>> 8);
        wire[at + 3] = (byte) ttl;
        try {
            return Record.fromWire(wire, Section.ANSWER);
        } catch (IOException e) {
            return r; // cannot happen for a record dnsjava wrote itself; the old TTL is the safe side of wrong
        }
    }
}
