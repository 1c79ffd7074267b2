package io.drover.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.cli.CliHarness;
import io.drover.cli.CliHarness.Result;
import io.drover.cli.FakeApiServer;
import io.drover.model.codec.ResourceCodec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class GetCommandTest extends AgainstFakeServer {

    GetCommandTest() {
        server.seed("""
                    {apiVersion: drover.io/v1, kind: Pod, metadata: {name: web-2, namespace: shop, labels: {app: web}},
                     spec: {node: node-1, networks: [blue]},
                     status: {phase: Allocated, addresses: [{network: blue, interface: eth0, ip: 10.10.0.8, prefix: 16}]}}""")
                .seed("{apiVersion: drover.io/v1, kind: Pod, metadata: {name: web-1, namespace: shop}, spec: {node: node-2}}")
                .seed("{apiVersion: drover.io/v1, kind: Pod, metadata: {name: api, namespace: default}, spec: {}}")
                .seed("{apiVersion: drover.io/v1, kind: Network, metadata: {name: blue}, spec: {subnets: [10.10.0.0/16]}}");
    }

    @Test
    void listsPodsOfTheDefaultNamespaceAsATable() {
        Result result = drover("get", "pods");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo("""
                NAME   NODE     ADDRESSES   STATUS    AGE
                api    <none>   <pending>   Pending   5m
                """);
        assertThat(server.calls()).containsExactly("GET /apis/drover.io/v1/namespaces/default/pods");
    }

    @Test
    void listsOneNamespaceSortedByName() {
        Result result = drover("get", "po", "-n", "shop");

        assertThat(result.out()).isEqualTo("""
                NAME    NODE     ADDRESSES   STATUS      AGE
                web-1   node-2   <pending>   Pending     5m
                web-2   node-1   10.10.0.8   Allocated   5m
                """);
    }

    @Test
    void allNamespacesAddsTheNamespaceColumnAndUsesTheClusterWidePath() {
        Result result = drover("get", "pods", "-A", "-o", "wide");

        assertThat(result.out().lines().toList()).containsExactly(
                "NAMESPACE   NAME    NODE     ADDRESSES   STATUS      AGE   NETWORKS   MODE     LABELS",
                "default     api     <none>   <pending>   Pending     5m    <none>     bridge   <none>",
                "shop        web-1   node-2   <pending>   Pending     5m    <none>     bridge   <none>",
                "shop        web-2   node-1   10.10.0.8   Allocated   5m    blue       bridge   app=web");
        assertThat(server.calls()).containsExactly("GET /apis/drover.io/v1/pods");
    }

    @Test
    void theSelectorIsSentToTheServer() {
        drover("get", "pods", "-n", "shop", "-l", "app=web");

        assertThat(server.calls()).containsExactly("GET /apis/drover.io/v1/namespaces/shop/pods?labelSelector=app%3Dweb");
    }

    @Test
    void anEmptyListSaysSoOnStderr() {
        Result inNamespace = drover("get", "pods", "-n", "empty");
        Result clusterScoped = drover("get", "nodes");

        assertThat(inNamespace.exitCode()).isZero();
        assertThat(inNamespace.out()).isEmpty();
        assertThat(inNamespace.err()).isEqualTo("No resources found in empty namespace.\n");
        assertThat(clusterScoped.err()).isEqualTo("No resources found\n");
    }

    @Test
    void oneObjectByNameOrKindSlashName() {
        Result byName = drover("get", "network", "blue");
        Result slash = drover("get", "net/blue", "-o", "name");

        assertThat(byName.out()).isEqualTo("NAME   SUBNETS        NAT     MTU    AGE\nblue   10.10.0.0/16   false   1500   5m\n");
        assertThat(slash.out()).isEqualTo("network/blue\n");
        assertThat(server.calls()).containsExactly("GET /apis/drover.io/v1/networks/blue", "GET /apis/drover.io/v1/networks/blue");
    }

    @Test
    void yamlAndJsonOfOneObjectAndOfAList() {
        Result yaml = drover("get", "pod", "web-2", "-n", "shop", "-o", "yaml");
        Result json = drover("get", "pods", "-n", "shop", "-o", "json");

        JsonNode pod = ResourceCodec.yaml().readTree(yaml.out());
        assertThat(pod.path("kind").asString()).isEqualTo("Pod");
        assertThat(pod.path("status").path("addresses").get(0).path("ip").asString()).isEqualTo("10.10.0.8");
        JsonNode list = ResourceCodec.json().readTree(json.out());
        assertThat(list.path("kind").asString()).isEqualTo("List");
        assertThat(list.path("items").values()).extracting(i -> i.path("metadata").path("name").asString())
                .containsExactly("web-1", "web-2");
    }

    @Test
    void notFoundNamesTheObjectAndItsNamespace() {
        Result pod = drover("get", "pod", "x");
        Result network = drover("get", "network", "x");

        assertThat(pod.exitCode()).isEqualTo(1);
        assertThat(pod.err()).isEqualTo("error: pod \"x\" not found in namespace \"default\"\n");
        assertThat(network.err()).isEqualTo("error: network \"x\" not found\n");
    }

    @Test
    void otherServerErrorsArePrintedWithTheirCauses() {
        server.script("GET", "/apis/drover.io/v1/namespaces/default/pods", 400,
                FakeApiServer.statusJson(400, "BadRequest", "invalid label selector", List.of("labelSelector", "unexpected '('")));

        Result result = drover("get", "pods");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("error: invalid label selector\n  labelSelector: unexpected '('\n");
    }

    @Test
    void theServerOptionWinsOverTheEnvironment() {
        Result result = CliHarness.run(Map.of("DROVER_SERVER", "http://127.0.0.1:1"), "", "--server", server.url(), "get", "networks");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).startsWith("NAME   SUBNETS");
    }
}
