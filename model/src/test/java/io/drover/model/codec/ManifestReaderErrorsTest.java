package io.drover.model.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.drover.model.codec.ManifestException.Problem;
import org.junit.jupiter.api.Test;

/** What a user sees for a manifest that is wrong: file:line:column, what is wrong, what to write. */
class ManifestReaderErrorsTest {

    private static final String KNOWN_KINDS = "Block, FirewallPolicy, FirewallSettings, Namespace, Network, NetworkPolicy, Node, "
            + "Pod, SecurityGroup, Service, ServiceEndpoints, Tenant";

    private static ManifestException error(String source, String text) {
        ManifestException e = catchThrowableOfType(ManifestException.class, () -> ManifestReader.read(source, text));
        assertThat(e).as("reading %s should fail", source).isNotNull();
        return e;
    }

    private static String network(String spec) {
        return "apiVersion: drover.io/v1\nkind: Network\nmetadata: {name: blue}\nspec:\n" + spec;
    }

    @Test
    void syntaxErrorNamesFileLineColumnAndFix() {
        String text = """
                apiVersion: drover.io/v1
                kind: Pod
                metadata:
                  name: a
                  labels: app: web
                """;
        ManifestException e = error("deploy.yaml", text);
        assertThat(e).hasMessage("deploy.yaml:5:14: mapping values are not allowed here; "
                + "quote a value that contains ': ', or fix the indentation of this line");
        assertThat(e.problems()).containsExactly(new Problem(new SourceLocation("deploy.yaml", 5, 14), "",
                "mapping values are not allowed here; quote a value that contains ': ', or fix the indentation of this line"));
    }

    @Test
    void badIndentation() {
        assertThat(error("deploy.yaml", "metadata:\n  name: a\n   bad: x\n"))
                .hasMessage("deploy.yaml:3:7: mapping values are not allowed here; "
                        + "quote a value that contains ': ', or fix the indentation of this line");
    }

    @Test
    void tabsForIndentation() {
        assertThat(error("tabs.yaml", "metadata:\n\tname: a\n").getMessage())
                .startsWith("tabs.yaml:2:1: ")
                .endsWith("; indent with spaces, not tabs");
    }

    @Test
    void unclosedBracketPointsAtWhereItOpened() {
        assertThat(error("net.yaml", network("  subnets: [10.10.0.0/16\n")))
                .hasMessage("net.yaml:6:1: expected ',' or ']', but got <stream end> (while parsing a flow sequence that "
                        + "starts at line 5, column 12); close the bracket or brace, and separate items with commas");
    }

    @Test
    void unclosedQuote() {
        assertThat(error("q.yaml", "metadata:\n  name: \"web\n").getMessage())
                .startsWith("q.yaml:3:1: found unexpected end of stream (while scanning a quoted scalar that starts at line 2, column 9)")
                .endsWith("; close the quote");
    }

    @Test
    void brokenJson() {
        assertThat(error("body.json", "{\"apiVersion\": \"drover.io/v1\", \"kind\": \"Pod\"").getMessage())
                .startsWith("body.json:1:")
                .contains("while parsing a flow mapping that starts at line 1, column 1");
    }

    @Test
    void documentThatIsNotAMapping() {
        assertThat(error("x.yaml", "apiVersion: drover.io/v1\nkind: Tenant\nmetadata: {name: a}\n---\njust some text\n"))
                .hasMessage("x.yaml:5:1: this document is the string \"just some text\", not a mapping; a document is one "
                        + "resource with apiVersion, kind, metadata and spec (check the indentation and the ': ' after each field name)");
        assertThat(error("x.yaml", "- 1\n- [a]\n")).hasMessage("""
                x.yaml:1:3: this item is the number 1, not a mapping; each item is one resource with apiVersion, kind, metadata and spec
                x.yaml:2:3: this item is a list, not a mapping; each item is one resource with apiVersion, kind, metadata and spec""");
    }

    @Test
    void missingApiVersionAndKind() {
        assertThat(error("m.yaml", "# a tenant\nmetadata: {name: acme}\n")).hasMessage("""
                m.yaml:2:1: missing kind; add "kind: <kind>" with one of: Block, FirewallPolicy, FirewallSettings, Namespace, Network, NetworkPolicy, Node, Pod, SecurityGroup, Service, ServiceEndpoints, Tenant
                m.yaml:2:1: missing apiVersion; add "apiVersion: drover.io/v1" ("apiVersion: networking.k8s.io/v1" for a NetworkPolicy)""");
        assertThat(error("m.yaml", "apiVersion: drover.io/v1\nkind: \"\"\nmetadata: {name: acme}\n").problems())
                .extracting(Problem::fieldPath).containsExactly("kind");
    }

    @Test
    void unknownKindListsTheKnownOnes() {
        assertThat(error("ing.yaml", "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: web}\n"))
                .hasMessage("ing.yaml:2:7: unknown kind \"Ingress\"; known kinds are: " + KNOWN_KINDS);
        assertThat(error("p.yaml", "apiVersion: drover.io/v1\nkind: pods\n"))
                .hasMessage("p.yaml:2:7: unknown kind \"pods\"; known kinds are: " + KNOWN_KINDS + "; did you mean \"Pod\"?");
        assertThat(error("n.yaml", "apiVersion: drover.io/v1\nkind: Netwrok\n"))
                .hasMessage("n.yaml:2:7: unknown kind \"Netwrok\"; known kinds are: " + KNOWN_KINDS + "; did you mean \"Network\"?");
    }

    @Test
    void apiVersionMustGoWithTheKind() {
        assertThat(error("pod.yaml", "apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop}\n"))
                .hasMessage("pod.yaml:1:13: apiVersion \"v1\" does not go with kind Pod; write \"apiVersion: drover.io/v1\"");
        assertThat(error("pod.yaml", "apiVersion: drover.io/v2\nkind: Pod\n").problems())
                .extracting(Problem::fieldPath).containsExactly("apiVersion");
    }

    @Test
    void unknownFieldNamesTheKnownOnesAtItsLineAndColumn() {
        String text = """
                apiVersion: drover.io/v1
                kind: Pod
                metadata:
                    name: web-1
                    namespace: shop
                spec:
                    node: node-1
                    networks: [blue]
                    prots:
                    - port: 80
                """;
        ManifestException e = error("pod.yaml", text);
        assertThat(e).hasMessage("pod.yaml:9:5: unknown field \"spec.prots\" in Pod; known fields are: node, networkMode, "
                + "networks, ports, publishAllPorts, command; did you mean \"ports\"?");
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.location()).isEqualTo(new SourceLocation("pod.yaml", 9, 5));
            assertThat(p.fieldPath()).isEqualTo("spec.prots");
        });
    }

    @Test
    void unknownFieldsAtEveryDepth() {
        String text = """
                apiVersion: drover.io/v1
                kind: Pod
                metadata: {name: web, namespace: shop, uid: x, owner: me}
                specs: {}
                status:
                  addresses:
                  - {network: blue, iface: eth0}
                """;
        assertThat(error("pod.yaml", text)).hasMessage("""
                pod.yaml:3:48: unknown field "metadata.owner" in Pod; known fields are: name, namespace, labels, annotations, uid, resourceVersion, creationTimestamp
                pod.yaml:4:1: unknown field "specs" in Pod; known fields are: apiVersion, kind, metadata, spec, status; did you mean "spec"?
                pod.yaml:7:21: unknown field "status.addresses[0].iface" in Pod; known fields are: network, interface, ip, prefix, gateway""");
    }

    @Test
    void wrongTypesSayWhatToWrite() {
        String text = network("""
                  subnets: 10.10.0.0/16
                  mtu: "1500"
                  natOutgoing: "yes"
                  ipv4BlockSize: 24.5
                  ipv6BlockSize: 99999999999
                  gateways: {a: b}
                """);
        assertThat(error("net.yaml", text)).hasMessage("""
                net.yaml:5:12: spec.subnets must be a list (got the string "10.10.0.0/16"); write [10.10.0.0/16] for a list of one
                net.yaml:6:8: spec.mtu must be a whole number (got the string "1500"); remove the quotes: 1500
                net.yaml:7:16: spec.natOutgoing must be true or false (got the string "yes"); write true or false, without quotes
                net.yaml:8:18: spec.ipv4BlockSize must be a whole number (got the number 24.5)
                net.yaml:9:18: spec.ipv6BlockSize is too large (got the number 99999999999)
                net.yaml:10:13: spec.gateways must be a list (got a mapping)""");
    }

    @Test
    void aNumberWhereTextBelongsMustBeQuoted() {
        String text = """
                apiVersion: drover.io/v1
                kind: Tenant
                metadata:
                  name: acme
                  labels: {version: 1.10, beta: true}
                """;
        assertThat(error("t.yaml", text)).hasMessage("""
                t.yaml:5:21: metadata.labels["version"] must be a string (got the number 1.10); put it in quotes: "1.10"
                t.yaml:5:33: metadata.labels["beta"] must be a string (got true); put it in quotes: "true\"""");
    }

    @Test
    void objectsWhereScalarsAreAndBack() {
        assertThat(error("n.yaml", "apiVersion: drover.io/v1\nkind: Network\nmetadata: blue\n"))
                .hasMessage("n.yaml:3:11: metadata must be a mapping with the fields name, namespace, labels, annotations, "
                        + "uid, resourceVersion, creationTimestamp (got the string \"blue\")");
        assertThat(error("n.yaml", "apiVersion: drover.io/v1\nkind: Network\nmetadata: {name: [blue]}\n"))
                .hasMessage("n.yaml:3:18: metadata.name must be a string (got a list)");
    }

    @Test
    void emptyItemsAndValues() {
        String text = """
                apiVersion: drover.io/v1
                kind: Pod
                metadata:
                  name: web
                  namespace: shop
                  labels:
                    app:
                spec:
                  networks:
                  - blue
                  -
                """;
        assertThat(error("p.yaml", text)).hasMessage("""
                p.yaml:7:9: metadata.labels["app"] is empty; write "" for an empty value
                p.yaml:11:4: spec.networks[1] is empty; remove the empty item or give it a value""");
    }

    @Test
    void emptyFieldsAreLeftOut() {
        String text = "apiVersion: drover.io/v1\nkind: Network\nmetadata: {name: blue}\nspec:\n  mtu:\n  subnets: [10.0.0.0/8]\n";
        assertThat(ManifestReader.read("n.yaml", text)).hasSize(1);
    }

    @Test
    void aFieldGivenTwice() {
        assertThat(error("n.yaml", network("  mtu: 1500\n  subnets: [10.0.0.0/8]\n  mtu: 9000\n")))
                .hasMessage("n.yaml:7:3: field \"spec.mtu\" is given twice (first at line 5, column 3); remove one of them");
    }

    @Test
    void everyProblemOfEveryDocumentIsReportedInTextOrder() {
        String text = """
                apiVersion: drover.io/v1
                kind: Network
                metadata: {name: blue, colour: red}
                spec: {mtu: x, mtu: 1}
                ---
                apiVersion: drover.io/v1
                kind: Tenant
                metadata: {name: ok}
                ---
                kind: Tenant
                """;
        ManifestException e = error("all.yaml", text);
        assertThat(e.problems()).extracting(p -> p.location().line() + ":" + p.location().column() + " " + p.fieldPath())
                .containsExactly("3:24 metadata.colour", "4:16 spec.mtu", "10:1 apiVersion");
        assertThat(e.getMessage().lines()).hasSize(3).allMatch(line -> line.startsWith("all.yaml:"));
    }

    @Test
    void listsAreCheckedToo() {
        assertThat(error("l.yaml", "apiVersion: v1\nkind: List\nentries: []\n")).hasMessage("""
                l.yaml:1:1: kind List needs "items": a list of resources, one per "- " entry
                l.yaml:3:1: unknown field "entries" in List; known fields are: apiVersion, kind, metadata, items""");
        assertThat(error("l.yaml", "apiVersion: v1\nkind: List\nitems: {a: b}\n"))
                .hasMessage("l.yaml:3:8: items must be a list of resources (got a mapping)");
        assertThat(error("l.yaml", "apiVersion: apps/v1\nkind: List\nitems: []\n"))
                .hasMessage("l.yaml:1:13: apiVersion \"apps/v1\" does not go with kind List; write \"apiVersion: v1\"");
        assertThat(error("l.yaml", "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: List\n  items: []\n"))
                .hasMessage("l.yaml:5:9: a List cannot hold another List; put its items in the outer list");
        assertThat(error("l.yaml", "kind: List\nitems:\n- kind: Tenant\n  metadata: {name: a}\n  spec: {descr: x}\n"))
                .hasMessage("""
                        l.yaml:3:3: missing apiVersion; add "apiVersion: drover.io/v1"
                        l.yaml:5:10: unknown field "spec.descr" in Tenant; known fields are: description""");
    }

    @Test
    void unknownAlias() {
        assertThat(error("a.yaml", "metadata: *nope\n").getMessage())
                .startsWith("a.yaml:1:")
                .endsWith("alias *nope refers to no anchor; define \"&nope\" on a value earlier in the same document, "
                        + "or write the value out");
    }

    @Test
    void aliasBombsAreRefused() {
        StringBuilder bomb = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i < 10; i++) {
            bomb.append("a").append(i).append(": &a").append(i).append(" [");
            for (int j = 0; j < 9; j++) {
                bomb.append(j > 0 ? ", " : "").append("*a").append(i - 1);
            }
            bomb.append("]\n");
        }
        assertThat(error("bomb.yaml", bomb.toString()).getMessage())
                .endsWith("aliases (*name) expand to too many values; write the values out instead");
    }

    @Test
    void readSingleRefusesNoneOrSeveral() {
        assertThatThrownBy(() -> ManifestReader.readSingle("request body", "# nothing\n"))
                .isInstanceOf(ManifestException.class)
                .hasMessage("request body: no resource found; expected one object with apiVersion, kind, metadata and spec");
        String two = "apiVersion: drover.io/v1\nkind: Tenant\nmetadata: {name: a}\n---\n"
                + "apiVersion: drover.io/v1\nkind: Tenant\nmetadata: {name: b}\n";
        assertThatThrownBy(() -> ManifestReader.readSingle("request body", two))
                .hasMessage("request body:5:1: expected one resource but found 2; send them one at a time");
    }

    @Test
    void fromTreeUsesTheSameMessagesWithoutPositions() {
        var tree = ResourceCodec.json().readTree("""
                {"apiVersion": "drover.io/v1", "kind": "Pod", "metadata": {"name": "web"},
                 "spec": {"prots": [], "networks": "blue"}}
                """);
        assertThatThrownBy(() -> ManifestReader.fromTree("request body", tree)).isInstanceOf(ManifestException.class).hasMessage("""
                request body: unknown field "spec.prots" in Pod; known fields are: node, networkMode, networks, ports, publishAllPorts, command; did you mean "ports"?
                request body: spec.networks must be a list (got the string "blue"); write [blue] for a list of one""");
        assertThatThrownBy(() -> ManifestReader.fromTree("request body", ResourceCodec.json().readTree("[1]")))
                .hasMessage("request body: expected one resource (an object with apiVersion, kind, metadata and spec) but got a list");
        assertThatThrownBy(() -> ManifestReader.fromTree("request body",
                ResourceCodec.json().readTree("{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": []}")))
                .hasMessage("request body: kind List is accepted only in files; send one resource at a time");
    }

    @Test
    void problemsPrintLikeCompilerMessages() {
        assertThat(new Problem(new SourceLocation("a.yaml", 3, 7), "spec.mtu", "spec.mtu must be a whole number"))
                .hasToString("a.yaml:3:7: spec.mtu must be a whole number");
        assertThat(new Problem(SourceLocation.unknown("request body"), "", "bad")).hasToString("request body: bad");
        assertThatThrownBy(() -> new ManifestException(java.util.List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
