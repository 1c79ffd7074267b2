package io.drover.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.cli.CliHarness.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** apply, get, describe and delete of Kubernetes NetworkPolicies, at /apis/networking.k8s.io/v1. */
class NetworkPolicyCommandsTest extends AgainstFakeServer {

    private static final String POLICIES = """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: allow-client-a-via-ns-selector, namespace: x}
            spec:
              podSelector: {matchLabels: {pod: a}}
              policyTypes: [Ingress]
              ingress:
              - from:
                - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: y}}
                  podSelector: {matchExpressions: [{key: pod, operator: In, values: [b, c]}]}
                - ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}
                ports:
                - {port: 81, protocol: TCP}
                - {port: serve-80-udp, protocol: UDP}
                - {port: 1000, endPort: 2000}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: deny-all, namespace: x}
            spec:
              podSelector: {}
              policyTypes: [Ingress, Egress]
            ---
            apiVersion: drover.io/v1
            kind: Namespace
            metadata: {name: x}
            """;

    @TempDir
    Path dir;

    NetworkPolicyCommandsTest() {
        server.seed("""
                {apiVersion: networking.k8s.io/v1, kind: NetworkPolicy, metadata: {name: web-egress, namespace: default},
                 spec: {podSelector: {matchLabels: {app: web, tier: fe}}, egress: [{to: [{podSelector: {}}]}, {}]}}""");
    }

    private String file(String text) throws IOException {
        return Files.writeString(dir.resolve("policies.yaml"), text).toString();
    }

    @Test
    void applyCreatesTheNamespaceThenThePoliciesUnderTheNetworkingGroup() throws IOException {
        String policies = file(POLICIES);
        Result result = drover("apply", "-f", policies);

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo("""
                namespace/x created
                networkpolicy/allow-client-a-via-ns-selector created
                networkpolicy/deny-all created
                """);
        assertThat(server.calls()).containsExactly(
                "GET /apis/drover.io/v1/namespaces/x",
                "POST /apis/drover.io/v1/namespaces",
                "GET /apis/networking.k8s.io/v1/namespaces/x/networkpolicies/allow-client-a-via-ns-selector",
                "POST /apis/networking.k8s.io/v1/namespaces/x/networkpolicies",
                "GET /apis/networking.k8s.io/v1/namespaces/x/networkpolicies/deny-all",
                "POST /apis/networking.k8s.io/v1/namespaces/x/networkpolicies");
        var sent = server.requests().get(3).json();
        assertThat(sent.path("apiVersion").asString()).isEqualTo("networking.k8s.io/v1");
        assertThat(sent.path("spec").path("ingress").get(0).path("ports").get(1).path("port").asString()).isEqualTo("serve-80-udp");
        assertThat(sent.path("spec").path("ingress").get(0).path("ports").get(0).path("port").asInt()).isEqualTo(81);

        Result again = drover("apply", "-f", policies);
        assertThat(again.out()).isEqualTo("""
                namespace/x unchanged
                networkpolicy/allow-client-a-via-ns-selector unchanged
                networkpolicy/deny-all unchanged
                """);
    }

    @Test
    void applyNoticesAPeerThatChangesFromPodsToNamespaces() throws IOException {
        drover("apply", "-f", file(POLICIES));
        // Both peers are an empty selector; only the field differs, and it changes what the rule allows.
        String before = POLICIES.replace("policyTypes: [Ingress, Egress]", "ingress: [{from: [{podSelector: {}}]}]");
        String after = POLICIES.replace("policyTypes: [Ingress, Egress]", "ingress: [{from: [{namespaceSelector: {}}]}]");
        assertThat(drover("apply", "-f", file(before)).out()).contains("networkpolicy/deny-all configured");
        assertThat(drover("apply", "-f", file(after)).out()).contains("networkpolicy/deny-all configured");
        assertThat(drover("apply", "-f", file(after)).out()).contains("networkpolicy/deny-all unchanged");
    }

    @Test
    void aMistypedPortIsReportedAtItsLineBeforeAnythingIsSent() throws IOException {
        Result result = drover("apply", "-f", file(POLICIES.replace("{port: 81, protocol: TCP}", "{port: 81.5, protocol: TCP}")));

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("policies.yaml:13:").contains("spec.ingress[0].ports[0].port must be a port "
                + "number or the name of a port (got the number 81.5)");
        assertThat(server.calls()).isEmpty();
    }

    @Test
    void getListsPodSelectorAndTypes() throws IOException {
        drover("apply", "-f", file(POLICIES));

        Result inX = drover("get", "networkpolicies", "-n", "x");
        assertThat(inX.exitCode()).isZero();
        assertThat(inX.out()).isEqualTo("""
                NAME                             POD-SELECTOR   TYPES            AGE
                allow-client-a-via-ns-selector   pod=a          Ingress          5m
                deny-all                         <all>          Ingress,Egress   5m
                """);
        assertThat(server.calls().getLast()).isEqualTo("GET /apis/networking.k8s.io/v1/namespaces/x/networkpolicies");

        // policyTypes omitted: Ingress, and Egress because there are egress rules (Kubernetes' defaulting).
        assertThat(drover("get", "netpol").out()).isEqualTo("""
                NAME         POD-SELECTOR      TYPES            AGE
                web-egress   app=web,tier=fe   Ingress,Egress   5m
                """);
        assertThat(drover("get", "netpol", "-A").out().lines()).containsExactly(
                "NAMESPACE   NAME                             POD-SELECTOR      TYPES            AGE",
                "default     web-egress                       app=web,tier=fe   Ingress,Egress   5m",
                "x           allow-client-a-via-ns-selector   pod=a             Ingress          5m",
                "x           deny-all                         <all>             Ingress,Egress   5m");
        assertThat(server.calls().getLast()).isEqualTo("GET /apis/networking.k8s.io/v1/networkpolicies");
        assertThat(drover("get", "netpol", "deny-all", "-n", "x", "-o", "name").out()).isEqualTo("networkpolicy/deny-all\n");
    }

    @Test
    void getAsYamlAppliesAgainUnchanged() throws IOException {
        drover("apply", "-f", file(POLICIES));
        String yaml = drover("get", "netpol", "allow-client-a-via-ns-selector", "-n", "x", "-o", "yaml").out();
        assertThat(yaml).startsWith("apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n").contains("port: serve-80-udp");

        assertThat(drover("apply", "-f", file(yaml)).out())
                .isEqualTo("networkpolicy/allow-client-a-via-ns-selector unchanged\n");
    }

    @Test
    void describePrintsTheRulesInWords() throws IOException {
        drover("apply", "-f", file(POLICIES));

        Result result = drover("describe", "netpol", "allow-client-a-via-ns-selector", "-n", "x");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).startsWith("Name:              allow-client-a-via-ns-selector\nNamespace:         x\n")
                .endsWith("""
                        Pod Selector:      pod=a
                        Policy Types:      Ingress
                        Ingress:           Rule 1:
                                             From: pods pod in (b,c) in namespaces kubernetes.io/metadata.name=y
                                             From: 10.0.0.0/8 except 10.1.0.0/16
                                             Ports: 81/TCP, serve-80-udp/UDP, 1000-2000/TCP
                        Egress:            not affected (policyTypes does not include Egress)
                        """);

        assertThat(drover("describe", "netpol/deny-all", "-n", "x").out()).endsWith("""
                Pod Selector:      <all>
                Policy Types:      Ingress,Egress
                Ingress:           all ingress denied: the selected pods are isolated and no rule allows any
                Egress:            all egress denied: the selected pods are isolated and no rule allows any
                """);
        assertThat(drover("describe", "networkpolicy", "web-egress").out()).endsWith("""
                Ingress:           all ingress denied: the selected pods are isolated and no rule allows any
                Egress:            Rule 1:
                                     To: every pod in this namespace
                                     Ports: every port and protocol
                                   Rule 2:
                                     To: anywhere (every pod and address)
                                     Ports: every port and protocol
                """);
    }

    @Test
    void deleteByShortName() {
        Result result = drover("delete", "netpol", "web-egress");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo("networkpolicy/web-egress deleted\n");
        assertThat(server.calls()).containsExactly("DELETE /apis/networking.k8s.io/v1/namespaces/default/networkpolicies/web-egress");
        assertThat(drover("delete", "netpol", "web-egress").err())
                .isEqualTo("error: networkpolicy \"web-egress\" not found in namespace \"default\"\n");
    }

    @Test
    void deleteFromTheManifestFileDeletesPoliciesBeforeTheirNamespace() throws IOException {
        String policies = file(POLICIES);
        drover("apply", "-f", policies);

        Result result = drover("delete", "-f", policies);
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo("""
                networkpolicy/allow-client-a-via-ns-selector deleted
                networkpolicy/deny-all deleted
                namespace/x deleted
                """);
    }
}
