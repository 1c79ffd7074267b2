package io.drover.model.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.model.meta.ObjectMeta;
import io.drover.model.network.Network;
import io.drover.model.network.NetworkSpec;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodPort;
import io.drover.model.pod.PodSpec;
import io.drover.model.pod.PodStatus;
import io.drover.model.tenant.Tenant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading manifests that are right: documents, lines, locations, JSON, lists. */
class ManifestReaderTest {

    private static final String DEMO = """
            # Drover demo
            apiVersion: drover.io/v1
            kind: Network
            metadata: {name: blue}
            spec:
              subnets: ["10.10.0.0/16"]
            ---
            ---
            apiVersion: drover.io/v1
            kind: Pod
            metadata:
              name: web-1
              namespace: shop
            spec:
              networks: [blue]
              ports:
              - name: http
                port: 80
              - {name: metrics, port: 9090}
            ---
            """;

    @Test
    void readsEveryDocumentWithItsIndexAndStartLine() {
        List<Manifest> manifests = ManifestReader.read("demo.yaml", DEMO);
        assertThat(manifests).hasSize(2);

        Manifest network = manifests.get(0);
        assertThat(network.resource()).isEqualTo(Network.of(ObjectMeta.named("blue"), NetworkSpec.of("10.10.0.0/16")));
        assertThat(network.sourceName()).isEqualTo("demo.yaml");
        assertThat(network.documentIndex()).isEqualTo(1);
        assertThat(network.line()).isEqualTo(2);
        assertThat(network.start()).hasToString("demo.yaml:2:1");

        Manifest pod = manifests.get(1);
        // The empty document between the two "---" still counts, so that "document 3" is the third in the file.
        assertThat(pod.documentIndex()).isEqualTo(3);
        assertThat(pod.line()).isEqualTo(9);
        assertThat(pod.resource()).isEqualTo(Pod.of(ObjectMeta.named("shop", "web-1"), new PodSpec(null, null,
                List.of("blue"), List.of(new PodPort("http", 80, null, null, null), new PodPort("metrics", 9090, null, null, null)),
                null)));
    }

    @Test
    void locatesFieldsByPath() {
        Manifest pod = ManifestReader.read("demo.yaml", DEMO).get(1);
        assertThat(pod.locate("metadata.name")).map(Object::toString).contains("demo.yaml:12:3");
        assertThat(pod.locations().locateValue("metadata.name")).map(Object::toString).contains("demo.yaml:12:9");
        assertThat(pod.locate("spec.networks[0]")).map(Object::toString).contains("demo.yaml:15:14");
        assertThat(pod.locate("spec.ports[0]")).map(Object::toString).contains("demo.yaml:17:5");
        assertThat(pod.locate("spec.ports[0].port")).map(Object::toString).contains("demo.yaml:18:5");
        assertThat(pod.locate("spec.ports[1].port")).map(Object::toString).contains("demo.yaml:19:21");
        assertThat(pod.locations().locateValue("spec.ports[1].port")).map(Object::toString).contains("demo.yaml:19:27");
        assertThat(pod.locate("spec.ports[1].port")).get().isEqualTo(new SourceLocation("demo.yaml", 19, 21));
        assertThat(pod.locate("")).map(Object::toString).contains("demo.yaml:9:1");
        assertThat(pod.locate("spec.ports[2]")).isEmpty();
        assertThat(pod.locate("spec.command")).isEmpty();
    }

    @Test
    void locateNearestFallsBackToTheClosestWrittenAncestor() {
        Manifest pod = ManifestReader.read("demo.yaml", DEMO).get(1);
        assertThat(pod.locateNearest("spec.ports[0].hostPort")).hasToString("demo.yaml:17:5");
        assertThat(pod.locateNearest("metadata.labels[\"app\"]")).hasToString("demo.yaml:11:1");
        assertThat(pod.locateNearest("status.phase")).hasToString("demo.yaml:9:1");
    }

    @Test
    void mapKeysCanBeLocatedInBothSpellings() {
        String text = """
                apiVersion: drover.io/v1
                kind: Tenant
                metadata:
                  name: acme
                  labels:
                    app: web
                    example.com/team: net
                """;
        Manifest m = ManifestReader.read("t.yaml", text).getFirst();
        assertThat(m.locate("metadata.labels[\"app\"]")).map(Object::toString).contains("t.yaml:6:5");
        assertThat(m.locate("metadata.labels.app")).map(Object::toString).contains("t.yaml:6:5");
        assertThat(m.locate("metadata.labels['example.com/team']")).map(Object::toString).contains("t.yaml:7:5");
    }

    @Test
    void readsJsonIncludingTabsAndArrays() {
        String json = """
                {
                \t"apiVersion": "drover.io/v1",
                \t"kind": "Network",
                \t"metadata": {"name": "blue"},
                \t"spec": {"subnets": ["10.10.0.0/16"], "mtu": 1400, "natOutgoing": true}
                }
                """;
        Manifest m = ManifestReader.read("blue.json", json).getFirst();
        assertThat(((Network) m.resource()).spec().mtu()).isEqualTo(1400);
        assertThat(m.locate("spec.mtu")).map(Object::toString).contains("blue.json:5:40");

        String array = """
                [
                  {"apiVersion": "drover.io/v1", "kind": "Tenant", "metadata": {"name": "a"}},
                  {"apiVersion": "drover.io/v1", "kind": "Tenant", "metadata": {"name": "b"}}
                ]
                """;
        List<Manifest> tenants = ManifestReader.read("tenants.json", array);
        assertThat(tenants).extracting(t -> t.resource().name()).containsExactly("a", "b");
        assertThat(tenants).extracting(Manifest::line).containsExactly(2, 3);
        assertThat(tenants).extracting(Manifest::documentIndex).containsExactly(1, 1);
        // Paths inside an item start at the item, not at the array.
        assertThat(tenants.get(1).locate("metadata.name")).map(Object::toString).contains("tenants.json:3:65");
    }

    @Test
    void readsAKubernetesStyleList() {
        String list = """
                apiVersion: v1
                kind: List
                metadata: {}
                items:
                - apiVersion: drover.io/v1
                  kind: Tenant
                  metadata: {name: acme}
                - apiVersion: drover.io/v1
                  kind: Namespace
                  metadata: {name: shop}
                  spec: {tenant: acme}
                """;
        List<Manifest> manifests = ManifestReader.read("list.yaml", list);
        assertThat(manifests).extracting(m -> m.resource().kind() + "/" + m.resource().name())
                .containsExactly("Tenant/acme", "Namespace/shop");
        assertThat(manifests).extracting(Manifest::line).containsExactly(5, 8);
        assertThat(manifests.get(1).locate("spec.tenant")).map(Object::toString).contains("list.yaml:11:10");
        assertThat(manifests.get(1).tree().path("spec").path("tenant").asString()).isEqualTo("acme");
    }

    @Test
    void windowsLineEndingsAndByteOrderMark() {
        String text = "\uFEFFapiVersion: drover.io/v1\r\nkind: Tenant\r\nmetadata:\r\n  name: acme\r\n---\r\n"
                + "apiVersion: drover.io/v1\r\nkind: Tenant\r\nmetadata:\r\n  name: b\r\n";
        List<Manifest> manifests = ManifestReader.read("win.yaml", text);
        assertThat(manifests).extracting(m -> m.resource().name()).containsExactly("acme", "b");
        assertThat(manifests.get(1).locate("metadata.name")).map(Object::toString).contains("win.yaml:9:3");
    }

    @Test
    void validationErrorsPointAtTheLineThatIsWrong() {
        String text = """
                apiVersion: drover.io/v1
                kind: Network
                metadata:
                  name: Blue
                spec:
                  subnets:
                  - 10.10.0.0/16
                  - 10.20.0.0/16
                """;
        Manifest m = ManifestReader.readSingle("net.yaml", text);
        assertThat(io.drover.model.validation.Validators.validate(m.resource()))
                .extracting(e -> m.locateNearest(e.field()) + ": " + e.field())
                .containsExactly("net.yaml:4:3: metadata.name", "net.yaml:8:5: spec.subnets[1]");
        var problems = io.drover.model.validation.Validators.validate(m.resource()).stream()
                .map(e -> m.problem(e.field(), e.message())).toList();
        assertThat(new ManifestException(problems).getMessage().lines()).containsExactly(
                "net.yaml:4:3: metadata.name: 'Blue' must consist of lower case alphanumeric characters or '-', and must "
                        + "start and end with an alphanumeric character (e.g. 'my-name' or '123-abc')",
                "net.yaml:8:5: spec.subnets[1]: a network has at most one IPv4 subnet, and spec.subnets[0] (10.10.0.0/16) "
                        + "is one already; create another network for 10.20.0.0/16");
    }

    @Test
    void emptyListsAndDocumentsGiveNothing() {
        assertThat(ManifestReader.read("e.yaml", "")).isEmpty();
        assertThat(ManifestReader.read("e.yaml", "# nothing here\n")).isEmpty();
        assertThat(ManifestReader.read("e.yaml", "---\n---\n# just a comment\n---\n")).isEmpty();
        assertThat(ManifestReader.read("e.json", "[]")).isEmpty();
        assertThat(ManifestReader.read("e.yaml", "apiVersion: v1\nkind: List\nitems: []\n")).isEmpty();
    }

    @Test
    void givesTheTreeAsWrittenWithoutDefaults() {
        Manifest m = ManifestReader.read("demo.yaml", DEMO).getFirst();
        assertThat(m.tree().properties()).extracting(Map.Entry::getKey).containsExactly("apiVersion", "kind", "metadata", "spec");
        assertThat(m.tree().path("spec").has("mtu")).isFalse();
    }

    @Test
    void anchorsAndAliasesAreExpanded() {
        String text = """
                apiVersion: drover.io/v1
                kind: Pod
                metadata:
                  name: web
                  namespace: shop
                  labels: &labels {app: web, tier: frontend}
                  annotations: *labels
                """;
        Pod pod = (Pod) ManifestReader.read("a.yaml", text).getFirst().resource();
        assertThat(pod.metadata().annotations()).isEqualTo(Map.of("app", "web", "tier", "frontend"));
    }

    @Test
    void keepsNumbersStringsAndBooleansApart() {
        String text = """
                apiVersion: drover.io/v1
                kind: Network
                metadata: {name: blue, labels: {version: "1.10", enabled: "true"}}
                spec: {subnets: [10.10.0.0/16], natOutgoing: false, mtu: 1500}
                """;
        Network n = (Network) ManifestReader.read("n.yaml", text).getFirst().resource();
        assertThat(n.metadata().labels()).containsEntry("version", "1.10").containsEntry("enabled", "true");
        assertThat(n.spec().natOutgoing()).isFalse();
        assertThat(n.spec().mtu()).isEqualTo(1500);
    }

    @Test
    void readSingleWantsExactlyOneResource() {
        String one = "apiVersion: drover.io/v1\nkind: Tenant\nmetadata: {name: acme}\n";
        assertThat(ManifestReader.readSingle("request body", one).resource()).isEqualTo(Tenant.of(ObjectMeta.named("acme"), null));
    }

    @Test
    void fromTreeDecodesAParsedJsonBody() {
        var tree = ResourceCodec.json().readTree("""
                {"apiVersion": "drover.io/v1", "kind": "Pod", "metadata": {"name": "web", "namespace": "shop"},
                 "spec": {"networks": ["blue"]}}
                """);
        Manifest m = ManifestReader.fromTree("request body", tree);
        assertThat(m.resource()).isEqualTo(Pod.of(ObjectMeta.named("shop", "web"), PodSpec.on(null, "blue")));
        assertThat(m.line()).isZero();
        assertThat(m.locate("spec.networks")).isEmpty();
        assertThat(m.locateNearest("spec.networks")).hasToString("request body");
        assertThat(m.tree()).isSameAs(tree);
    }

    @Test
    void readsAFileUsingItsNameInMessages(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tenant.yaml");
        Files.writeString(file, "apiVersion: drover.io/v1\nkind: Tenant\nmetadata: {name: acme}\n");
        Manifest m = ManifestReader.read(file).getFirst();
        assertThat(m.sourceName()).isEqualTo(file.toString());
        assertThat(m.start()).hasToString(file + ":1:1");
    }

    @Test
    void resourcesWrittenByTheCodecReadBackEqual() {
        Pod pod = Pod.of(new ObjectMeta("web-1", "shop", Map.of("app", "web"), Map.of("note", "a: b"), null, null, null),
                new PodSpec("node-1", "bridge", List.of("blue", "red"), List.of(new PodPort("http", 80, "TCP", 8080, "10.0.0.1")),
                        List.of("sh", "-c", "echo 'hi: there'")));
        assertThat(ManifestReader.readSingle("yaml", ResourceCodec.toYaml(pod)).resource()).isEqualTo(pod);
        assertThat(ManifestReader.readSingle("json", ResourceCodec.toPrettyJson(pod)).resource()).isEqualTo(pod);
        Pod published = Pod.of(ObjectMeta.named("shop", "web-2"), new PodSpec("node-1", null, List.of("blue"),
                List.of(new PodPort("http", 80, null, null, null), new PodPort("dns", 53, "UDP", null, "10.0.0.1")), true, null))
                .withStatus(new PodStatus(PodStatus.ALLOCATED, List.of(), List.of(new PodStatus.PublishedPort(80, "TCP", 32768, null),
                        new PodStatus.PublishedPort(53, "UDP", 32768, "10.0.0.1")), null));
        String yaml = ResourceCodec.toYaml(published);
        assertThat(yaml).contains("publishAllPorts: true", "publishedPorts:", "hostPort: 32768");
        assertThat(ManifestReader.readSingle("yaml", yaml).resource()).isEqualTo(published);
        assertThat(ManifestReader.readSingle("json", ResourceCodec.toPrettyJson(published)).resource()).isEqualTo(published);
        Network network = Network.of(ObjectMeta.named("blue"), new NetworkSpec(List.of("10.10.0.0/16", "fd00:10::/64"),
                List.of("10.10.0.1"), 24, 120, true, 9000));
        assertThat(ManifestReader.readSingle("yaml", ResourceCodec.toYaml(network)).resource()).isEqualTo(network);
    }
}
