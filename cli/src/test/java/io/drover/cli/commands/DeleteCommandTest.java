package io.drover.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.cli.CliHarness.Result;
import io.drover.cli.FakeApiServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeleteCommandTest extends AgainstFakeServer {

    @TempDir
    Path dir;

    DeleteCommandTest() {
        server.seed("{apiVersion: drover.io/v1, kind: Pod, metadata: {name: web-1, namespace: shop}}")
                .seed("{apiVersion: drover.io/v1, kind: Namespace, metadata: {name: shop}}")
                .seed("{apiVersion: drover.io/v1, kind: Network, metadata: {name: blue}, spec: {subnets: [10.10.0.0/16]}}");
    }

    @Test
    void deletesByKindAndName() {
        Result result = drover("delete", "pod", "web-1", "-n", "shop");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo("pod/web-1 deleted\n");
        assertThat(server.calls()).containsExactly("DELETE /apis/drover.io/v1/namespaces/shop/pods/web-1");
    }

    @Test
    void aMissingObjectIsAnErrorButTheOthersAreStillDeleted() {
        Result result = drover("delete", "networks", "red", "blue");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).isEqualTo("network/blue deleted\n");
        assertThat(result.err()).isEqualTo("error: network \"red\" not found\n");
    }

    @Test
    void aMissingPodNamesItsNamespace() {
        Result result = drover("delete", "pod/web-1");

        assertThat(result.err()).isEqualTo("error: pod \"web-1\" not found in namespace \"default\"\n");
    }

    @Test
    void deletesTheObjectsOfAManifestDependentsFirst() throws IOException {
        Path file = Files.writeString(dir.resolve("shop.yaml"), """
                apiVersion: drover.io/v1
                kind: Namespace
                metadata: {name: shop}
                ---
                apiVersion: drover.io/v1
                kind: Network
                metadata: {name: blue}
                spec: {subnets: ["10.10.0.0/16"]}
                ---
                apiVersion: drover.io/v1
                kind: Pod
                metadata: {name: web-1}
                ---
                apiVersion: drover.io/v1
                kind: Pod
                metadata: {name: web-1}
                """);

        Result result = drover("delete", "-f", file.toString(), "-n", "shop");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo("pod/web-1 deleted\nnetwork/blue deleted\nnamespace/shop deleted\n");
        assertThat(server.calls()).containsExactly(
                "DELETE /apis/drover.io/v1/namespaces/shop/pods/web-1",
                "DELETE /apis/drover.io/v1/networks/blue",
                "DELETE /apis/drover.io/v1/namespaces/shop");
    }

    @Test
    void ignoreNotFoundTreatsMissingObjectsAsDeleted() throws IOException {
        Path file = Files.writeString(dir.resolve("gone.yaml"), "apiVersion: drover.io/v1\nkind: Pod\nmetadata: {name: gone}\n");

        Result strict = drover("delete", "-f", file.toString());
        Result lenient = drover("delete", "-f", file.toString(), "--ignore-not-found");

        assertThat(strict.exitCode()).isEqualTo(1);
        assertThat(strict.err()).isEqualTo("error: pod \"gone\" not found in namespace \"default\"\n");
        assertThat(lenient.exitCode()).isZero();
        assertThat(lenient.out()).isEmpty();
        assertThat(lenient.err()).isEmpty();
    }

    @Test
    void aRefusalIsPrintedWithTheObject() {
        server.script("DELETE", "/apis/drover.io/v1/networks/blue", 409, FakeApiServer.statusJson(409, "Conflict",
                "network blue is in use by 1 pod", List.of("", "pod shop/web-1 joins it")));

        Result result = drover("delete", "network", "blue");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("error: network/blue: network blue is in use by 1 pod\n  pod shop/web-1 joins it\n");
    }
}
