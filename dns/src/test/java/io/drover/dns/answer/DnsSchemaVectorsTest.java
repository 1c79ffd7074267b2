package io.drover.dns.answer;

import static io.drover.dns.Fixtures.clusterIp;
import static io.drover.dns.Fixtures.endpoints;
import static io.drover.dns.Fixtures.externalName;
import static io.drover.dns.Fixtures.headless;
import static io.drover.dns.Fixtures.pod;
import static io.drover.dns.Fixtures.port;
import static io.drover.dns.Fixtures.ready;
import static io.drover.dns.Fixtures.unready;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.drover.dns.Fixtures;
import io.drover.dns.conformance.SchemaVectors;
import io.drover.dns.conformance.SchemaVectors.Vector;
import io.drover.model.service.EndpointPort;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

/**
 * Every vector of the shared Kubernetes DNS schema file ({@code conformance/dns-k8s-schema.tsv}, beside the
 * repository), run against the answerer on a view built from model objects: each vector id has a scenario here
 * that builds its fixture and checks its expectation. A vector added to the file without a scenario fails.
 */
class DnsSchemaVectorsTest {

    private static final String N = "dns-8675";

    private final Map<String, Consumer<Vector>> scenarios = Map.ofEntries(
            Map.entry("D01", v -> {
                Message m = new Fixtures().ask(name(v), type(v));
                assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
                assertThat(answers(m)).singleElement().isInstanceOfSatisfying(TXTRecord.class,
                        t -> assertThat(t.getStrings()).containsExactly("1.1.0"));
            }),
            Map.entry("D02", v -> {
                Fixtures f = new Fixtures();
                f.view.put(clusterIp("default", "kubernetes", "10.3.0.1", port("https", 443, "TCP")));
                assertThat(rdata(f.ask(name(v), type(v)))).containsExactly("10.3.0.1");
            }),
            Map.entry("D03", v -> {
                Fixtures f = new Fixtures();
                f.view.put(clusterIp("default", "kubernetes", "2001:db8::1", port("https", 443, "TCP")));
                assertThat(rdata(f.ask(name(v), type(v)))).containsExactly("2001:db8:0:0:0:0:0:1");
            }),
            Map.entry("D04", v -> {
                Fixtures f = new Fixtures();
                f.view.put(clusterIp("default", "kubernetes", "10.3.0.1", port("https", 443, "TCP")));
                Message m = f.ask(name(v), type(v));
                assertThat(answers(m)).singleElement().isInstanceOfSatisfying(SRVRecord.class, s -> {
                    assertThat(s.getPort()).isEqualTo(443);
                    assertThat(s.getTarget().toString()).isEqualTo("kubernetes.default.svc.cluster.local.");
                });
                assertThat(m.getSection(Section.ADDITIONAL)).anySatisfy(r -> assertThat(r.rdataToString()).isEqualTo("10.3.0.1"));
            }),
            Map.entry("D05", v -> {
                Fixtures f = new Fixtures();
                f.view.put(clusterIp("default", "web", "10.3.0.9", port(null, 80, "TCP")));
                for (String anything : List.of("", "http", "80", "web")) {
                    Message m = f.ask("_" + anything + "._tcp.web.default.svc.cluster.local.", Type.SRV);
                    assertThat(m.getSection(Section.ANSWER)).as("SRV of _%s", anything)
                            .noneMatch(r -> r instanceof SRVRecord);
                }
            }),
            Map.entry("D06", v -> {
                Fixtures f = new Fixtures();
                f.view.put(clusterIp("default", "kubernetes", "10.3.0.1"));
                assertThat(rdata(f.ask(name(v), type(v)))).containsExactly("kubernetes.default.svc.cluster.local.");
            }),
            Map.entry("D07", v -> {
                Fixtures f = new Fixtures();
                f.view.put(clusterIp("default", "kubernetes", "2001:db8::1"));
                assertThat(rdata(f.ask(name(v), type(v)))).containsExactly("kubernetes.default.svc.cluster.local.");
            }),
            Map.entry("D08", v -> {
                Fixtures f = new Fixtures();
                f.view.put(headless("default", "headless", false));
                f.view.put(endpoints("default", "headless", ready("10.3.0.1", null), ready("10.3.0.2", null),
                        ready("10.3.0.3", null), unready("10.3.0.4", null)));
                assertThat(rdata(f.ask(name(v), type(v)))).containsExactlyInAnyOrder("10.3.0.1", "10.3.0.2", "10.3.0.3");
            }),
            Map.entry("D09", v -> {
                Fixtures f = new Fixtures();
                f.view.put(headless("default", "headless", false));
                f.view.put(endpoints("default", "headless", unready("10.3.0.1", null)));
                Message m = f.ask(name(v), type(v));
                assertThat(m.getRcode()).isEqualTo(Rcode.NXDOMAIN);
                assertThat(m.getSection(Section.AUTHORITY)).singleElement().extracting(Record::getType).isEqualTo(Type.SOA);
            }),
            Map.entry("D10", v -> {
                Fixtures f = petFixture();
                assertThat(rdata(f.ask(name(v), type(v)))).containsExactly("10.3.0.100");
                // "one A per IP if several": a second address of the same pod
                f.view.put(pod("default", "my-pet", null, "headless", "10.3.0.100", "10.3.0.101"));
                f.view.put(endpoints("default", "headless", ready("10.3.0.100", "my-pet"), ready("10.3.0.101", "my-pet")));
                assertThat(rdata(f.ask(name(v), type(v)))).containsExactlyInAnyOrder("10.3.0.100", "10.3.0.101");
            }),
            Map.entry("D11", v -> {
                Fixtures f = new Fixtures();
                f.view.put(headless("default", "headless", false, port("https", 443, "TCP")));
                f.view.put(pod("default", "pet-0", null, "headless", "10.3.0.10"));
                f.view.put(pod("default", "pet-1", null, "headless", "10.3.0.11"));
                f.view.put(pod("default", "pet-2", "custom", "headless", "10.3.0.12"));
                EndpointPort https = new EndpointPort("https", 443, "TCP");
                f.view.put(endpoints("default", "headless", ready("10.3.0.10", "pet-0", https),
                        ready("10.3.0.11", "pet-1", https), ready("10.3.0.12", "pet-2", https)));
                Message m = f.ask(name(v), type(v));
                assertThat(answers(m)).hasSize(3).allSatisfy(r -> assertThat(((SRVRecord) r).getPort()).isEqualTo(443));
                assertThat(answers(m)).extracting(r -> ((SRVRecord) r).getTarget().toString()).containsExactlyInAnyOrder(
                        "pet-0.headless.default.svc.cluster.local.", "pet-1.headless.default.svc.cluster.local.",
                        "custom.headless.default.svc.cluster.local.");
            }),
            Map.entry("D12", v -> {
                Fixtures f = petFixture();
                assertThat(rdata(f.ask(name(v), type(v)))).containsExactly("my-pet.headless.default.svc.cluster.local.");
            }),
            Map.entry("D13", v -> {
                Fixtures f = new Fixtures();
                f.view.put(externalName("default", "foo", "www.example.com"));
                Resolution r = f.resolve(name(v), type(v));
                assertThat(r).isInstanceOfSatisfying(Resolution.Answered.class, a -> {
                    assertThat(a.message().getRcode()).isEqualTo(Rcode.NOERROR);
                    assertThat(answers(a.message())).singleElement().isInstanceOfSatisfying(CNAMERecord.class,
                            c -> assertThat(c.getTarget().toString()).isEqualTo("www.example.com."));
                    // The target's A comes from upstream: the answerer hands it out to be followed.
                    assertThat(a.externalTarget().toString()).isEqualTo("www.example.com.");
                });
            }),
            Map.entry("D14", v -> {
                Fixtures f = new Fixtures();
                f.view.put(pod("default", "web-0", null, "web", "10.3.0.20"));
                f.view.put(headless("default", "web", false));
                f.view.put(endpoints("default", "web", unready("10.3.0.20", "web-0"), ready("10.3.0.21", null)));
                assertThat(f.ask("web-0.web.default.svc.cluster.local.", Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN);
                assertThat(rdata(f.ask("web.default.svc.cluster.local.", Type.A))).containsExactly("10.3.0.21");
                f.view.put(headless("default", "web", true)); // publishNotReadyAddresses
                assertThat(rdata(f.ask("web-0.web.default.svc.cluster.local.", Type.A))).containsExactly("10.3.0.20");
                assertThat(rdata(f.ask("web.default.svc.cluster.local.", Type.A))).containsExactlyInAnyOrder("10.3.0.20", "10.3.0.21");
            }),
            Map.entry("D40", v -> {
                Fixtures f = new Fixtures();
                f.view.put(clusterIp("default", "kubernetes", "10.96.0.1", port("https", 443, "TCP")));
                for (String name : List.of("kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local")) {
                    assertThat(rdata(searched(f, name, Type.A))).as(name).containsExactly("10.96.0.1");
                }
            }),
            Map.entry("D41", v -> {
                Fixtures f = e2eServices();
                assertThat(answers(f.ask("dns-test-service." + N + ".svc.cluster.local.", Type.A))).isNotEmpty();
                assertThat(answers(f.ask("_http._tcp.dns-test-service." + N + ".svc.cluster.local.", Type.SRV))).isNotEmpty();
                assertThat(answers(f.ask("_http._tcp.test-service-2." + N + ".svc.cluster.local.", Type.SRV))).isNotEmpty();
            }),
            Map.entry("D42", v -> {
                Fixtures f = e2eServices();
                for (String name : List.of("dns-test-service", "dns-test-service." + N, "dns-test-service." + N + ".svc")) {
                    assertThat(answers(searched(f, name, Type.A))).as(name).isNotEmpty();
                }
                for (String name : List.of("_http._tcp.dns-test-service." + N + ".svc", "_http._tcp.test-service-2." + N + ".svc")) {
                    assertThat(answers(searched(f, name, Type.SRV))).as(name).isNotEmpty();
                }
            }),
            Map.entry("D43", v -> {
                Fixtures f = new Fixtures();
                f.view.put(pod(N, "querier", null, null, "10.244.1.7"));
                assertThat(rdata(f.ask("10-244-1-7." + N + ".pod.cluster.local.", Type.A))).containsExactly("10.244.1.7");
            }),
            Map.entry("D44", v -> {
                Fixtures f = e2eServices();
                assertThat(rdata(f.ask("9.0.96.10.in-addr.arpa.", Type.PTR)))
                        .containsExactly("test-service-2." + N + ".svc.cluster.local.");
            }),
            Map.entry("D45", v -> {
                Fixtures f = new Fixtures();
                f.view.put(pod(N, "dns-querier-2", "dns-querier-2", "dns-test-service-2", "10.244.1.9"));
                f.view.put(headless(N, "dns-test-service-2", false, port("http", 80, "TCP")));
                f.view.put(endpoints(N, "dns-test-service-2", ready("10.244.1.9", "dns-querier-2")));
                assertThat(rdata(f.ask("dns-querier-2.dns-test-service-2." + N + ".svc.cluster.local.", Type.A)))
                        .containsExactly("10.244.1.9");
            }));

    @TestFactory
    Stream<DynamicTest> everyVectorHoldsOnTheAnswerer() throws IOException {
        assumeTrue(Files.isRegularFile(SchemaVectors.FILE), "the shared conformance vectors are not beside the repository");
        List<Vector> vectors = SchemaVectors.read(SchemaVectors.FILE);
        assertThat(vectors).hasSizeGreaterThanOrEqualTo(20);
        return vectors.stream().map(v -> DynamicTest.dynamicTest(v.id() + ": " + v.question(), () -> {
            assertThat(scenarios).as("vector %s has a scenario in this test: add one for \"%s\"", v.id(), v.question())
                    .containsKey(v.id());
            scenarios.get(v.id()).accept(v);
        }));
    }

    /** A headless service with a pet endpoint named by its pod's subdomain. */
    private static Fixtures petFixture() {
        Fixtures f = new Fixtures();
        f.view.put(pod("default", "my-pet", null, "headless", "10.3.0.100"));
        f.view.put(headless("default", "headless", false));
        f.view.put(endpoints("default", "headless", ready("10.3.0.100", "my-pet")));
        return f;
    }

    /** The e2e test's services: headless dns-test-service and regular test-service-2, both with port http. */
    private static Fixtures e2eServices() {
        Fixtures f = new Fixtures();
        f.view.put(headless(N, "dns-test-service", false, port("http", 80, "TCP")));
        f.view.put(endpoints(N, "dns-test-service", ready("10.244.1.5", "dns-test-pod",
                new EndpointPort("http", 80, "TCP"))));
        f.view.put(clusterIp(N, "test-service-2", "10.96.0.9", port("http", 80, "TCP")));
        f.view.put(endpoints(N, "test-service-2", ready("10.244.1.6", "server", new EndpointPort("http", 80, "TCP"))));
        return f;
    }

    /**
     * What a pod of namespace {@value #N} gets for a short name, as its resolver tries it (ndots:5: a name with fewer
     * dots goes through the search list first): the first expansion with an answer.
     */
    private static Message searched(Fixtures f, String name, int type) {
        List<String> search = List.of(N + ".svc.cluster.local", "svc.cluster.local", "cluster.local");
        List<String> tries = new ArrayList<>();
        search.forEach(s -> tries.add(name + "." + s + "."));
        tries.add(name + ".");
        Message last = null;
        for (String t : tries) {
            Resolution r = f.resolve(t, type);
            if (r instanceof Resolution.Answered a) {
                last = a.message();
                if (!answers(last).isEmpty()) {
                    return last;
                }
            }
        }
        return last;
    }

    private static String name(Vector v) {
        return v.name();
    }

    private static int type(Vector v) {
        return v.type();
    }

    static List<Record> answers(Message m) {
        return m == null ? List.of() : m.getSection(Section.ANSWER);
    }

    static List<String> rdata(Message m) {
        return answers(m).stream().map(r -> r instanceof ARecord a ? a.getAddress().getHostAddress()
                : r instanceof PTRRecord p ? p.getTarget().toString() : r.rdataToString()).toList();
    }
}
