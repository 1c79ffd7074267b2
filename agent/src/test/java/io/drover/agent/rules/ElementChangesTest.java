package io.drover.agent.rules;

import static io.drover.agent.rules.RulesFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.drover.agent.kernel.NftElementChange;
import io.drover.model.net.IpAddresses;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rule changes that are element changes only are handed over as such, so the agent can write them without nft. */
class ElementChangesTest {

    private static final SpoofGuard.GuardedPort WEB_PORT = new SpoofGuard.GuardedPort("dvweb", "0a:11:22:33:44:55",
            List.of(IpAddresses.parse("10.10.0.7")), "shop/web-1");

    @Test
    void aPublishedPortAndAGuardedPodAreElementChanges() {
        NodeRules before = new NodeRules(List.of(BLUE, RED), List.of(DNS_ON_ADDR));
        NodeRules after = new NodeRules(List.of(BLUE, RED), List.of(WEB), PolicyRules.NONE,
                new SpoofGuard(List.of(WEB_PORT)));

        List<NftElementChange> changes = after.elementChanges(before).orElseThrow();

        assertThat(changes).extracting(NftElementChange::nftLine).containsExactly(
                "delete element inet drover published4_addr { 192.168.1.5 . udp . 5353 }",
                "add element inet drover published4 { tcp . 8080 comment \"pod shop/web-1\" : 10.10.0.7 . 80 }",
                "add element bridge drover guard_macs { \"dvweb\" . 0a:11:22:33:44:55 comment \"pod shop/web-1\" }",
                "add element bridge drover guard_sources4 { \"dvweb\" . 0a:11:22:33:44:55 . 10.10.0.7 comment \"pod shop/web-1\" }");
        assertThat(changes.get(1)).satisfies(c -> {
            assertThat(c.keyType()).isEqualTo("inet_proto . inet_service");
            assertThat(c.valueType()).isEqualTo("ipv4_addr . inet_service");
            assertThat(c.interval()).isFalse();
        });
    }

    @Test
    void nothingChangedIsNoChange() {
        assertThat(TWO_NETWORKS.elementChanges(TWO_NETWORKS)).contains(List.of());
    }

    @Test
    void aNewNetworksSubnetsAreIntervalElements() {
        List<NftElementChange> changes = new NodeRules(List.of(BLUE, RED), List.of())
                .elementChanges(new NodeRules(List.of(BLUE), List.of())).orElseThrow();
        assertThat(changes).filteredOn(c -> c.set().equals("subnets4")).singleElement()
                .satisfies(c -> assertThat(c.interval()).isTrue());
    }

    @Test
    void aScriptOfTheChangesDoesWhatTheUpdateScriptDoes() {
        NodeRules before = new NodeRules(List.of(BLUE), List.of(WEB));
        NodeRules after = new NodeRules(List.of(BLUE, RED), List.of(DNS_ON_ADDR));
        String lines = NftElementChange.script(after.elementChanges(before).orElseThrow());
        // The same elements go and come, one per line here, one line per set there.
        assertThat(lines.lines().filter(l -> l.startsWith("delete")).count()).isEqualTo(1);
        assertThat(after.updateScript(before)).contains("delete element inet drover published4 { tcp . 8080 }");
        assertThat(lines).contains("delete element inet drover published4 { tcp . 8080 }",
                "add element inet drover published4_addr { 192.168.1.5 . udp . 5353 comment \"pod infra/dns\" : 10.20.0.9 . 53 }");
    }
}
