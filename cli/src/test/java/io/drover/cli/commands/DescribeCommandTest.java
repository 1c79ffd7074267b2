package io.drover.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.cli.CliHarness.Result;
import io.drover.cli.FakeApiServer;
import org.junit.jupiter.api.Test;

class DescribeCommandTest extends AgainstFakeServer {

    DescribeCommandTest() {
        server.seed("{apiVersion: drover.io/v1, kind: Pod, metadata: {name: web-1, namespace: shop}, spec: {node: node-1, networks: [blue]}}");
    }

    @Test
    void describesTheObjectFromTheServer() {
        Result result = drover("describe", "pod", "web-1", "-n", "shop");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).startsWith("Name:              web-1\nNamespace:         shop\n")
                .contains("Created:           " + FakeApiServer.CREATED + " (5m ago)\n", "Node:              node-1\n");
        assertThat(server.calls()).containsExactly("GET /apis/drover.io/v1/namespaces/shop/pods/web-1");
    }

    @Test
    void notFound() {
        Result result = drover("describe", "pod/web-1");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("error: pod \"web-1\" not found in namespace \"default\"\n");
    }
}
