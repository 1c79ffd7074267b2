package io.drover.dns;

import static io.drover.dns.Fixtures.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.api.registry.StoreResourceRegistry;
import io.drover.model.meta.ObjectMeta;
import io.drover.model.service.EndpointHealth;
import io.drover.model.service.Service;
import io.drover.model.service.ServiceEndpoint;
import io.drover.model.service.ServiceEndpoints;
import io.drover.model.service.ServicePort;
import io.drover.model.service.ServiceSpec;
import io.drover.store.sqlite.SqliteKeyValueStore;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * The whole server on the in-process registry over a real SQLite store: what is written through the API shows up in
 * DNS answers, through the watches, in milliseconds.
 */
class DnsServerTest {

    @TempDir
    Path dir;

    private SqliteKeyValueStore store;
    private StoreResourceRegistry registry;
    private DnsServer server;
    private SimpleResolver resolver;

    @BeforeEach
    void start() {
        store = SqliteKeyValueStore.open(dir);
        registry = new StoreResourceRegistry(store);
        registry.ensureDefaults();
        registry.create(Service.of(ObjectMeta.named("default", "web"),
                ServiceSpec.builder().ports(ServicePort.tcp("http", 80, null)).build()));
        server = DnsServer.start(registry, DnsOptions.on(new InetSocketAddress("127.0.0.1", 0)));
        resolver = new SimpleResolver(server.address());
        resolver.setTimeout(Duration.ofSeconds(3));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        store.close();
    }

    private List<String> addresses(String name) throws Exception {
        Message m = resolver.send(query(name, Type.A));
        return m.getSection(Section.ANSWER).stream().map(Record::rdataToString).sorted().toList();
    }

    private int rcode(String name) throws Exception {
        return resolver.send(query(name, Type.A)).getRcode();
    }

    @Test
    void servicesListedAtStartAndWrittenLaterAnswer() throws Exception {
        String clusterIp = registry.get(Service.class, "default", "web").orElseThrow().spec().clusterIP();
        assertThat(addresses("web.default.svc.cluster.local.")).containsExactly(clusterIp);

        Service api = registry.create(Service.of(ObjectMeta.named("default", "api"),
                ServiceSpec.builder().ports(ServicePort.tcp("grpc", 9000, null)).build()));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(addresses("api.default.svc.cluster.local.")).containsExactly(api.spec().clusterIP()));
        assertThat(resolver.send(query("_grpc._tcp.api.default.svc.cluster.local.", Type.SRV))
                .getSection(Section.ANSWER)).hasSize(1);

        registry.delete(io.drover.model.ResourceKind.SERVICE, "default", "api", null);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(rcode("api.default.svc.cluster.local.")).isEqualTo(Rcode.NXDOMAIN));
    }

    @Test
    void aHeadlessServiceFollowsItsEndpointsHealth() throws Exception {
        registry.create(Service.of(ObjectMeta.named("default", "pets"),
                ServiceSpec.builder().clusterIP(ServiceSpec.HEADLESS).ports(ServicePort.tcp("http", 80, null)).build()));
        ServiceEndpoints written = registry.create(ServiceEndpoints.of(ObjectMeta.named("default", "pets"), List.of(
                endpoint("10.1.0.1", EndpointHealth.PASSING), endpoint("10.1.0.2", EndpointHealth.PASSING))));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(addresses("pets.default.svc.cluster.local.")).containsExactly("10.1.0.1", "10.1.0.2"));

        written = registry.replace(written.withEndpoints(List.of(endpoint("10.1.0.1", EndpointHealth.PASSING),
                endpoint("10.1.0.2", EndpointHealth.FAILING))));
        long changed = System.nanoTime(); // acknowledged by the store: from here on it is DNS's time
        await().pollInterval(Duration.ofMillis(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(addresses("pets.default.svc.cluster.local.")).containsExactly("10.1.0.1"));
        System.out.printf("DNS: an endpoint's failing health left the answer %.1f ms after the write returned%n",
                (System.nanoTime() - changed) / 1e6);

        registry.replace(written.withEndpoints(List.of(endpoint("10.1.0.1", EndpointHealth.FAILING))));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(rcode("pets.default.svc.cluster.local.")).isEqualTo(Rcode.NXDOMAIN));
    }

    private static ServiceEndpoint endpoint(String address, String health) {
        boolean passing = health.equals(EndpointHealth.PASSING);
        return new ServiceEndpoint(address, null, null, passing, passing ? null : "health check failing", null,
                List.of(), new EndpointHealth(health, null, null));
    }
}
