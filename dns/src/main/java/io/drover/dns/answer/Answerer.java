package io.drover.dns.answer;

import io.drover.dns.view.ClusterView;
import io.drover.dns.view.ReverseTarget;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Answers a query from the view, without I/O: names of the cluster zone, and reverse names of the addresses the
 * view knows or whose ranges (service CIDR, pod networks) are the cluster's. Anything else is {@link
 * Resolution.NotOurs}.
 *
 * <p>As an authoritative server: AA set; NXDOMAIN when nothing exists at or below the name, NODATA (NOERROR, no
 * answer) when the name exists without records of the type asked, both with the zone's SOA in the authority section
 * (its minimum, the TTL, is the negative TTL). Names compare case-insensitively; answers keep the question's case.
 * No wildcards. Types a name cannot have get NODATA, as CoreDNS answers them; zone transfers and the obsolete
 * mailbox types get NOTIMP.
 */
public final class Answerer {

    /** Follows a CNAME chain inside the zone at most this far (ExternalName services naming one another). */
    private static final int MAX_CHAIN = 8;

    private final Zone zone;
    private final ZoneRecords records;

    public Answerer(Zone zone) {
        this.zone = zone;
        this.records = new ZoneRecords(zone);
    }

    public Zone zone() {
        return zone;
    }

    public Resolution answer(Message query, ClusterView view) {
        Record question = query.getQuestion();
        Name qname = question.getName();
        int qtype = question.getType();
        if (qtype == Type.AXFR || qtype == Type.IXFR || qtype == Type.MAILA || qtype == Type.MAILB) {
            if (qname.subdomain(zone.name()) || ReverseNames.isReverse(qname)) {
                Message reply = authoritative(query);
                reply.getHeader().setRcode(Rcode.NOTIMP);
                return new Resolution.Answered(reply, null);
            }
            return new Resolution.NotOurs();
        }
        if (qname.subdomain(zone.name())) {
            return zoneAnswer(query, qname, qtype, view);
        }
        if (ReverseNames.isReverse(qname)) {
            Optional<Resolution> reverse = reverseAnswer(query, qname, qtype, view);
            if (reverse.isPresent()) {
                return reverse.get();
            }
        }
        return new Resolution.NotOurs();
    }

    private Resolution zoneAnswer(Message query, Name qname, int qtype, ClusterView view) {
        Message reply = authoritative(query);
        Name owner = qname;
        NameRecords at = records.of(owner, view, qtype);
        for (int hop = 0; ; hop++) {
            if (!at.exists()) {
                reply.getHeader().setRcode(Rcode.NXDOMAIN);
                negative(reply, zone.name(), view);
                return new Resolution.Answered(reply, null);
            }
            if (at.cname() == null || qtype == Type.CNAME) {
                if (at.cname() != null) {
                    reply.addRecord(new CNAMERecord(owner, DClass.IN, zone.ttl(), at.cname()), Section.ANSWER);
                    return new Resolution.Answered(reply, null);
                }
                List<Record> matching = matching(at.records(), qtype);
                if (matching.isEmpty()) {
                    negative(reply, zone.name(), view);
                } else {
                    matching.forEach(r -> reply.addRecord(r, Section.ANSWER));
                    if (qtype == Type.SRV || qtype == Type.ANY) {
                        at.additional().forEach(r -> reply.addRecord(r, Section.ADDITIONAL));
                    }
                }
                return new Resolution.Answered(reply, null);
            }
            reply.addRecord(new CNAMERecord(owner, DClass.IN, zone.ttl(), at.cname()), Section.ANSWER);
            owner = at.cname();
            if (!owner.subdomain(zone.name())) {
                return new Resolution.Answered(reply, owner);
            }
            if (hop + 1 >= MAX_CHAIN) {
                return new Resolution.Answered(reply, null);
            }
            at = records.of(owner, view, qtype);
        }
    }

    /** A PTR answer when the view knows the address, NXDOMAIN when its range is the cluster's, else not ours. */
    private Optional<Resolution> reverseAnswer(Message query, Name qname, int qtype, ClusterView view) {
        Optional<InetAddress> address = ReverseNames.address(qname);
        if (address.isEmpty()) {
            return Optional.empty();
        }
        Set<ReverseTarget> targets = view.reverse(address.get());
        if (targets.isEmpty() && !view.ownsReverse(address.get())) {
            return Optional.empty();
        }
        Message reply = authoritative(query);
        Name reverseZone = ReverseNames.zoneOf(qname);
        if (targets.isEmpty()) {
            reply.getHeader().setRcode(Rcode.NXDOMAIN);
            negative(reply, reverseZone, view);
        } else if (qtype == Type.PTR || qtype == Type.ANY) {
            for (ReverseTarget t : targets.stream().sorted(java.util.Comparator.comparing(ReverseTarget::toString)).toList()) {
                Name target = t.hostname() == null ? zone.name(t.service(), t.namespace(), "svc")
                        : zone.name(t.hostname(), t.service(), t.namespace(), "svc");
                reply.addRecord(new PTRRecord(qname, DClass.IN, zone.ttl(), target), Section.ANSWER);
            }
        } else {
            negative(reply, reverseZone, view);
        }
        return Optional.of(new Resolution.Answered(reply, null));
    }

    private Message authoritative(Message query) {
        Message reply = Replies.to(query);
        reply.getHeader().setFlag(Flags.AA);
        return reply;
    }

    private void negative(Message reply, Name soaOwner, ClusterView view) {
        reply.addRecord(zone.soa(soaOwner, view.serial()), Section.AUTHORITY);
    }

    private static List<Record> matching(List<Record> records, int qtype) {
        if (qtype == Type.ANY) {
            return records;
        }
        List<Record> out = new ArrayList<>();
        for (Record r : records) {
            if (r.getType() == qtype) {
                out.add(r);
            }
        }
        return out;
    }
}
