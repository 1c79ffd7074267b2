package io.drover.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.model.firewall.RuleAction;
import io.drover.model.net.Cidr;
import io.drover.model.net.IpAddresses;
import io.drover.policy.FirewallVerdict.DecidedBy;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The compiled chains are the data plane's model: for every pair of ends, protocol and port, what a pod's chains do
 * with the first packet must be what {@link PolicySnapshot#evaluate} says, end by end.
 */
class FirewallCompilerTest {

    private static final Map<String, String> PODS = Map.of(
            "x/web-1", "10.0.1.1", "x/web-2", "10.0.1.2", "y/web-3", "10.0.2.3", "x/app-1", "10.0.1.10",
            "x/db-1", "10.0.1.20", "y/ops", "10.0.2.30");
    private static final List<String> OUTSIDE = List.of("192.168.1.1", "192.168.9.9", "203.0.113.5");

    private static TestCluster everything(String defaultAction) {
        return new TestCluster()
                .namespace("x", "env", "prod")
                .namespace("y", "env", "dev")
                .pod("x/web-1", "10.0.1.1", "tier", "web")
                .pod("x/web-2", "10.0.1.2", "tier", "web")
                .pod("y/web-3", "10.0.2.3", "tier", "web")
                .pod("x/app-1", "10.0.1.10", "tier", "app")
                .pod("x/db-1", "10.0.1.20", "tier", "db")
                .pod("y/ops", "10.0.2.30", "role", "ops")
                .defaultAction(defaultAction)
                .group("web-tier", "members: [{podSelector: {matchLabels: {tier: web}}}]")
                .group("db-tier", "members: [{podSelector: {matchLabels: {tier: db}}}]")
                .group("partners", "members: [{ipBlock: {cidr: 192.168.0.0/16, except: [192.168.9.0/24]}}, {group: ops}]")
                .group("ops", "members: [{podSelector: {matchLabels: {role: ops}}, namespaceSelector: {matchLabels: {env: dev}}}]")
                .firewall("quarantine", """
                        tier: emergency
                        priority: 1
                        rules: [{name: ops-ssh, action: Allow, sources: [{group: ops}], services: [{port: 22}]}]
                        """)
                .firewall("isolate-web", """
                        tier: security
                        priority: 10
                        rules:
                        - {name: web-to-web, action: Drop, sources: [{group: web-tier}], destinations: [{group: web-tier}]}
                        - {name: db-delegated, action: Pass, destinations: [{group: db-tier}]}
                        - {name: no-partners, action: Reject, direction: In, sources: [{group: partners}], services: [{port: 80, endPort: 90}, {protocol: UDP}]}
                        """)
                .firewall("app", """
                        tier: application
                        priority: 100
                        appliedTo: [{group: web-tier}, {podSelector: {matchLabels: {tier: app}}, namespaces: [x]}]
                        rules:
                        - {name: web-to-app, action: Allow, sources: [{group: web-tier}], destinations: [{podSelector: {matchLabels: {tier: app}}}], services: [{port: 8080}]}
                        - {name: app-out, action: Allow, direction: Out, sources: [{podSelector: {matchLabels: {tier: app}}}]}
                        """)
                .firewall("floor", """
                        tier: baseline
                        priority: 1
                        rules:
                        - {name: in-namespace, action: Allow, sources: [{namespaces: [x]}], destinations: [{namespaces: [x]}]}
                        - {name: to-outside, action: Pass, destinations: [{ipBlock: {cidr: 0.0.0.0/0, except: [10.0.0.0/8]}}]}
                        - {name: drop-dev, action: Drop, sources: [{namespaceSelector: {matchLabels: {env: dev}}}]}
                        """)
                .policy("""
                        apiVersion: networking.k8s.io/v1
                        kind: NetworkPolicy
                        metadata: {name: db, namespace: x}
                        spec:
                          podSelector: {matchLabels: {tier: db}}
                          ingress: [{from: [{podSelector: {matchLabels: {tier: app}}}], ports: [{port: 5432}]}]
                        """)
                .policy("""
                        apiVersion: networking.k8s.io/v1
                        kind: NetworkPolicy
                        metadata: {name: web-egress, namespace: x}
                        spec:
                          podSelector: {matchLabels: {pod: web-2}}
                          policyTypes: [Egress]
                          egress: [{to: [{ipBlock: {cidr: 10.0.0.0/8}}]}]
                        """);
    }

    @Test
    void compiledChainsDecideAsTheModelForEveryPairProtocolAndPort() {
        for (String defaultAction : List.of("Allow", "Drop", "Reject")) {
            PolicySnapshot snapshot = everything(defaultAction).snapshot();
            List<String> ends = new ArrayList<>(PODS.values());
            ends.addAll(OUTSIDE);
            int checked = 0;
            for (String from : ends) {
                for (String to : ends) {
                    if (from.equals(to) || OUTSIDE.contains(from) && OUTSIDE.contains(to)) {
                        continue;
                    }
                    for (String protocol : List.of("TCP", "UDP", "SCTP", "ICMP")) {
                        for (int port : List.of(22, 80, 85, 5432, 8080)) {
                            checkPair(snapshot, from, to, protocol, protocol.equals("ICMP") ? 0 : port);
                            checked++;
                        }
                    }
                }
            }
            assertThat(checked).isGreaterThan(1000);
        }
    }

    private static void checkPair(PolicySnapshot snapshot, String from, String to, String protocol, int port) {
        String what = defaultOf(snapshot) + ": " + from + " -> " + to + " " + port + "/" + protocol;
        Verdict verdict = snapshot.evaluate(Endpoint.address(from), Endpoint.address(to), protocol, port);
        InetAddress client = IpAddresses.parse(from);
        InetAddress server = IpAddresses.parse(to);
        Optional<FirewallDecision> egress = snapshot.podAt(client)
                .map(pod -> snapshot.compileFirewall(pod).egress().decide(client, server, protocol, port));
        Optional<FirewallDecision> ingress = snapshot.podAt(server)
                .map(pod -> snapshot.compileFirewall(pod).ingress().decide(server, client, protocol, port));
        assertThat(egress.map(FirewallDecision::action).orElse(RuleAction.ALLOW)).as("egress " + what)
                .isEqualTo(verdict.egressFirewall().action());
        assertThat(ingress.map(FirewallDecision::action).orElse(RuleAction.ALLOW)).as("ingress " + what)
                .isEqualTo(verdict.ingressFirewall().action());
        egress.ifPresent(d -> assertThat(d.decidedBy()).as("egress decided by " + what).isEqualTo(verdict.egressFirewall().decidedBy()));
        ingress.ifPresent(d -> assertThat(d.decidedBy()).as("ingress decided by " + what).isEqualTo(verdict.ingressFirewall().decidedBy()));
        egress.flatMap(FirewallDecision::rule).ifPresent(rule -> assertThat(verdict.egressFirewall().decidingRule())
                .map(FirewallMatch::rule).contains(rule));
    }

    private static String defaultOf(PolicySnapshot snapshot) {
        return "default " + snapshot.firewall().defaultAction();
    }

    @Test
    void theShapeOfAChain() {
        PolicySnapshot snapshot = everything("Drop").snapshot();
        PodFirewall db = snapshot.compileFirewall(NamespacedName.parse("x/db-1"));
        assertThat(db.ingress().tiers()).extracting(e -> e.rule().toString() + " " + e.action()).containsExactly(
                "quarantine/ops-ssh Allow", "isolate-web/db-delegated Pass", "isolate-web/no-partners Reject");
        FirewallEntry ssh = db.ingress().tiers().getFirst();
        assertThat(ssh.local()).extracting(Cidr::toString).containsExactly("10.0.1.20/32");
        assertThat(ssh.peers()).extracting(Cidr::toString).containsExactly("10.0.2.30/32");
        assertThat(ssh.services()).hasToString("22/TCP");
        FirewallEntry partners = db.ingress().tiers().get(2);
        assertThat(partners.peers()).extracting(Cidr::toString).contains("10.0.2.30/32", "192.168.0.0/21")
                .doesNotContain("192.168.9.0/24");
        assertThat(partners.services()).hasToString("80-90/TCP, every UDP port");
        assertThat(db.ingress().networkPolicy().isolated()).isTrue();
        assertThat(db.ingress().baseline()).extracting(e -> e.rule().rule()).containsExactly("in-namespace", "drop-dev");
        assertThat(db.ingress().defaultAction()).isEqualTo(RuleAction.DROP);
        // The db is no source of ops-ssh nor web-to-web, and no-partners is enforced only inbound.
        assertThat(db.egress().tiers()).extracting(e -> e.rule().rule()).containsExactly("db-delegated");
    }

    @Test
    void theDefaultDecisionNamesNoRule() {
        PolicySnapshot snapshot = everything("Drop").snapshot();
        InetAddress web3 = IpAddresses.parse("10.0.2.3");
        FirewallDecision decision = snapshot.compileFirewall(NamespacedName.parse("y/web-3")).egress()
                .decide(web3, IpAddresses.parse("203.0.113.5"), "TCP", 443);
        assertThat(decision).isEqualTo(new FirewallDecision(RuleAction.DROP, DecidedBy.DEFAULT_ACTION, Optional.empty()));
    }
}
