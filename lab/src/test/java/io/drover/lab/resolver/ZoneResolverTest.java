package io.drover.lab.resolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.dns.query.Transport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** The lab's outside resolver on the default outside zone, as a client sees its answers. */
class ZoneResolverTest {

    @TempDir
    Path dir;

    private ZoneResolver resolver;

    @BeforeEach
    void load() {
        Path file = OutsideZone.write(dir);
        resolver = new ZoneResolver(ZoneFiles.read(List.of("example.com=" + file)));
    }

    private Message ask(String name, int type, Transport transport, boolean edns) throws Exception {
        Message query = Message.newQuery(Record.newRecord(Name.fromString(name), type, DClass.IN));
        if (edns) {
            query.addRecord(new OPTRecord(4096, 0, 0), Section.ADDITIONAL);
        }
        byte[] reply = resolver.handle(query.toWire(), transport).get();
        Message m = new Message(reply);
        assertThat(m.getHeader().getID()).isEqualTo(query.getHeader().getID());
        return m;
    }

    private static List<String> answers(Message m) {
        return m.getSection(Section.ANSWER).stream().map(r -> Type.string(r.getType()) + " " + r.rdataToString()).toList();
    }

    @Test
    void recordsOfTheZoneAreAnsweredWithAuthority() throws Exception {
        Message a = ask("WWW.example.com.", Type.A, Transport.UDP, false);
        assertThat(a.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(a.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(answers(a)).containsExactly("A " + OutsideZone.WWW_ADDRESS);
        assertThat(ask("www.example.com.", Type.AAAA, Transport.TCP, false).getSection(Section.ANSWER)).singleElement()
                .satisfies(r -> assertThat(((org.xbill.DNS.AAAARecord) r).getAddress())
                        .isEqualTo(java.net.InetAddress.getByName(OutsideZone.WWW_ADDRESS6)));
    }

    @Test
    void aCnameIsFollowedInsideTheZone() throws Exception {
        assertThat(answers(ask("api.example.com.", Type.A, Transport.UDP, false)))
                .containsExactly("CNAME www.example.com.", "A 192.0.2.10");
    }

    @Test
    void absentNamesAndTypesCarryTheSoa() throws Exception {
        Message nx = ask("nope.example.com.", Type.A, Transport.UDP, false);
        assertThat(nx.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(nx.getSection(Section.AUTHORITY)).singleElement().extracting(Record::getType).isEqualTo(Type.SOA);
        Message nodata = ask("ns.example.com.", Type.AAAA, Transport.UDP, false);
        assertThat(nodata.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(nodata.getSection(Section.ANSWER)).isEmpty();
        assertThat(nodata.getSection(Section.AUTHORITY)).singleElement().extracting(Record::getType).isEqualTo(Type.SOA);
    }

    @Test
    void namesOfNoZoneAreRefusedNotResolved() throws Exception {
        Message m = ask("www.example.org.", Type.A, Transport.UDP, false);
        assertThat(m.getRcode()).isEqualTo(Rcode.REFUSED);
        assertThat(m.getHeader().getFlag(Flags.AA)).isFalse();
        assertThat(m.getSection(Section.ANSWER)).isEmpty();
    }

    @Test
    void ednsIsAnsweredWithAnOptRecordAndResponsesAndGarbageAreDropped() throws Exception {
        assertThat(ask("www.example.com.", Type.A, Transport.UDP, true).getOPT()).isNotNull();
        Message response = Message.newQuery(Record.newRecord(Name.fromString("www.example.com."), Type.A, DClass.IN));
        response.getHeader().setFlag(Flags.QR);
        assertThat(resolver.handle(response.toWire(), Transport.UDP).get()).isNull();
        assertThat(resolver.handle(new byte[] {1, 2, 3}, Transport.UDP).get()).isNull();
        byte[] noQuestion = new Message(7).toWire();
        assertThat(new Message(resolver.handle(noQuestion, Transport.UDP).get()).getRcode()).isEqualTo(Rcode.FORMERR);
    }

    @Test
    void zoneArgumentsSayWhatIsWrong() throws Exception {
        assertThatThrownBy(() -> ZoneFiles.read(List.of("example.com"))).hasMessageContaining("is not ORIGIN=FILE");
        assertThatThrownBy(() -> ZoneFiles.read(List.of("example.com=" + dir.resolve("missing"))))
                .hasMessageContaining("cannot read");
        Path bad = Files.writeString(dir.resolve("bad.zone"), "$ORIGIN example.com.\nwww IN A not-an-address\n");
        assertThatThrownBy(() -> ZoneFiles.read(List.of("example.com=" + bad)))
                .hasMessageContaining("is not a master file of example.com.");
    }
}
