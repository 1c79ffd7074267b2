package io.drover.dns.view;

import static io.drover.dns.Fixtures.clusterIp;
import static io.drover.dns.Fixtures.endpoints;
import static io.drover.dns.Fixtures.headless;
import static io.drover.dns.Fixtures.pod;
import static io.drover.dns.Fixtures.ready;
import static org.assertj.core.api.Assertions.assertThat;

import io.drover.model.ResourceKind;
import io.drover.model.net.Cidr;
import io.drover.model.net.IpAddresses;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterViewTest {

    private final ClusterView view = new ClusterView(List.of(Cidr.parse("10.96.0.0/16")));

    @Test
    void endpointsBeforeTheirServiceAndPodsAfterThemAllEndUpInTheEntry() {
        view.put(endpoints("db", "pg", ready("10.1.0.5", "db-0")));
        assertThat(view.service("db", "pg")).isEmpty();
        view.put(headless("db", "pg", false));
        assertThat(view.service("db", "pg").orElseThrow().endpoints()).singleElement()
                .satisfies(e -> assertThat(e.hostname()).isEqualTo("10-1-0-5"));
        view.put(pod("db", "db-0", null, "pg", "10.1.0.5"));
        assertThat(view.service("db", "pg").orElseThrow().endpoints()).singleElement()
                .satisfies(e -> assertThat(e.hostname()).isEqualTo("db-0"));
        view.remove(pod("db", "db-0", null, "pg", "10.1.0.5"));
        assertThat(view.service("db", "pg").orElseThrow().endpoints()).singleElement()
                .satisfies(e -> assertThat(e.hostname()).isEqualTo("10-1-0-5"));
    }

    @Test
    void aFreshListReplacesTheKindAndCountsStayRight() {
        view.put(clusterIp("a", "one", "10.96.0.1"));
        view.put(clusterIp("a", "two", "10.96.0.2"));
        view.put(pod("a", "p", null, null, "10.10.0.1"));
        long before = view.generation();
        view.replaceAll(ResourceKind.SERVICE, List.of(clusterIp("a", "two", "10.96.0.3")));
        assertThat(view.generation()).isGreaterThan(before);
        assertThat(view.service("a", "one")).isEmpty();
        assertThat(view.service("a", "two").orElseThrow().clusterIps()).containsExactly(IpAddresses.parse("10.96.0.3"));
        assertThat(view.reverse(IpAddresses.parse("10.96.0.1"))).isEmpty();
        assertThat(view.reverse(IpAddresses.parse("10.96.0.2"))).isEmpty();
        assertThat(view.reverse(IpAddresses.parse("10.96.0.3"))).containsExactly(new ReverseTarget(null, "two", "a"));
        view.replaceAll(ResourceKind.SERVICE, List.of());
        assertThat(view.hasServicesIn("a")).isFalse();
        assertThat(view.namespaceExists("a")).as("a pod is still there").isTrue();
        view.replaceAll(ResourceKind.POD, List.of());
        assertThat(view.namespaceExists("a")).isFalse();
        assertThat(view.podHasAddress("a", IpAddresses.parse("10.10.0.1"))).isFalse();
    }

    @Test
    void oneAddressMayNameSeveralServices() {
        view.put(headless("a", "x", false));
        view.put(headless("a", "y", false));
        view.put(endpoints("a", "x", ready("10.1.0.9", null)));
        view.put(endpoints("a", "y", ready("10.1.0.9", null)));
        assertThat(view.reverse(IpAddresses.parse("10.1.0.9"))).containsExactlyInAnyOrder(
                new ReverseTarget("10-1-0-9", "x", "a"), new ReverseTarget("10-1-0-9", "y", "a"));
        view.remove(endpoints("a", "x"));
        assertThat(view.reverse(IpAddresses.parse("10.1.0.9"))).containsExactly(new ReverseTarget("10-1-0-9", "y", "a"));
    }

    @Test
    void addressLabelsGoBothWays() {
        assertThat(AddressLabels.of(IpAddresses.parse("10.3.0.7"))).isEqualTo("10-3-0-7");
        assertThat(AddressLabels.of(IpAddresses.parse("2001:db8::1"))).isEqualTo("2001-db8--1");
        assertThat(AddressLabels.parse("2001-db8--1")).contains(IpAddresses.parse("2001:db8::1"));
        assertThat(AddressLabels.parse("10-3-0-7")).contains(IpAddresses.parse("10.3.0.7"));
        assertThat(AddressLabels.parse("10-3-0-256")).isEmpty();
        assertThat(AddressLabels.parse("web")).isEmpty();
        assertThat(AddressLabels.parse("1-2")).isEmpty();
    }
}
