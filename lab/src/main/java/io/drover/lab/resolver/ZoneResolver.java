package io.drover.lab.resolver;

import io.drover.dns.query.PacketHandler;
import io.drover.dns.query.Transport;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SetResponse;
import org.xbill.DNS.Type;
import org.xbill.DNS.Zone;

/**
 * An authoritative server for a few zones read from master files, as a small bind9 configured with
 * {@code recursion no} answers: what the zones hold (AA set), CNAMEs followed inside them, NXDOMAIN and NODATA with
 * the zone's SOA, and REFUSED for names in none of them (it resolves nothing on anyone's behalf). Over UDP an answer
 * is cut to the client's size (512 bytes without EDNS) with TC set. Malformed packets get FORMERR or are dropped.
 */
public final class ZoneResolver implements PacketHandler {

    private static final int HEADER_LENGTH = 12;
    private static final int MAX_CNAME_CHAIN = 8;
    private static final int ADVERTISED_PAYLOAD = 1232;

    private final List<Zone> zones;

    public ZoneResolver(List<Zone> zones) {
        this.zones = List.copyOf(zones);
    }

    @Override
    public CompletableFuture<byte[]> handle(byte[] packet, Transport transport) {
        return CompletableFuture.completedFuture(reply(packet, transport));
    }

    private byte[] reply(byte[] packet, Transport transport) {
        if (packet.length < HEADER_LENGTH) {
            return null;
        }
        Header header;
        Message query;
        try {
            header = new Header(packet);
            if (header.getFlag(Flags.QR)) {
                return null; // a response: answering it could start a ping-pong
            }
            if (header.getOpcode() != Opcode.QUERY) {
                return headerOnly(header, Rcode.NOTIMP);
            }
            query = new Message(packet);
        } catch (IOException | RuntimeException e) {
            return null;
        }
        if (query.getHeader().getCount(Section.QUESTION) != 1) {
            return headerOnly(header, Rcode.FORMERR);
        }
        Message reply = answer(query);
        OPTRecord opt = query.getOPT();
        if (opt != null) {
            reply.addRecord(new OPTRecord(ADVERTISED_PAYLOAD, 0, 0), Section.ADDITIONAL);
        }
        int limit = transport == Transport.TCP ? 65535 : opt == null ? 512 : Math.max(512, opt.getPayloadSize());
        return reply.toWire(limit);
    }

    /** The authoritative answer to a well-formed query. */
    Message answer(Message query) {
        Record question = query.getQuestion();
        Message reply = new Message(query.getHeader().getID());
        reply.getHeader().setFlag(Flags.QR);
        if (query.getHeader().getFlag(Flags.RD)) {
            reply.getHeader().setFlag(Flags.RD);
        }
        reply.addRecord(question, Section.QUESTION);
        Zone zone = zoneOf(question.getName());
        if (zone == null || (question.getDClass() != DClass.IN && question.getDClass() != DClass.ANY)) {
            reply.getHeader().setRcode(Rcode.REFUSED);
            return reply;
        }
        reply.getHeader().setFlag(Flags.AA);
        Name name = question.getName();
        Set<Name> seen = new HashSet<>();
        for (int step = 0; step < MAX_CNAME_CHAIN && seen.add(name); step++) {
            SetResponse found = zone.findRecords(name, question.getType());
            if (found.isSuccessful()) {
                found.answers().forEach(set -> addAll(reply, set, Section.ANSWER));
                return reply;
            }
            if (found.isCNAME()) {
                addAll(reply, found.getCNAME(), Section.ANSWER);
                name = found.getCNAME().getTarget();
                Zone next = zoneOf(name);
                if (next == null) {
                    return reply; // the target is someone else's: the client follows it
                }
                zone = next;
                continue;
            }
            if (found.isDelegation()) {
                reply.getHeader().unsetFlag(Flags.AA);
                addAll(reply, found.getNS(), Section.AUTHORITY);
                return reply;
            }
            if (found.isNXDOMAIN()) {
                reply.getHeader().setRcode(Rcode.NXDOMAIN);
            }
            // NXDOMAIN or NODATA: the SOA says how long the absence may be cached (RFC 2308).
            addAll(reply, zone.getSOA(), Section.AUTHORITY);
            return reply;
        }
        reply.getHeader().setRcode(Rcode.SERVFAIL); // a CNAME loop in the zone files
        return reply;
    }

    /** The zone with the longest origin that contains {@code name}, or null. */
    private Zone zoneOf(Name name) {
        Zone best = null;
        for (Zone z : zones) {
            if (name.subdomain(z.getOrigin()) && (best == null || z.getOrigin().labels() > best.getOrigin().labels())) {
                best = z;
            }
        }
        return best;
    }

    private static void addAll(Message reply, RRset set, int section) {
        for (Record r : set.rrs()) {
            reply.addRecord(r, section);
        }
    }

    private static void addAll(Message reply, Record record, int section) {
        reply.addRecord(record, section);
    }

    private static byte[] headerOnly(Header query, int rcode) {
        Message reply = new Message(query.getID());
        reply.getHeader().setFlag(Flags.QR);
        reply.getHeader().setRcode(rcode);
        return reply.toWire();
    }

    /** The zones' origins, for messages. */
    public List<String> origins() {
        List<String> out = new ArrayList<>();
        zones.forEach(z -> out.add(z.getOrigin().toString()));
        return out;
    }
}
