package io.drover.cli.output;

import static io.drover.cli.output.Fixtures.parse;
import static org.assertj.core.api.Assertions.assertThat;

import io.drover.model.Resource;
import io.drover.model.ResourceKind;
import io.drover.model.meta.ObjectMeta;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodSpec;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResourceTablesTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private final ResourceTables tables = new ResourceTables(NOW);

    private final Resource web = parse(ResourceKind.POD, Fixtures.WEB_1);
    private final Resource db = parse(ResourceKind.POD, Fixtures.DB_1);

    @Test
    void podsShowNodeAddressesStatusAndAge() {
        String text = tables.table(ResourceKind.POD, List.of(web, db), false, false).render();

        assertThat(text).isEqualTo("""
                NAME    NODE     ADDRESSES                        STATUS      AGE
                web-1   node-1   10.10.0.7,fd00:10::7,10.20.0.9   Allocated   5m
                db-1    <none>   <node's>                         <none>      2d
                """);
    }

    @Test
    void podsOutsideBridgeModeSayWhoseNetworkTheyUseInsteadOfPending() {
        Pod bridge = Pod.of(ObjectMeta.named("default", "b"), PodSpec.on("node-1", "blue"));
        Pod sidecar = Pod.of(ObjectMeta.named("default", "s"), new PodSpec("node-1", "container:web", List.of(), List.of(), List.of()));
        Pod isolated = Pod.of(ObjectMeta.named("default", "n"), new PodSpec("node-1", "none", List.of(), List.of(), List.of()));

        assertThat(ResourceTables.addresses(bridge)).isEqualTo("<pending>");
        assertThat(ResourceTables.phase(bridge)).isEqualTo("Pending");
        assertThat(ResourceTables.addresses(sidecar)).isEqualTo("<shares web>");
        assertThat(ResourceTables.phase(sidecar)).isEqualTo("<none>");
        assertThat(ResourceTables.addresses(isolated)).isEqualTo("<loopback only>");
    }

    @Test
    void allNamespacesPutsTheNamespaceFirst() {
        Table table = tables.table(ResourceKind.POD, List.of(web, db), false, true);

        assertThat(table.headers()).containsExactly("NAMESPACE", "NAME", "NODE", "ADDRESSES", "STATUS", "AGE");
        assertThat(table.rows().get(1)).startsWith("default", "db-1");
    }

    @Test
    void wideAddsNetworksModeAndSortedLabels() {
        Table table = tables.table(ResourceKind.POD, List.of(web, db), true, false);

        assertThat(table.headers()).containsExactly("NAME", "NODE", "ADDRESSES", "STATUS", "AGE", "NETWORKS", "MODE", "LABELS");
        assertThat(table.rows().get(0).subList(5, 8)).containsExactly("blue,red", "bridge", "app=web,tier=frontend");
        assertThat(table.rows().get(1).subList(5, 8)).containsExactly("<none>", "host", "<none>");
    }

    @Test
    void networksShowSubnetsNatMtuAndWideGatewaysAndBlockSizes() {
        Resource blue = parse(ResourceKind.NETWORK, Fixtures.BLUE);

        Table plain = tables.table(ResourceKind.NETWORK, List.of(blue), false, true);
        Table wide = tables.table(ResourceKind.NETWORK, List.of(blue), true, false);

        // Cluster-scoped: -A adds no NAMESPACE column.
        assertThat(plain.headers()).containsExactly("NAME", "SUBNETS", "NAT", "MTU", "AGE");
        assertThat(plain.rows().getFirst()).containsExactly("blue", "10.10.0.0/16,fd00:10::/64", "true", "1500", "120m");
        assertThat(wide.headers()).endsWith("GATEWAYS", "BLOCK SIZES");
        // The explicit IPv4 gateway, the default (first host) IPv6 one; default /26, explicit /120.
        assertThat(wide.rows().getFirst()).endsWith("10.10.0.254,fd00:10::1", "/26,/120");
    }

    @Test
    void nodesNamespacesAndTenants() {
        Resource ready = parse(ResourceKind.NODE, """
                {kind: Node, metadata: {name: node-1, creationTimestamp: "2026-03-01T11:59:30Z"}, spec: {address: 192.168.50.11}, status: {ready: true}}""");
        Resource unknown = parse(ResourceKind.NODE, "{kind: Node, metadata: {name: node-2}}");
        Resource namespace = parse(ResourceKind.NAMESPACE, "{kind: Namespace, metadata: {name: shop}, spec: {tenant: acme}}");
        Resource plainNamespace = parse(ResourceKind.NAMESPACE, "{kind: Namespace, metadata: {name: default}}");
        Resource tenant = parse(ResourceKind.TENANT, "{kind: Tenant, metadata: {name: acme}, spec: {description: Acme Corp}}");

        assertThat(tables.table(ResourceKind.NODE, List.of(ready, unknown), false, false).render()).isEqualTo("""
                NAME     ADDRESS         READY     AGE
                node-1   192.168.50.11   True      30s
                node-2   <none>          Unknown   <unknown>
                """);
        assertThat(tables.table(ResourceKind.NAMESPACE, List.of(namespace, plainNamespace), false, false).rows())
                .extracting(row -> row.get(1)).containsExactly("acme", "default");
        assertThat(tables.table(ResourceKind.TENANT, List.of(tenant), false, false).render())
                .startsWith("NAME   DESCRIPTION   AGE\nacme   Acme Corp     <unknown>\n");
    }
}
