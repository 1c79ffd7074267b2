package io.drover.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.cli.CliHarness;
import io.drover.cli.CliHarness.Result;
import io.drover.cli.FakeApiServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApplyCommandTest {

    private static final String SHOP = """
            apiVersion: drover.io/v1
            kind: Pod
            metadata: {name: web-1, namespace: shop, labels: {app: web}}
            spec: {node: node-1, networks: [blue]}
            ---
            apiVersion: drover.io/v1
            kind: Network
            metadata: {name: blue}
            spec: {subnets: ["10.10.0.0/16"]}
            ---
            apiVersion: drover.io/v1
            kind: Namespace
            metadata: {name: shop}
            """;

    private final FakeApiServer server = FakeApiServer.start();

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        server.close();
    }

    private Result apply(String... args) {
        return applyWithStdin("", args);
    }

    private Result applyWithStdin(String stdin, String... args) {
        String[] full = new String[args.length + 3];
        full[0] = "apply";
        System.arraycopy(args, 0, full, 1, args.length);
        full[args.length + 1] = "--server";
        full[args.length + 2] = server.url();
        return CliHarness.run(Map.of(), stdin, full);
    }

    private String file(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text).toString();
    }

    @Test
    void createsNamespacesAndNetworksBeforeThePodsThatUseThem() throws IOException {
        Result result = apply("-f", file("shop.yaml", SHOP));

        assertThat(result.exitCode()).isZero();
        assertThat(result.err()).isEmpty();
        assertThat(result.out()).isEqualTo("namespace/shop created\nnetwork/blue created\npod/web-1 created\n");
        assertThat(server.calls()).containsExactly(
                "GET /apis/drover.io/v1/namespaces/shop",
                "POST /apis/drover.io/v1/namespaces",
                "GET /apis/drover.io/v1/networks/blue",
                "POST /apis/drover.io/v1/networks",
                "GET /apis/drover.io/v1/namespaces/shop/pods/web-1",
                "POST /apis/drover.io/v1/namespaces/shop/pods");
    }

    @Test
    void applyingAgainIsUnchangedAndAChangeIsConfiguredWithTheCurrentResourceVersion() throws IOException {
        String shop = file("shop.yaml", SHOP);
        apply("-f", shop);
        String rv = server.stored("/apis/drover.io/v1/namespaces/shop/pods/web-1").path("metadata").path("resourceVersion").asString();

        Result again = apply("-f", shop);
        Result changed = apply("-f", file("shop.yaml", SHOP.replace("node: node-1", "node: node-2")));

        assertThat(again.out()).isEqualTo("namespace/shop unchanged\nnetwork/blue unchanged\npod/web-1 unchanged\n");
        assertThat(changed.out()).isEqualTo("namespace/shop unchanged\nnetwork/blue unchanged\npod/web-1 configured\n");
        FakeApiServer.Request put = server.requests().getLast();
        assertThat(put.method()).isEqualTo("PUT");
        assertThat(put.path()).isEqualTo("/apis/drover.io/v1/namespaces/shop/pods/web-1");
        assertThat(put.json().path("metadata").path("resourceVersion").asString()).isEqualTo(rv);
        assertThat(put.json().path("spec").path("node").asString()).isEqualTo("node-2");
    }

    @Test
    void aRefusedObjectIsReportedWithItsCausesAndTheOthersStillApply() throws IOException {
        server.script("POST", "/apis/drover.io/v1/networks", 422, FakeApiServer.statusJson(422, "Invalid",
                "Network \"blue\" is invalid", List.of("spec.subnets[0]", "overlaps network red (10.10.0.0/17)")));

        String shop = file("shop.yaml", SHOP);
        Result result = apply("-f", shop);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).isEqualTo("namespace/shop created\npod/web-1 created\n");
        // Each cause points at the line of the manifest that holds the field.
        assertThat(result.err()).isEqualTo("""
                error: network/blue (%1$s:6:1): Network "blue" is invalid
                  %1$s:9:18: spec.subnets[0]: overlaps network red (10.10.0.0/17)
                """.formatted(shop));
    }

    @Test
    void aConflictIsRetriedWithAFreshRead() throws IOException {
        apply("-f", file("shop.yaml", SHOP));
        server.script("PUT", "/apis/drover.io/v1/networks/blue", 409, FakeApiServer.statusJson(409, "Conflict", "modified meanwhile", List.of()));

        Result result = apply("-f", file("blue.yaml", SHOP.split("---\n")[1].replace("10.10.0.0/16", "10.11.0.0/16")));

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo("network/blue configured\n");
        assertThat(server.calls()).endsWith(
                "GET /apis/drover.io/v1/networks/blue", "PUT /apis/drover.io/v1/networks/blue",
                "GET /apis/drover.io/v1/networks/blue", "PUT /apis/drover.io/v1/networks/blue");
    }

    @Test
    void aConflictThatPersistsIsReported() throws IOException {
        apply("-f", file("shop.yaml", SHOP));
        for (int i = 0; i < 3; i++) {
            server.script("PUT", "/apis/drover.io/v1/networks/blue", 409, FakeApiServer.statusJson(409, "Conflict",
                    "Operation cannot be fulfilled on networks \"blue\": the object has been modified", List.of()));
        }

        String blue = file("blue.yaml", SHOP.split("---\n")[1].replace("10.10.0.0/16", "10.11.0.0/16"));
        Result result = apply("-f", blue);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("error: network/blue (" + blue
                + ":1:1): Operation cannot be fulfilled on networks \"blue\": the object has been modified\n");
    }

    @Test
    void aMalformedFileStopsEverythingBeforeAnyRequest() throws IOException {
        String good = file("a.yaml", SHOP);
        String bad = file("b.yaml", "apiVersion: drover.io/v1\nkind: Pod\nmetadata: {name: x}\nspec: {nodee: n1}\n");

        Result result = apply("-f", good, "-f", bad);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).startsWith("error: " + bad + ":4:").contains("nodee");
        assertThat(server.requests()).isEmpty();
    }

    @Test
    void dashNAppliesToObjectsWithoutNamespaceAndStdinIsRead() {
        String pod = "apiVersion: drover.io/v1\nkind: Pod\nmetadata: {name: web-9}\nspec: {node: node-1}\n";

        Result result = applyWithStdin(pod, "-n", "lab", "-f", "-");

        assertThat(result.out()).isEqualTo("pod/web-9 created\n");
        assertThat(server.calls()).containsExactly(
                "GET /apis/drover.io/v1/namespaces/lab/pods/web-9", "POST /apis/drover.io/v1/namespaces/lab/pods");
        assertThat(server.requests().getLast().json().path("metadata").path("namespace").asString()).isEqualTo("lab");
    }

    @Test
    void withoutDashNTheNamespaceIsDefault() throws IOException {
        apply("-f", file("p.yaml", "apiVersion: drover.io/v1\nkind: Pod\nmetadata: {name: web-9}\n"));

        assertThat(server.calls()).contains("POST /apis/drover.io/v1/namespaces/default/pods");
    }

    @Test
    void aDirectoryOfManifestsIsApplied() throws IOException {
        Path manifests = Files.createDirectory(dir.resolve("manifests"));
        String[] documents = SHOP.split("---\n");
        Files.writeString(manifests.resolve("1-pod.yaml"), documents[0]);
        Files.writeString(manifests.resolve("2-network.yml"), documents[1]);
        Files.writeString(manifests.resolve("3-namespace.yaml"), documents[2]);

        Result result = apply("-f", manifests.toString());

        assertThat(result.out()).isEqualTo("namespace/shop created\nnetwork/blue created\npod/web-1 created\n");
    }

    @Test
    void anEmptyFileHasNothingToApply() throws IOException {
        Result result = apply("-f", file("empty.yaml", "# nothing yet\n"));

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("error: no objects passed to apply (the files hold no resources)\n");
    }

    @Test
    void noServerStopsTheRunWithHowToStartOne() throws IOException {
        String shop = file("shop.yaml", SHOP);
        server.close();

        Result result = CliHarness.run(Map.of("DROVER_SERVER", server.url()), "", "apply", "-f", shop);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEqualTo("error: no Drover server answers at " + server.url()
                + ". Start one with: ./drover server --store embedded --data ./.drover/data --listen "
                + server.url().substring("http://".length())
                + "   (or point --server / DROVER_SERVER at a running one)\n");
    }
}
