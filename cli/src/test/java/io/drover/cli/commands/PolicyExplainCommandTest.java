package io.drover.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.cli.CliHarness.Result;
import org.junit.jupiter.api.Test;

/** {@code drover policy explain}: the verdict and its reasons, from the API's objects. */
class PolicyExplainCommandTest extends AgainstFakeServer {

    PolicyExplainCommandTest() {
        server.seed("{apiVersion: drover.io/v1, kind: Namespace, metadata: {name: x, labels: {kubernetes.io/metadata.name: x}}}")
                .seed("{apiVersion: drover.io/v1, kind: Namespace, metadata: {name: y, labels: {kubernetes.io/metadata.name: y}}}")
                .seed(pod("x", "a", "10.0.1.1"))
                .seed(pod("y", "b", "10.0.2.2"))
                .seed(pod("y", "c", "10.0.2.3"))
                .seed("""
                        {apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: allow-x, namespace: y},
                         spec: {podSelector: {matchLabels: {pod: b}}, ingress: [{from: [{namespaceSelector:
                         {matchLabels: {kubernetes.io/metadata.name: x}}}], ports: [{port: 81}]}]}}""");
    }

    private static String pod(String namespace, String name, String ip) {
        return """
                {apiVersion: drover.io/v1, kind: Pod, metadata: {name: %s, namespace: %s, labels: {pod: %s}},
                 spec: {node: node-1, networks: [blue]},
                 status: {phase: Allocated, addresses: [{network: blue, interface: eth0, ip: %s, prefix: 16}]}}"""
                .formatted(name, namespace, name, ip);
    }

    @Test
    void anAllowedConnectionNamesThePolicyAndRuleThatAllowIt() {
        Result result = drover("policy", "explain", "--from", "x/a", "--to", "y/b", "--port", "81/tcp");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).startsWith("x/a -> y/b 81/TCP: allowed")
                .contains("egress of x/a: not isolated")
                .contains("ingress of y/b: isolated by y/allow-x; allowed by y/allow-x ingress[0]");
    }

    @Test
    void aBlockedConnectionExitsWithThreeAndSaysNoRuleMatched() {
        Result result = drover("policy", "explain", "--from", "x/a", "--to", "10.0.2.2", "--port", "80");

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.out()).startsWith("x/a -> y/b (10.0.2.2) 80/TCP: blocked by ingress").contains("isolated by y/allow-x; no rule allows it");
    }

    @Test
    void aPodNoPolicySelectsIsReachable() {
        Result result = drover("policy", "explain", "--from", "x/a", "--to", "y/c", "--port", "53/UDP");

        assertThat(result.exitCode()).as(result.out()).isZero();
        assertThat(result.out()).contains("ingress of y/c: not isolated");
    }

    @Test
    void anUnknownPodOrABadPortIsAnErrorThatSaysWhatToDo() {
        Result unknown = drover("policy", "explain", "--from", "x/nope", "--to", "y/b", "--port", "80");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).contains("pod \"nope\" not found in namespace \"x\" (--from)", "drover get pods -n x");

        Result badPort = drover("policy", "explain", "--from", "x/a", "--to", "y/b", "--port", "80/ICMP");
        assertThat(badPort.exitCode()).isNotZero();
        assertThat(badPort.err()).contains("the protocol must be TCP, UDP or SCTP");
    }
}
