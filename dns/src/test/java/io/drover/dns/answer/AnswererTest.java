package io.drover.dns.answer;

import static io.drover.dns.Fixtures.clusterIp;
import static io.drover.dns.Fixtures.endpoints;
import static io.drover.dns.Fixtures.externalName;
import static io.drover.dns.Fixtures.headless;
import static io.drover.dns.Fixtures.pod;
import static io.drover.dns.Fixtures.port;
import static io.drover.dns.Fixtures.ready;
import static io.drover.dns.Fixtures.unready;
import static io.drover.dns.answer.DnsSchemaVectorsTest.answers;
import static io.drover.dns.answer.DnsSchemaVectorsTest.rdata;
import static org.assertj.core.api.Assertions.assertThat;

import io.drover.dns.Fixtures;
import io.drover.model.service.EndpointPort;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class AnswererTest {

    private final Fixtures f = new Fixtures();

    @Test
    void namesMatchWhateverTheirCaseAndTheAnswerKeepsTheQuestionsCase() {
        f.view.put(clusterIp("shop", "web", "10.96.0.10", port("http", 80, "TCP")));
        Message m = f.ask("WeB.ShOp.SVC.Cluster.Local.", Type.A);
        assertThat(rdata(m)).containsExactly("10.96.0.10");
        assertThat(m.getSection(Section.ANSWER).getFirst().getName().toString()).isEqualTo("WeB.ShOp.SVC.Cluster.Local.");
        assertThat(m.getQuestion().getName().toString()).isEqualTo("WeB.ShOp.SVC.Cluster.Local.");
        assertThat(answers(f.ask("_HTTP._Tcp.web.shop.svc.cluster.local.", Type.SRV))).hasSize(1);
    }

    @Test
    void aMissingNameIsNxdomainAndAPresentNameWithoutTheTypeIsNodataBothWithTheSoa() {
        f.view.put(clusterIp("shop", "web", "10.96.0.10"));
        Message nx = f.ask("nope.shop.svc.cluster.local.", Type.A);
        assertThat(nx.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(nx.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(nx.getSection(Section.AUTHORITY)).singleElement().isInstanceOfSatisfying(SOARecord.class, soa -> {
            assertThat(soa.getName().toString()).isEqualTo("cluster.local.");
            assertThat(soa.getMinimum()).isEqualTo(5);
            assertThat(soa.getTTL()).isEqualTo(5);
            assertThat(soa.getHost().toString()).isEqualTo("ns.dns.cluster.local.");
        });
        for (int type : new int[] {Type.AAAA, Type.MX, Type.TXT, Type.CAA, Type.HINFO}) {
            Message nodata = f.ask("web.shop.svc.cluster.local.", type);
            assertThat(nodata.getRcode()).as(Type.string(type)).isEqualTo(Rcode.NOERROR);
            assertThat(nodata.getSection(Section.ANSWER)).as(Type.string(type)).isEmpty();
            assertThat(nodata.getSection(Section.AUTHORITY)).singleElement().isInstanceOf(SOARecord.class);
        }
    }

    @Test
    void emptyNonTerminalsExistAndNamesBelowNothingDoNot() {
        f.view.put(clusterIp("shop", "web", "10.96.0.10", port("http", 80, "TCP")));
        assertThat(f.ask("svc.cluster.local.", Type.A).getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(f.ask("shop.svc.cluster.local.", Type.A).getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(f.ask("_tcp.web.shop.svc.cluster.local.", Type.A).getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(f.ask("_udp.web.shop.svc.cluster.local.", Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(f.ask("other.svc.cluster.local.", Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(f.ask("a.b.web.shop.svc.cluster.local.", Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(f.ask("x.y.z.web.shop.svc.cluster.local.", Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(f.ask("www.cluster.local.", Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN);
        // no wildcards
        assertThat(f.ask("*.shop.svc.cluster.local.", Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN);
    }

    @Test
    void theApexHasSoaAndNsAndDnsVersionOnlyTxt() {
        assertThat(answers(f.ask("cluster.local.", Type.SOA))).singleElement().isInstanceOf(SOARecord.class);
        assertThat(rdata(f.ask("cluster.local.", Type.NS))).containsExactly("ns.dns.cluster.local.");
        Message a = f.ask("dns-version.cluster.local.", Type.A);
        assertThat(a.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(answers(a)).isEmpty();
    }

    @Test
    void srvNamesExistOnlyForNamedPortsOfTheirProtocol() {
        f.view.put(clusterIp("shop", "web", "10.96.0.10", port("dns", 53, "UDP"), port(null, 8080, "TCP")));
        Message udp = f.ask("_dns._udp.web.shop.svc.cluster.local.", Type.SRV);
        assertThat(answers(udp)).singleElement().isInstanceOfSatisfying(SRVRecord.class, s -> {
            assertThat(s.getPort()).isEqualTo(53);
            assertThat(s.getPriority()).isZero();
            assertThat(s.getWeight()).isEqualTo(100);
        });
        assertThat(f.ask("_dns._tcp.web.shop.svc.cluster.local.", Type.SRV).getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(f.ask("_8080._tcp.web.shop.svc.cluster.local.", Type.SRV).getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(f.ask("_._tcp.web.shop.svc.cluster.local.", Type.SRV).getRcode()).isEqualTo(Rcode.NXDOMAIN);
        // The service's own name lists every port, named or not, as CoreDNS does.
        assertThat(answers(f.ask("web.shop.svc.cluster.local.", Type.SRV))).extracting(r -> ((SRVRecord) r).getPort())
                .containsExactlyInAnyOrder(53, 8080);
    }

    @Test
    void aHeadlessSrvTargetsEachEndpointByHostnameOrAddressWithItsOwnPortAndGluesAddresses() {
        f.view.put(pod("db", "db-0", null, "pg", "10.1.0.5"));
        f.view.put(pod("db", "other", null, null, "10.1.0.6"));
        f.view.put(headless("db", "pg", false, port("pg", 5432, "TCP", 15432)));
        f.view.put(endpoints("db", "pg", ready("10.1.0.5", "db-0", new EndpointPort("pg", 25432, "TCP")),
                ready("10.1.0.6", "other")));
        Message m = f.ask("_pg._tcp.pg.db.svc.cluster.local.", Type.SRV);
        assertThat(answers(m)).extracting(r -> ((SRVRecord) r).getTarget() + " " + ((SRVRecord) r).getPort()
                + " " + ((SRVRecord) r).getWeight())
                .containsExactlyInAnyOrder("db-0.pg.db.svc.cluster.local. 25432 50", "10-1-0-6.pg.db.svc.cluster.local. 15432 50");
        assertThat(m.getSection(Section.ADDITIONAL)).extracting(r -> r.getName() + " " + r.rdataToString())
                .containsExactlyInAnyOrder("db-0.pg.db.svc.cluster.local. 10.1.0.5", "10-1-0-6.pg.db.svc.cluster.local. 10.1.0.6");
        assertThat(rdata(f.ask("10-1-0-6.pg.db.svc.cluster.local.", Type.A))).containsExactly("10.1.0.6");
        // A pod whose subdomain is another service keeps its address name here.
        f.view.put(pod("db", "other", "x", "elsewhere", "10.1.0.6"));
        assertThat(rdata(f.ask("10-1-0-6.pg.db.svc.cluster.local.", Type.A))).containsExactly("10.1.0.6");
        // The pod's hostname changes: the records follow.
        f.view.put(pod("db", "db-0", "primary", "pg", "10.1.0.5"));
        assertThat(rdata(f.ask("primary.pg.db.svc.cluster.local.", Type.A))).containsExactly("10.1.0.5");
        assertThat(f.ask("db-0.pg.db.svc.cluster.local.", Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(rdata(f.ask("5.0.1.10.in-addr.arpa.", Type.PTR))).containsExactly("primary.pg.db.svc.cluster.local.");
    }

    @Test
    void unreadyAndFailingEndpointsArePublishedOnlyWithPublishNotReadyAddresses() {
        f.view.put(headless("db", "pg", false));
        var failingButMarkedReady = ready("10.1.0.7", null).withHealth(
                new io.drover.model.service.EndpointHealth("failing", "refused", null));
        f.view.put(endpoints("db", "pg", unready("10.1.0.5", null), failingButMarkedReady));
        assertThat(f.ask("pg.db.svc.cluster.local.", Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(f.ask("10-1-0-5.pg.db.svc.cluster.local.", Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN);
        f.view.put(headless("db", "pg", true));
        assertThat(rdata(f.ask("pg.db.svc.cluster.local.", Type.A))).containsExactlyInAnyOrder("10.1.0.5", "10.1.0.7");
        // A headless service with no endpoints: NXDOMAIN for AAAA too; with v4 only endpoints AAAA is NODATA.
        Message aaaa = f.ask("pg.db.svc.cluster.local.", Type.AAAA);
        assertThat(aaaa.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(answers(aaaa)).isEmpty();
    }

    @Test
    void dualStackClusterIpsAnswerAAndAaaa() {
        f.view.put(clusterIp("shop", "web", List.of("10.96.0.10", "fd00:96::a")));
        assertThat(rdata(f.ask("web.shop.svc.cluster.local.", Type.A))).containsExactly("10.96.0.10");
        assertThat(rdata(f.ask("web.shop.svc.cluster.local.", Type.AAAA))).containsExactly("fd00:96:0:0:0:0:0:a");
        assertThat(rdata(f.ask("a.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.6.9.0.0.0.0.d.f.ip6.arpa.", Type.PTR)))
                .containsExactly("web.shop.svc.cluster.local.");
        assertThat(rdata(f.ask("web.shop.svc.cluster.local.", Type.ANY))).containsExactlyInAnyOrder("10.96.0.10",
                "fd00:96:0:0:0:0:0:a");
    }

    @Test
    void externalNameIsACnameForEveryTypeAndAChainInsideTheZoneIsFollowed() {
        f.view.put(externalName("shop", "db", "db.example.org"));
        for (int type : new int[] {Type.A, Type.AAAA, Type.MX, Type.CNAME}) {
            Message m = f.ask("db.shop.svc.cluster.local.", type);
            assertThat(answers(m)).singleElement().isInstanceOfSatisfying(CNAMERecord.class,
                    c -> assertThat(c.getTarget().toString()).isEqualTo("db.example.org."));
        }
        f.view.put(clusterIp("shop", "real", "10.96.0.20"));
        f.view.put(externalName("shop", "alias", "real.shop.svc.cluster.local"));
        Resolution r = f.resolve("alias.shop.svc.cluster.local.", Type.A);
        assertThat(r).isInstanceOfSatisfying(Resolution.Answered.class, a -> {
            assertThat(a.externalTarget()).isNull();
            assertThat(answers(a.message())).extracting(x -> Type.string(x.getType()) + " " + x.rdataToString())
                    .containsExactly("CNAME real.shop.svc.cluster.local.", "A 10.96.0.20");
        });
        f.view.put(externalName("shop", "loop", "loop.shop.svc.cluster.local"));
        assertThat(answers(f.ask("loop.shop.svc.cluster.local.", Type.A))).hasSizeLessThanOrEqualTo(8);
    }

    @Test
    void podRecordsFollowTheMode() {
        f.view.put(pod("shop", "web-1", null, null, "10.10.0.7", "fd00:10::7"));
        assertThat(rdata(f.ask("10-10-0-7.shop.pod.cluster.local.", Type.A))).containsExactly("10.10.0.7");
        assertThat(rdata(f.ask("fd00-10--7.shop.pod.cluster.local.", Type.AAAA))).containsExactly("fd00:10:0:0:0:0:0:7");
        assertThat(f.ask("10-10-0-8.shop.pod.cluster.local.", Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(f.ask("10-10-0-7.other.pod.cluster.local.", Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(f.ask("10-10-0.shop.pod.cluster.local.", Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(f.ask("shop.pod.cluster.local.", Type.A).getRcode()).isEqualTo(Rcode.NOERROR);

        Fixtures insecure = new Fixtures(Zone.of("cluster.local", 5, PodRecords.INSECURE));
        assertThat(rdata(insecure.ask("10-10-0-8.any.pod.cluster.local.", Type.A))).containsExactly("10.10.0.8");
        Fixtures disabled = new Fixtures(Zone.of("cluster.local", 5, PodRecords.DISABLED));
        disabled.view.put(pod("shop", "web-1", null, null, "10.10.0.7"));
        assertThat(disabled.ask("10-10-0-7.shop.pod.cluster.local.", Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN);
    }

    @Test
    void reverseNamesAreAnsweredForKnownAddressesAndTheClustersRangesOnly() {
        f.view.put(clusterIp("shop", "web", "10.96.0.10"));
        Message unknownInCidr = f.ask("99.0.96.10.in-addr.arpa.", Type.PTR);
        assertThat(unknownInCidr.getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(unknownInCidr.getSection(Section.AUTHORITY)).singleElement()
                .satisfies(soa -> assertThat(soa.getName().toString()).isEqualTo("in-addr.arpa."));
        assertThat(f.resolve("1.1.168.192.in-addr.arpa.", Type.PTR)).isInstanceOf(Resolution.NotOurs.class);
        assertThat(f.resolve("96.10.in-addr.arpa.", Type.PTR)).isInstanceOf(Resolution.NotOurs.class);
        Message nodata = f.ask("10.0.96.10.in-addr.arpa.", Type.A);
        assertThat(nodata.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(answers(nodata)).isEmpty();
        // A pod network's range becomes the cluster's when the network is seen.
        f.view.put(new io.drover.model.network.Network(null, null, io.drover.model.meta.ObjectMeta.named("blue"),
                io.drover.model.network.NetworkSpec.of("10.10.0.0/16"), null));
        assertThat(f.ask("9.0.10.10.in-addr.arpa.", Type.PTR).getRcode()).isEqualTo(Rcode.NXDOMAIN);
    }

    @Test
    void namesOutsideTheZoneAreNotOursAndZoneTransfersAreNotImplemented() {
        assertThat(f.resolve("example.com.", Type.A)).isInstanceOf(Resolution.NotOurs.class);
        assertThat(f.resolve("local.", Type.A)).isInstanceOf(Resolution.NotOurs.class);
        assertThat(f.resolve("cluster.local.example.com.", Type.A)).isInstanceOf(Resolution.NotOurs.class);
        assertThat(f.ask("cluster.local.", Type.AXFR).getRcode()).isEqualTo(Rcode.NOTIMP);
        assertThat(f.ask("cluster.local.", Type.IXFR).getRcode()).isEqualTo(Rcode.NOTIMP);
    }

    @Test
    void anotherZoneAndTtlAreServed() {
        Fixtures custom = new Fixtures(Zone.of("Corp.Example.", 30, PodRecords.VERIFIED));
        custom.view.put(clusterIp("shop", "web", "10.96.0.10"));
        Message m = custom.ask("web.shop.svc.corp.example.", Type.A);
        assertThat(rdata(m)).containsExactly("10.96.0.10");
        assertThat(answers(m).getFirst().getTTL()).isEqualTo(30);
        assertThat(custom.resolve("web.shop.svc.cluster.local.", Type.A)).isInstanceOf(Resolution.NotOurs.class);
    }

    @Test
    void aDeletedServiceLeavesNothingBehind() {
        var svc = clusterIp("shop", "web", "10.96.0.10");
        f.view.put(svc);
        f.view.remove(svc);
        assertThat(f.ask("web.shop.svc.cluster.local.", Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(f.ask("shop.svc.cluster.local.", Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(f.ask("10.0.96.10.in-addr.arpa.", Type.PTR).getRcode()).isEqualTo(Rcode.NXDOMAIN);
    }
}
