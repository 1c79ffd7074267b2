package io.drover.dns.query;

import static io.drover.dns.Fixtures.clusterIp;
import static io.drover.dns.Fixtures.endpoints;
import static io.drover.dns.Fixtures.headless;
import static io.drover.dns.Fixtures.query;
import static io.drover.dns.Fixtures.ready;
import static org.assertj.core.api.Assertions.assertThat;

import io.drover.dns.Fixtures;
import io.drover.model.service.ServiceEndpoint;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.ExtendedFlags;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class QueryHandlerTest {

    private final Fixtures f = new Fixtures();
    private final QueryHandler handler = new QueryHandler(f.answerer, f.view, null);

    private Message reply(Message query, Transport transport) throws Exception {
        byte[] wire = handler.handle(query.toWire(), transport).get();
        assertThat(wire).as("a reply").isNotNull();
        return new Message(wire);
    }

    /** A headless service with enough endpoints that its A answer exceeds 512 bytes (16 bytes per record). */
    private void bigHeadless(int endpoints) {
        f.view.put(headless("big", "many", false));
        List<ServiceEndpoint> list = new ArrayList<>();
        for (int i = 1; i <= endpoints; i++) {
            list.add(ready("10.20." + (i / 250) + "." + (i % 250 + 1), null));
        }
        f.view.put(endpoints("big", "many", list.toArray(ServiceEndpoint[]::new)));
    }

    @Test
    void anAnswerLargerThan512BytesIsTruncatedOverUdpAndWholeOverTcp() throws Exception {
        bigHeadless(60);
        Message q = query("many.big.svc.cluster.local.", Type.A);
        byte[] udpWire = handler.handle(q.toWire(), Transport.UDP).get();
        assertThat(udpWire.length).isLessThanOrEqualTo(512);
        Message udp = new Message(udpWire);
        assertThat(udp.getHeader().getFlag(Flags.TC)).isTrue();
        // as many answers as fit: 512 bytes hold 26 A records of this name (after the header and question)
        assertThat(udp.getSection(Section.ANSWER)).hasSizeBetween(20, 59);
        assertThat(udp.getHeader().getID()).isEqualTo(q.getHeader().getID());
        Message tcp = reply(q, Transport.TCP);
        assertThat(tcp.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(tcp.getSection(Section.ANSWER)).hasSize(60);
    }

    @Test
    void theClientsEdnsSizeDecidesTruncationAndTheOptRecordComesBack() throws Exception {
        bigHeadless(60);
        Message q = query("many.big.svc.cluster.local.", Type.A);
        q.addRecord(new OPTRecord(4096, 0, 0, ExtendedFlags.DO), Section.ADDITIONAL);
        Message udp = reply(q, Transport.UDP);
        assertThat(udp.getHeader().getFlag(Flags.TC)).isFalse();
        assertThat(udp.getSection(Section.ANSWER)).hasSize(60);
        assertThat(udp.getOPT()).isNotNull();
        assertThat(udp.getOPT().getPayloadSize()).isEqualTo(QueryHandler.ADVERTISED_PAYLOAD);
        assertThat(udp.getOPT().getFlags() & ExtendedFlags.DO).isEqualTo(ExtendedFlags.DO);

        Message small = query("many.big.svc.cluster.local.", Type.A);
        small.addRecord(new OPTRecord(700, 0, 0), Section.ADDITIONAL);
        byte[] wire = handler.handle(small.toWire(), Transport.UDP).get();
        assertThat(wire.length).isBetween(513, 700);
        Message cut = new Message(wire);
        assertThat(cut.getHeader().getFlag(Flags.TC)).isTrue();
        assertThat(cut.getOPT()).as("the OPT record survives truncation").isNotNull();
        assertThat(cut.getSection(Section.ANSWER).size()).isBetween(27, 59);
    }

    @Test
    void anEdnsVersionOtherThanZeroIsBadvers() throws Exception {
        Message q = query("dns-version.cluster.local.", Type.TXT);
        q.addRecord(new OPTRecord(1232, 0, 1), Section.ADDITIONAL);
        Message r = reply(q, Transport.UDP);
        assertThat(r.getRcode()).isEqualTo(Rcode.BADVERS);
        assertThat(r.getSection(Section.ANSWER)).isEmpty();
    }

    @Test
    void otherOpcodesAreNotImplementedAndOtherClassesRefused() throws Exception {
        Message notify = query("cluster.local.", Type.SOA);
        notify.getHeader().setOpcode(Opcode.NOTIFY);
        assertThat(reply(notify, Transport.UDP).getRcode()).isEqualTo(Rcode.NOTIMP);
        Message update = Message.newUpdate(Name.fromString("cluster.local."));
        assertThat(reply(update, Transport.UDP).getRcode()).isEqualTo(Rcode.NOTIMP);
        Message chaos = Message.newQuery(Record.newRecord(Name.fromString("version.bind."), Type.TXT, DClass.CH));
        assertThat(reply(chaos, Transport.UDP).getRcode()).isEqualTo(Rcode.REFUSED);
    }

    @Test
    void namesOutsideTheClusterAreRefusedWithoutUpstreamsAndRecursionIsNotOffered() throws Exception {
        Message r = reply(query("example.com.", Type.A), Transport.UDP);
        assertThat(r.getRcode()).isEqualTo(Rcode.REFUSED);
        assertThat(r.getHeader().getFlag(Flags.RA)).isFalse();
        assertThat(r.getHeader().getFlag(Flags.QR)).isTrue();
    }

    @Test
    void malformedQueriesAreFormerrWhenTheHeaderReadsAndDroppedOtherwise() throws Exception {
        assertThat(handler.handle(new byte[] {1, 2, 3}, Transport.UDP).get()).isNull();
        assertThat(handler.handle(new byte[0], Transport.TCP).get()).isNull();

        byte[] valid = query("web.shop.svc.cluster.local.", Type.A).toWire();
        byte[] cut = java.util.Arrays.copyOf(valid, valid.length - 3);
        Message formerr = new Message(handler.handle(cut, Transport.UDP).get());
        assertThat(formerr.getRcode()).isEqualTo(Rcode.FORMERR);
        assertThat(formerr.getHeader().getID()).isEqualTo(new Message(valid).getHeader().getID());

        Message none = new Message();
        assertThat(reply(none, Transport.UDP).getRcode()).as("no question").isEqualTo(Rcode.FORMERR);
        Message two = query("a.cluster.local.", Type.A);
        two.addRecord(Record.newRecord(Name.fromString("b.cluster.local."), Type.A, DClass.IN), Section.QUESTION);
        assertThat(reply(two, Transport.UDP).getRcode()).as("two questions").isEqualTo(Rcode.FORMERR);

        Message response = query("cluster.local.", Type.SOA);
        response.getHeader().setFlag(Flags.QR);
        assertThat(handler.handle(response.toWire(), Transport.UDP).get()).as("a response is not answered").isNull();
    }

    @Test
    void aNameLongerThan255BytesIsFormerr() throws Exception {
        Message q = query("x.cluster.local.", Type.A);
        byte[] head = java.util.Arrays.copyOf(q.toWire(), 12);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(head);
        for (int i = 0; i < 5; i++) { // 5 labels of 63 bytes: 320 bytes
            out.write(63);
            out.write("a".repeat(63).getBytes());
        }
        out.write(0);
        out.write(new byte[] {0, 1, 0, 1});
        Message r = new Message(handler.handle(out.toByteArray(), Transport.UDP).get());
        assertThat(r.getRcode()).isEqualTo(Rcode.FORMERR);
    }
}
