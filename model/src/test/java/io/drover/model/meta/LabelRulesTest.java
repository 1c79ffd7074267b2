package io.drover.model.meta;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LabelRulesTest {

    private static final String LABEL_RULE = "must consist of lower case alphanumeric characters or '-', and must start "
            + "and end with an alphanumeric character (e.g. 'my-name' or '123-abc')";
    private static final String SUBDOMAIN_RULE = "must consist of lower case alphanumeric characters, '-' or '.', and "
            + "must start and end with an alphanumeric character (e.g. 'example.com')";

    @ParameterizedTest
    @ValueSource(strings = {"a", "blue", "web-1", "123-abc", "0"})
    void validLabels(String name) {
        assertThat(LabelRules.dns1123LabelProblem(name)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Blue", "-web", "web-", "web_1", "web.1", "wéb"})
    void invalidLabels(String name) {
        assertThat(LabelRules.dns1123LabelProblem(name)).isEqualTo(LABEL_RULE);
    }

    @Test
    void labelLengthAndEmptiness() {
        assertThat(LabelRules.dns1123LabelProblem("a".repeat(63))).isNull();
        assertThat(LabelRules.dns1123LabelProblem("a".repeat(64))).isEqualTo("must be no more than 63 characters (it has 64)");
        assertThat(LabelRules.dns1123LabelProblem("")).isEqualTo("must not be empty");
        assertThat(LabelRules.dns1123LabelProblem(null)).isEqualTo("must not be empty");
    }

    @ParameterizedTest
    @ValueSource(strings = {"node-1", "node-1.rack-2.example.com", "a.b"})
    void validSubdomains(String name) {
        assertThat(LabelRules.dns1123SubdomainProblem(name)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Node", "node..1", ".node", "node.", "node_1", "-a.b"})
    void invalidSubdomains(String name) {
        assertThat(LabelRules.dns1123SubdomainProblem(name)).isEqualTo(SUBDOMAIN_RULE);
    }

    @Test
    void subdomainLength() {
        String ok = ("a".repeat(63) + ".").repeat(3) + "a".repeat(61);
        assertThat(ok).hasSize(253);
        assertThat(LabelRules.dns1123SubdomainProblem(ok)).isNull();
        assertThat(LabelRules.dns1123SubdomainProblem(ok + "a")).isEqualTo("must be no more than 253 characters (it has 254)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"cluster.local", "corp", "k8s.example.com", "0.a-b"})
    void validDomains(String name) {
        assertThat(LabelRules.dnsDomainProblem(name)).isNull();
    }

    @Test
    void aDomainIsASubdomainWhoseLabelsHaveAtMost63Characters() {
        String longestLabels = ("a".repeat(63) + ".").repeat(3) + "a".repeat(61);
        assertThat(LabelRules.dnsDomainProblem(longestLabels)).isNull();
        String longLabel = "a".repeat(64) + ".local";
        assertThat(LabelRules.dns1123SubdomainProblem(longLabel)).as("the subdomain rule alone allows it").isNull();
        assertThat(LabelRules.dnsDomainProblem(longLabel))
                .isEqualTo("has a label of 64 characters ('aaaaaaaaaa...'); each label between dots must be no more than 63 characters");
        assertThat(LabelRules.dnsDomainProblem(longestLabels + "a")).isEqualTo("must be no more than 253 characters (it has 254)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a..b", ".local", "cluster.local.", "."})
    void aDomainWithAnEmptyLabelSaysSo(String name) {
        assertThat(LabelRules.dnsDomainProblem(name))
                .isEqualTo("must not have an empty label (a dot at the start or end, or two dots in a row)");
    }

    @Test
    void aDomainNamesTheLabelThatBreaksTheAlphabet() {
        assertThat(LabelRules.dnsDomainProblem("cluster.-local")).startsWith("has a label '-local' that must consist of");
        assertThat(LabelRules.dnsDomainProblem("Cluster.local")).startsWith("has a label 'Cluster' that must consist of");
        assertThat(LabelRules.dnsDomainProblem("cluster_local")).startsWith("has a label 'cluster_local' that");
        assertThat(LabelRules.dnsDomainProblem("")).isEqualTo("must not be empty");
        assertThat(LabelRules.dnsDomainProblem(null)).isEqualTo("must not be empty");
    }

    @ParameterizedTest
    @ValueSource(strings = {"app", "App_Name.v2", "example.com/app", "kubernetes.io/metadata.name", "a"})
    void validKeys(String key) {
        assertThat(LabelRules.keyProblem(key)).isNull();
    }

    @Test
    void invalidKeys() {
        assertThat(LabelRules.keyProblem("")).isEqualTo("must not be empty");
        assertThat(LabelRules.keyProblem("example.com/")).isEqualTo("must have a name after the prefix");
        assertThat(LabelRules.keyProblem("Example.com/app")).isEqualTo("has a prefix 'Example.com' that " + SUBDOMAIN_RULE);
        assertThat(LabelRules.keyProblem("/app")).isEqualTo("has a prefix '' that must not be empty");
        assertThat(LabelRules.keyProblem("a".repeat(64))).isEqualTo("has a name part longer than 63 characters");
        assertThat(LabelRules.keyProblem("-app")).startsWith("must consist of alphanumeric characters, '-', '_' or '.'");
        assertThat(LabelRules.keyProblem("my app")).startsWith("must consist of alphanumeric characters");
        assertThat(LabelRules.keyProblem("a/b/c")).startsWith("must consist of alphanumeric characters");
    }

    @Test
    void values() {
        assertThat(LabelRules.valueProblem("")).isNull();
        assertThat(LabelRules.valueProblem(null)).isNull();
        assertThat(LabelRules.valueProblem("v1.2_rc-3")).isNull();
        assertThat(LabelRules.valueProblem("a".repeat(63))).isNull();
        assertThat(LabelRules.valueProblem("a".repeat(64))).isEqualTo("must be no more than 63 characters (it has 64)");
        assertThat(LabelRules.valueProblem("web/1")).isEqualTo("must be empty or consist of alphanumeric characters, "
                + "'-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue' or 'my_value')");
        assertThat(LabelRules.valueProblem("_x")).isNotNull();
    }
}
