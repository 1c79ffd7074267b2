package io.drover.dns.query;

import io.drover.dns.answer.Answerer;
import io.drover.dns.answer.Replies;
import io.drover.dns.answer.Resolution;
import io.drover.dns.forward.Forwarder;
import io.drover.dns.view.ClusterView;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Header;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * One DNS packet in, at most one out: the part of the server between the transports and the answerer.
 *
 * <ul>
 *   <li>Shorter than a header, or a response (QR set): dropped, so that two servers cannot ping-pong.</li>
 *   <li>An opcode other than QUERY: NOTIMP. A body that does not parse, not exactly one question, more records in
 *       the other sections than a query carries, or two OPT records: FORMERR.</li>
 *   <li>EDNS: a version other than 0 gets BADVERS; otherwise the reply carries an OPT record (and the DO bit) back,
 *       and over UDP is cut to the client's advertised size (512 bytes without EDNS), with TC set, so that the
 *       client asks again over TCP.</li>
 *   <li>Classes other than IN (and ANY): REFUSED.</li>
 *   <li>The cluster's names are answered by the {@link Answerer}; others go to the {@link Forwarder}, or get
 *       REFUSED when there is none (a server that does not recurse). An ExternalName CNAME to an outside name is
 *       completed with the upstream's answer when there is a forwarder.</li>
 * </ul>
 * Nothing a client sends escapes as an exception: a failure while answering is SERVFAIL, logged.
 */
public final class QueryHandler implements PacketHandler {

    private static final Logger log = LoggerFactory.getLogger(QueryHandler.class);
    /** What the server advertises in its OPT record (DNS flag day 2020). */
    static final int ADVERTISED_PAYLOAD = 1232;
    private static final int HEADER_LENGTH = 12;
    private static final int MAX_MESSAGE = 65535;

    /** Replies kept per distinct query while the view is unchanged (a busy server asks the same names again and again). */
    private static final int KEPT_REPLIES = 50_000;

    private final Answerer answerer;
    private final ClusterView view;
    private final Forwarder forwarder;
    private final ReplyCache replies = new ReplyCache(KEPT_REPLIES);

    /** @param forwarder null: names outside the cluster are refused */
    public QueryHandler(Answerer answerer, ClusterView view, Forwarder forwarder) {
        this.answerer = answerer;
        this.view = view;
        this.forwarder = forwarder;
    }

    @Override
    public CompletableFuture<byte[]> handle(byte[] packet, Transport transport) {
        if (packet.length < HEADER_LENGTH) {
            return CompletableFuture.completedFuture(null);
        }
        // Read before answering: a reply kept under this generation was made from a view at least this new.
        long generation = view.generation();
        byte[] kept = replies.get(packet, transport, generation);
        if (kept != null) {
            return CompletableFuture.completedFuture(kept);
        }
        Header header;
        try {
            header = new Header(packet);
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.completedFuture(null);
        }
        try {
            return handle(header, packet, transport, generation);
        } catch (RuntimeException e) {
            log.warn("DNS: failed to answer a query (id {}): {}", header.getID(), e.toString(), e);
            return CompletableFuture.completedFuture(safeWire(Replies.headerOnly(header, Rcode.SERVFAIL)));
        }
    }

    private CompletableFuture<byte[]> handle(Header header, byte[] packet, Transport transport, long generation) {
        if (header.getFlag(Flags.QR)) {
            return CompletableFuture.completedFuture(null);
        }
        if (header.getOpcode() != Opcode.QUERY) {
            return done(Replies.headerOnly(header, Rcode.NOTIMP));
        }
        Message query;
        try {
            query = new Message(packet);
        } catch (IOException | RuntimeException e) {
            return done(Replies.headerOnly(header, Rcode.FORMERR));
        }
        Header h = query.getHeader();
        if (h.getCount(Section.QUESTION) != 1 || h.getCount(Section.ANSWER) > 1 || h.getCount(Section.AUTHORITY) > 1
                || h.getCount(Section.ADDITIONAL) > 2 || optCount(query) > 1) {
            return done(Replies.headerOnly(header, Rcode.FORMERR));
        }
        OPTRecord opt = query.getOPT();
        if (opt != null && opt.getVersion() != 0) {
            Message reply = Replies.to(query);
            return done(finish(reply, query, transport, Rcode.BADVERS));
        }
        Record question = query.getQuestion();
        int qtype = question.getType();
        if (qtype == Type.OPT || qtype == Type.TSIG || qtype == Type.TKEY) {
            return done(Replies.headerOnly(header, Rcode.FORMERR));
        }
        if (question.getDClass() != DClass.IN && question.getDClass() != DClass.ANY) {
            Message reply = Replies.to(query);
            reply.getHeader().setRcode(Rcode.REFUSED);
            return done(finish(reply, query, transport, Rcode.NOERROR));
        }
        Resolution resolution = answerer.answer(query, view);
        return switch (resolution) {
            case Resolution.Answered(Message reply, Name external) when external != null && forwarder != null
                    && (qtype == Type.A || qtype == Type.AAAA) ->
                    forwarder.resolve(Record.newRecord(external, qtype, DClass.IN))
                            .thenApply(upstream -> wire(chased(reply, upstream), query, transport));
            case Resolution.Answered(Message reply, Name external) -> {
                Finished finished = finish(reply, query, transport, Rcode.NOERROR);
                byte[] wire = encode(finished, query, transport);
                replies.put(packet, transport, generation, wire);
                yield CompletableFuture.completedFuture(wire);
            }
            case Resolution.NotOurs() when forwarder == null -> {
                Message reply = Replies.to(query);
                reply.getHeader().setRcode(Rcode.REFUSED);
                yield done(finish(reply, query, transport, Rcode.NOERROR));
            }
            case Resolution.NotOurs() -> forwarder.resolve(question)
                    .thenApply(upstream -> wire(forwarded(query, upstream), query, transport));
        };
    }

    /** The upstream's answer under the client's id, question and flags; without the upstream's OPT. */
    private static Message forwarded(Message query, Message upstream) {
        Message reply = Replies.to(query);
        reply.getHeader().setRcode(upstream.getHeader().getRcode());
        if (upstream.getHeader().getFlag(Flags.AD) && (query.getHeader().getFlag(Flags.AD) || doBit(query))) {
            reply.getHeader().setFlag(Flags.AD);
        }
        for (int section : new int[] {Section.ANSWER, Section.AUTHORITY, Section.ADDITIONAL}) {
            for (Record r : upstream.getSection(section)) {
                if (r.getType() != Type.OPT) {
                    reply.addRecord(r, section);
                }
            }
        }
        return reply;
    }

    /** The cluster's CNAME answer followed by what the upstream says of its target. */
    private static Message chased(Message reply, Message upstream) {
        if (upstream.getHeader().getRcode() == Rcode.NXDOMAIN) {
            reply.getHeader().setRcode(Rcode.NXDOMAIN);
        }
        for (Record r : upstream.getSection(Section.ANSWER)) {
            reply.addRecord(r, Section.ANSWER);
        }
        return reply;
    }

    private byte[] wire(Message reply, Message query, Transport transport) {
        try {
            return encode(finish(reply, query, transport, Rcode.NOERROR), query, transport);
        } catch (RuntimeException e) {
            log.warn("DNS: failed to encode a reply (id {}): {}", query.getHeader().getID(), e.toString(), e);
            return safeWire(Replies.headerOnly(query.getHeader(), Rcode.SERVFAIL));
        }
    }

    private CompletableFuture<byte[]> done(Message reply) {
        return CompletableFuture.completedFuture(safeWire(reply));
    }

    private CompletableFuture<byte[]> done(Finished finished) {
        return CompletableFuture.completedFuture(encode(finished, finished.query(), finished.transport()));
    }

    /** A reply ready to be encoded: RA set when recursion is on offer, the OPT record added. */
    private record Finished(Message reply, Message query, Transport transport) {}

    private Finished finish(Message reply, Message query, Transport transport, int extendedRcode) {
        if (forwarder != null) {
            reply.getHeader().setFlag(Flags.RA);
        }
        OPTRecord opt = query.getOPT();
        if (opt != null) {
            if (extendedRcode > 0xF) {
                reply.getHeader().setRcode(extendedRcode & 0xF);
            }
            reply.addRecord(new OPTRecord(ADVERTISED_PAYLOAD, extendedRcode >>> 4, 0, opt.getFlags() & ExtendedFlags.DO),
                    Section.ADDITIONAL);
        }
        return new Finished(reply, query, transport);
    }

    private static byte[] encode(Finished f, Message query, Transport transport) {
        return Truncation.fit(f.reply(), transport == Transport.TCP ? MAX_MESSAGE : udpLimit(query));
    }

    /** The client's EDNS buffer size (at least 512), or 512 without EDNS (RFC 1035, RFC 6891). */
    static int udpLimit(Message query) {
        OPTRecord opt = query.getOPT();
        return opt == null ? 512 : Math.min(MAX_MESSAGE, Math.max(512, opt.getPayloadSize()));
    }

    private static byte[] safeWire(Message reply) {
        return reply.toWire(512);
    }

    private static boolean doBit(Message query) {
        OPTRecord opt = query.getOPT();
        return opt != null && (opt.getFlags() & ExtendedFlags.DO) != 0;
    }

    private static int optCount(Message query) {
        int n = 0;
        for (Record r : query.getSection(Section.ADDITIONAL)) {
            if (r.getType() == Type.OPT) {
                n++;
            }
        }
        return n;
    }
}
