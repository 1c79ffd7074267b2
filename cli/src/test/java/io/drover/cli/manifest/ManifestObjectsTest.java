package io.drover.cli.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.cli.CliException;
import io.drover.model.Resource;
import io.drover.model.codec.ManifestReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestObjectsTest {

    private static final String MANIFESTS = """
            apiVersion: drover.io/v1
            kind: Pod
            metadata: {name: without-namespace}
            ---
            apiVersion: drover.io/v1
            kind: Pod
            metadata: {name: in-shop, namespace: shop}
            ---
            apiVersion: drover.io/v1
            kind: Network
            metadata: {name: blue, namespace: shop}
            spec: {subnets: ["10.10.0.0/16"]}
            """;

    @Test
    void namespacedObjectsWithoutNamespaceGetTheDefaultOrTheOneOfDashN() {
        List<Resource> byDefault = ManifestObjects.prepare(ManifestReader.read("m.yaml", MANIFESTS), "default", false);

        assertThat(byDefault).extracting(Resource::namespace).containsExactly("default", "shop", null);
    }

    @Test
    void anExplicitNamespaceFillsTheGapsAndAgreeingOnesPass() {
        List<Resource> resources = ManifestObjects.prepare(ManifestReader.read("m.yaml", MANIFESTS), "shop", true);

        assertThat(resources).extracting(Resource::namespace).containsExactly("shop", "shop", null);
    }

    @Test
    void anExplicitNamespaceThatContradictsAManifestIsAnErrorAtItsLine() {
        assertThatThrownBy(() -> ManifestObjects.prepare(ManifestReader.read("m.yaml", MANIFESTS), "other", true))
                .isInstanceOfSatisfying(CliException.class, e -> assertThat(e.problems()).containsExactly(
                        "m.yaml:7:27: pod/in-shop is in namespace \"shop\" but -n says \"other\"; drop -n or change the manifest"));
    }

    @Test
    void anObjectWithoutNameCannotBeAddressed() {
        String nameless = "apiVersion: drover.io/v1\nkind: Network\nmetadata: {labels: {a: b}}\nspec: {subnets: [\"10.10.0.0/16\"]}\n";

        assertThatThrownBy(() -> ManifestObjects.prepare(ManifestReader.read("n.yaml", nameless), "default", false))
                .hasMessageStartingWith("n.yaml:3:")
                .hasMessageEndingWith(": this Network has no metadata.name; every object needs a name");
    }
}
