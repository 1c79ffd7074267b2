package io.drover.lab.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class LabNamesTest {

    @Test
    void namesFollowTheLabName() {
        LabNames names = LabNames.of("demo");
        assertThat(names.fabricNamespace()).isEqualTo("drl-demo-fabric");
        assertThat(names.nodeNamespace(1)).isEqualTo("drl-demo-node-1");
        assertThat(names.nodeNamespace(12)).isEqualTo("drl-demo-node-12");
        assertThat(names.podNamespace("shop", "web-1")).matches("drl-demo-p-[0-9a-f]{10}");
        assertThat(LabNames.nodeName(3)).isEqualTo("node-3");
        assertThat(LabNames.nodeNumber("node-3")).contains(3);
        assertThat(LabNames.nodeNumber("node-03")).isEmpty();
        assertThat(LabNames.nodeNumber("web")).isEmpty();
    }

    @Test
    void podNamespacesAreStableAndDistinct() {
        LabNames names = LabNames.of("demo");
        assertThat(names.podNamespace("x", "a")).isEqualTo(names.podNamespace("x", "a"));
        assertThat(names.podNamespace("x", "a")).isNotEqualTo(names.podNamespace("x", "b"));
        // "x/a-b" and "x-a/b" must not collide through naive concatenation.
        assertThat(names.podNamespace("x", "a-b")).isNotEqualTo(names.podNamespace("x-a", "b"));
        // A known value, so that the naming stays stable across releases (labs outlive a CLI upgrade).
        assertThat(LabNames.podHash("x", "a")).isEqualTo("5356176b92");
    }

    @Test
    void longestNamesStayShort() {
        String longest = "a".repeat(LabNames.MAX_LAB_NAME);
        LabNames names = LabNames.of(longest);
        assertThat(names.podNamespace("n".repeat(63), "p".repeat(253)).length()).isLessThanOrEqualTo(64);
        assertThat(names.nodeNamespace(LabNames.MAX_NODES).length()).isLessThanOrEqualTo(64);
    }

    @Test
    void invalidLabNamesSayWhatIsWrong() {
        assertThatThrownBy(() -> LabNames.of("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> LabNames.of("Demo")).hasMessageContaining("lowercase");
        assertThatThrownBy(() -> LabNames.of("-x")).hasMessageContaining("starting and ending");
        assertThatThrownBy(() -> LabNames.of("x-")).hasMessageContaining("starting and ending");
        assertThatThrownBy(() -> LabNames.of("a/b")).hasMessageContaining("invalid");
        assertThatThrownBy(() -> LabNames.of("a".repeat(25))).hasMessageContaining("at most 24");
        assertThatThrownBy(() -> LabNames.of("x").nodeNamespace(0)).hasMessageContaining("1 to");
    }

    @Test
    void parseTakesNamesApart() {
        assertThat(LabNames.parse("drl-demo-fabric")).contains(new LabNames.Parsed("demo", LabNames.Role.FABRIC, 0));
        assertThat(LabNames.parse("drl-demo-node-7")).contains(new LabNames.Parsed("demo", LabNames.Role.NODE, 7));
        assertThat(LabNames.parse("drl-a-b-node-1")).contains(new LabNames.Parsed("a-b", LabNames.Role.NODE, 1));
        assertThat(LabNames.parse("drl-demo-p-0123456789")).contains(new LabNames.Parsed("demo", LabNames.Role.POD, 0));
        assertThat(LabNames.parse("drl-demo-router")).contains(new LabNames.Parsed("demo", LabNames.Role.ROUTER, 0));
        assertThat(LabNames.of("demo").routerNamespace()).isEqualTo("drl-demo-router");
        for (String other : List.of("drl-demo", "drl-demo-node-", "drl-demo-node-01", "drl-demo-p-012345678",
                "drl-demo-p-0123456789a", "drl-demo-p-G123456789", "drl--fabric", "drl-Demo-fabric", "cni-1234",
                "drvt-x-fabric", "drl-demo-fabric2")) {
            assertThat(LabNames.parse(other)).as(other).isEmpty();
        }
    }

    @Test
    void aLabNeverClaimsAnotherLabsNamespaces() {
        // Lab names may contain dashes; prefixes overlap ("drl-a-" is a prefix of every name of lab "a-b").
        List<String> labs = List.of("a", "a-b", "a-node", "a-node-1", "a-p", "a-p-0123456789", "a-fabric", "a-router");
        for (String owner : labs) {
            LabNames names = LabNames.of(owner);
            List<String> own = List.of(names.fabricNamespace(), names.routerNamespace(), names.nodeNamespace(1),
                    names.nodeNamespace(10),
                    names.podNamespace("x", "a"), "drl-" + owner + "-p-0123456789");
            for (String ns : own) {
                for (String lab : labs) {
                    assertThat(LabNames.of(lab).owns(ns)).as(lab + " owns " + ns).isEqualTo(lab.equals(owner));
                }
            }
        }
    }
}
