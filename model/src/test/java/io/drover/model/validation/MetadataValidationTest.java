package io.drover.model.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.model.meta.ObjectMeta;
import io.drover.model.network.Network;
import io.drover.model.network.NetworkSpec;
import io.drover.model.node.Node;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodSpec;
import io.drover.model.tenant.Namespace;
import io.drover.model.tenant.Tenant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MetadataValidationTest {

    private static final String SUBDOMAIN_RULE = "must consist of lower case alphanumeric characters, '-' or '.', and "
            + "must start and end with an alphanumeric character (e.g. 'example.com')";
    private static final String LABEL_RULE = "must consist of lower case alphanumeric characters or '-', and must start "
            + "and end with an alphanumeric character (e.g. 'my-name' or '123-abc')";

    private static ObjectMeta meta(String namespace, String name) {
        return new ObjectMeta(name, namespace, null, null, null, null, null);
    }

    @Test
    void validObjectsOfEveryKindHaveNoErrors() {
        assertThat(Validators.validate(Tenant.of(meta(null, "acme.example"), null))).isEmpty();
        assertThat(Validators.validate(Namespace.of(meta(null, "shop"), null))).isEmpty();
        assertThat(Validators.validate(Network.of(meta(null, "blue"), NetworkSpec.of("10.10.0.0/16")))).isEmpty();
        assertThat(Validators.validate(Node.of(meta(null, "node-1.rack-2"), null))).isEmpty();
        assertThat(Validators.validate(Pod.of(meta("shop", "web-1.v2"), PodSpec.on("node-1", "blue")))).isEmpty();
    }

    @Test
    void metadataIsRequired() {
        assertThat(Validators.validate(Tenant.of(null, null)))
                .containsExactly(new FieldError("metadata", "is required; give at least metadata.name"));
    }

    @Test
    void nameIsRequired() {
        assertThat(Validators.validate(Tenant.of(meta(null, null), null)))
                .containsExactly(new FieldError("metadata.name", "is required"));
        assertThat(Validators.validate(Node.of(meta(null, ""), null)))
                .containsExactly(new FieldError("metadata.name", "is required"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Web", "web_1", "-web", "web.", "web..1"})
    void podNodeAndTenantNamesAreSubdomains(String name) {
        FieldError expected = new FieldError("metadata.name", "'" + name + "' " + SUBDOMAIN_RULE);
        assertThat(Validators.validate(Pod.of(meta("shop", name), PodSpec.EMPTY))).containsExactly(expected);
        assertThat(Validators.validate(Node.of(meta(null, name), null))).containsExactly(expected);
        assertThat(Validators.validate(Tenant.of(meta(null, name), null))).containsExactly(expected);
    }

    @Test
    void subdomainNamesMayHaveDotsAndUpTo253Characters() {
        String longName = "a".repeat(63) + "." + "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(61);
        assertThat(Validators.validate(Node.of(meta(null, longName), null))).isEmpty();
        assertThat(Validators.validate(Node.of(meta(null, longName + "d"), null)))
                .containsExactly(new FieldError("metadata.name", "'" + longName + "d' must be no more than 253 characters (it has 254)"));
    }

    @Test
    void namespaceNamesAreLabels() {
        assertThat(Validators.validate(Namespace.of(meta(null, "shop.eu"), null)))
                .containsExactly(new FieldError("metadata.name", "'shop.eu' " + LABEL_RULE));
        String tooLong = "n".repeat(64);
        assertThat(Validators.validate(Namespace.of(meta(null, tooLong), null)))
                .containsExactly(new FieldError("metadata.name", "'" + tooLong + "' must be no more than 63 characters (it has 64)"));
    }

    @Test
    void networkNamesAreShortLabelsBecauseBridgeNamesDeriveFromThem() {
        assertThat(Validators.validate(Network.of(meta(null, "prod-network"), NetworkSpec.of("10.1.0.0/16")))).isEmpty();
        assertThat(Validators.validate(Network.of(meta(null, "prod-network1"), NetworkSpec.of("10.1.0.0/16"))))
                .containsExactly(new FieldError("metadata.name", "'prod-network1' must be no more than 12 characters "
                        + "(it has 13): Drover derives the network's Linux bridge name from it, and Linux interface "
                        + "names are limited to 15 characters"));
        assertThat(Validators.validate(Network.of(meta(null, "blue.v2"), NetworkSpec.of("10.1.0.0/16"))))
                .containsExactly(new FieldError("metadata.name", "'blue.v2' " + LABEL_RULE));
    }

    @Test
    void namespacedKindsNeedAValidNamespace() {
        assertThat(Validators.validate(Pod.of(meta(null, "web"), PodSpec.EMPTY)))
                .containsExactly(new FieldError("metadata.namespace",
                        "is required: a Pod belongs to a namespace; set metadata.namespace (e.g. default)"));
        assertThat(Validators.validate(Pod.of(meta("", "web"), PodSpec.EMPTY))).hasSize(1);
        assertThat(Validators.validate(Pod.of(meta("shop.eu", "web"), PodSpec.EMPTY)))
                .containsExactly(new FieldError("metadata.namespace", "'shop.eu' " + LABEL_RULE));
    }

    @Test
    void clusterScopedKindsCarryNoNamespace() {
        assertThat(Validators.validate(Network.of(meta("shop", "blue"), NetworkSpec.of("10.1.0.0/16"))))
                .containsExactly(new FieldError("metadata.namespace", "must not be set: a Network is cluster-scoped "
                        + "and belongs to no namespace; remove metadata.namespace"));
        assertThat(Validators.validate(Namespace.of(meta("default", "shop"), null)))
                .extracting(FieldError::field).containsExactly("metadata.namespace");
        assertThat(Validators.validate(Tenant.of(meta("default", "acme"), null)))
                .extracting(FieldError::field).containsExactly("metadata.namespace");
        assertThat(Validators.validate(Node.of(meta("", "node-1"), null))).isEmpty();
    }

    @Test
    void labelKeysAndValuesFollowKubernetesRulesInKeyOrder() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("tier", "front end");
        labels.put("app", "web");
        labels.put("Example.com/team", "a");
        labels.put("-bad", "-also-bad");
        labels.put("kubernetes.io/metadata.name", "shop");
        Tenant t = Tenant.of(ObjectMeta.named("acme").withLabels(labels), null);
        assertThat(Validators.validate(t)).containsExactly(
                new FieldError("metadata.labels[\"-bad\"]", "key '-bad' must consist of alphanumeric characters, '-', "
                        + "'_' or '.', and must start and end with an alphanumeric character, with an optional DNS "
                        + "subdomain prefix and '/' (e.g. 'example.com/MyName')"),
                new FieldError("metadata.labels[\"-bad\"]", "value '-also-bad' must be empty or consist of alphanumeric "
                        + "characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. "
                        + "'MyValue' or 'my_value')"),
                new FieldError("metadata.labels[\"Example.com/team\"]", "key 'Example.com/team' has a prefix "
                        + "'Example.com' that " + SUBDOMAIN_RULE),
                new FieldError("metadata.labels[\"tier\"]", "value 'front end' must be empty or consist of alphanumeric "
                        + "characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. "
                        + "'MyValue' or 'my_value')"));
    }

    @Test
    void emptyLabelValuesAreAllowed() {
        assertThat(Validators.validate(Tenant.of(ObjectMeta.named("acme").withLabels(Map.of("flag", "")), null))).isEmpty();
    }

    @Test
    void annotationKeysFollowLabelKeyRulesButValuesAreFree() {
        ObjectMeta m = new ObjectMeta("acme", null, null,
                Map.of("note", "anything at all: even / and spaces", "bad key", "x"), null, null, null);
        assertThat(Validators.validate(Tenant.of(m, null))).containsExactly(new FieldError(
                "metadata.annotations[\"bad key\"]", "key 'bad key' must consist of alphanumeric characters, '-', '_' "
                        + "or '.', and must start and end with an alphanumeric character, with an optional DNS "
                        + "subdomain prefix and '/' (e.g. 'example.com/MyName')"));
    }

    @Test
    void annotationsAreLimitedTo256KiBInTotal() {
        int limit = 256 * 1024;
        // Two keys of 1 byte: values fill the rest exactly.
        ObjectMeta atLimit = new ObjectMeta("acme", null, null,
                Map.of("a", "x".repeat(limit / 2 - 1), "b", "y".repeat(limit / 2 - 1)), null, null, null);
        assertThat(Validators.validate(Tenant.of(atLimit, null))).isEmpty();
        // Multi-byte characters count in UTF-8 bytes, as Kubernetes counts them.
        ObjectMeta over = new ObjectMeta("acme", null, null, Map.of("a", "é".repeat(limit / 2)), null, null, null);
        assertThat(Validators.validate(Tenant.of(over, null))).containsExactly(new FieldError("metadata.annotations",
                "are too large: 262145 bytes of keys and values, the limit is 262144 (256 KiB); keep large data elsewhere"));
    }

    @Test
    void reportsEveryProblemAtOnce() {
        ObjectMeta m = new ObjectMeta("Web", "Shop", Map.of("app", "-x"), null, null, null, null);
        assertThat(Validators.validate(Pod.of(m, PodSpec.EMPTY))).extracting(FieldError::field)
                .containsExactly("metadata.name", "metadata.namespace", "metadata.labels[\"app\"]");
    }

    @Test
    void fieldErrorPrintsAsFieldThenMessage() {
        assertThat(new FieldError("spec.mtu", "must be between 576 and 9000; it is 1")).hasToString("spec.mtu: must be between 576 and 9000; it is 1");
    }
}
