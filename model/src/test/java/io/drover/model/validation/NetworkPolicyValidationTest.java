package io.drover.model.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.model.meta.ObjectMeta;
import io.drover.model.meta.SelectorSpec;
import io.drover.model.meta.SelectorSpec.Expression;
import io.drover.model.policy.IpBlock;
import io.drover.model.policy.NetworkPolicy;
import io.drover.model.policy.NetworkPolicyPeer;
import io.drover.model.policy.NetworkPolicyPort;
import io.drover.model.policy.NetworkPolicyRule;
import io.drover.model.policy.NetworkPolicySpec;
import io.drover.model.policy.PortReference;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Kubernetes' NetworkPolicy rules, each error naming its field. */
class NetworkPolicyValidationTest {

    private static List<FieldError> validate(NetworkPolicySpec spec) {
        return Validators.validate(NetworkPolicy.of(ObjectMeta.named("x", "allow"), spec));
    }

    private static List<FieldError> podSelector(SelectorSpec selector) {
        return validate(new NetworkPolicySpec(selector, null, null, null));
    }

    private static List<FieldError> ingressFrom(NetworkPolicyPeer... peers) {
        return validate(new NetworkPolicySpec(null, null, List.of(new NetworkPolicyRule(List.of(peers), null, null)), null));
    }

    private static List<FieldError> ports(NetworkPolicyPort... ports) {
        return validate(new NetworkPolicySpec(null, null, List.of(new NetworkPolicyRule(null, null, List.of(ports))), null));
    }

    private static NetworkPolicyPeer block(String cidr, String... except) {
        return new NetworkPolicyPeer(null, null, new IpBlock(cidr, List.of(except)));
    }

    private static SelectorSpec expression(String key, String operator, String... values) {
        return new SelectorSpec(null, List.of(new Expression(key, operator, List.of(values))));
    }

    @Test
    void aFullPolicyIsValid() {
        NetworkPolicySpec spec = new NetworkPolicySpec(SelectorSpec.labels(Map.of("pod", "a")), List.of("Ingress", "Egress"),
                List.of(new NetworkPolicyRule(List.of(
                        new NetworkPolicyPeer(expression("pod", "In", "b", "c"), SelectorSpec.labels(Map.of("kubernetes.io/metadata.name", "y")), null),
                        new NetworkPolicyPeer(SelectorSpec.EVERYTHING, null, null),
                        block("10.0.0.0/8", "10.1.0.0/16", "10.2.3.0/24"),
                        block("fd00::/48", "fd00:0:0:1::/64")), null,
                        List.of(new NetworkPolicyPort("TCP", PortReference.number(81), null),
                                new NetworkPolicyPort("UDP", PortReference.named("serve-80-udp"), null),
                                new NetworkPolicyPort(null, PortReference.number(1000), 2000),
                                new NetworkPolicyPort("SCTP", null, null)))),
                List.of(new NetworkPolicyRule(null, List.of(new NetworkPolicyPeer(null, expression("team", "Exists"), null)), null),
                        new NetworkPolicyRule(null, null, null)));
        assertThat(validate(spec)).isEmpty();
        assertThat(validate(NetworkPolicySpec.EMPTY)).isEmpty();
    }

    @Test
    void selectorLabelsAreLabels() {
        assertThat(podSelector(SelectorSpec.labels(Map.of("-app", "web", "tier", "front end")))).containsExactly(
                new FieldError("spec.podSelector.matchLabels[\"-app\"]", "key '-app' must consist of alphanumeric "
                        + "characters, '-', '_' or '.', and must start and end with an alphanumeric character, with an "
                        + "optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"),
                new FieldError("spec.podSelector.matchLabels[\"tier\"]", "value 'front end' must be empty or consist of "
                        + "alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric "
                        + "character (e.g. 'MyValue' or 'my_value')"));
    }

    @Test
    void expressionKeysAndValuesAreLabels() {
        assertThat(podSelector(expression("a b", "In", "ok", "not ok"))).extracting(FieldError::field).containsExactly(
                "spec.podSelector.matchExpressions[0].key", "spec.podSelector.matchExpressions[0].values[1]");
        assertThat(podSelector(expression(null, "Exists"))).containsExactly(new FieldError(
                "spec.podSelector.matchExpressions[0].key", "is required: the label key the expression tests, e.g. app"));
    }

    @Test
    void expressionOperatorIsKnown() {
        assertThat(podSelector(expression("app", "Equals", "web"))).containsExactly(new FieldError(
                "spec.podSelector.matchExpressions[0].operator", "'Equals' is not an operator; use In, NotIn, Exists or DoesNotExist"));
        assertThat(podSelector(expression("app", "notin", "web"))).containsExactly(new FieldError(
                "spec.podSelector.matchExpressions[0].operator",
                "'notin' is not an operator; operators are written as Kubernetes spells them: NotIn"));
        assertThat(podSelector(expression("app", null))).containsExactly(new FieldError(
                "spec.podSelector.matchExpressions[0].operator", "is required; use In, NotIn, Exists or DoesNotExist"));
    }

    @Test
    void inAndNotInNeedValuesExistsAndDoesNotExistTakeNone() {
        assertThat(podSelector(expression("app", "In"))).containsExactly(new FieldError(
                "spec.podSelector.matchExpressions[0].values", "must list at least one value for operator In; add values, "
                        + "or use Exists to test only whether the label is set"));
        assertThat(podSelector(expression("app", "NotIn"))).extracting(FieldError::field)
                .containsExactly("spec.podSelector.matchExpressions[0].values");
        assertThat(podSelector(expression("app", "Exists", "web"))).containsExactly(new FieldError(
                "spec.podSelector.matchExpressions[0].values", "must be empty for operator Exists, which tests only "
                        + "whether the label is set; remove values, or use In to test the value"));
        assertThat(podSelector(expression("app", "DoesNotExist", "web"))).extracting(FieldError::field)
                .containsExactly("spec.podSelector.matchExpressions[0].values");
    }

    @Test
    void peerSelectorsAreCheckedWithTheirPath() {
        assertThat(ingressFrom(new NetworkPolicyPeer(expression("app", "In"), SelectorSpec.labels(Map.of("ns", "a b")), null)))
                .extracting(FieldError::field).containsExactly(
                        "spec.ingress[0].from[0].podSelector.matchExpressions[0].values",
                        "spec.ingress[0].from[0].namespaceSelector.matchLabels[\"ns\"]");
    }

    @Test
    void policyTypesAreIngressOrEgressOnce() {
        assertThat(validate(new NetworkPolicySpec(null, List.of("Ingress", "ingress", "Both", "Ingress"), null, null)))
                .containsExactly(
                        new FieldError("spec.policyTypes[1]", "'ingress' is not a policy type; policy types are capitalized: Ingress"),
                        new FieldError("spec.policyTypes[2]", "'Both' is not a policy type; use Ingress or Egress"),
                        new FieldError("spec.policyTypes[3]", "Ingress is already listed at spec.policyTypes[0]; list each policy type once"));
    }

    @Test
    void ingressRulesUseFromAndEgressRulesUseTo() {
        NetworkPolicyPeer peer = new NetworkPolicyPeer(SelectorSpec.EVERYTHING, null, null);
        assertThat(validate(new NetworkPolicySpec(null, null, List.of(new NetworkPolicyRule(null, List.of(peer), null)), null)))
                .containsExactly(new FieldError("spec.ingress[0].to",
                        "an ingress rule names the peers traffic comes from in 'from', not 'to'; write from:"));
        assertThat(validate(new NetworkPolicySpec(null, null, null, List.of(new NetworkPolicyRule(List.of(peer), null, null)))))
                .containsExactly(new FieldError("spec.egress[0].from",
                        "an egress rule names the peers traffic goes to in 'to', not 'from'; write to:"));
    }

    @Test
    void peerSetsSelectorsOrIpBlockAlone() {
        assertThat(ingressFrom(new NetworkPolicyPeer(null, null, null))).containsExactly(new FieldError("spec.ingress[0].from[0]",
                "selects nothing: a peer must set podSelector and/or namespaceSelector, or ipBlock; "
                        + "write podSelector: {} for every pod of the policy's namespace"));
        assertThat(ingressFrom(new NetworkPolicyPeer(null, SelectorSpec.EVERYTHING, new IpBlock("10.0.0.0/8", null))))
                .containsExactly(new FieldError("spec.ingress[0].from[0].ipBlock", "cannot be combined with namespaceSelector "
                        + "in one peer; move the ipBlock to a peer of its own (a new '- ipBlock:' item)"));
        assertThat(ingressFrom(new NetworkPolicyPeer(SelectorSpec.EVERYTHING, SelectorSpec.EVERYTHING, null))).isEmpty();
    }

    @Test
    void ipBlockCidrIsACidr() {
        assertThat(ingressFrom(block("10.0.0.0"))).containsExactly(new FieldError("spec.ingress[0].from[0].ipBlock.cidr",
                "'10.0.0.0' is not a CIDR: expected ADDRESS/PREFIX, e.g. 10.10.0.0/16"));
        assertThat(ingressFrom(block("10.0.0.1/8"))).containsExactly(new FieldError("spec.ingress[0].from[0].ipBlock.cidr",
                "'10.0.0.1/8' has host bits set; did you mean 10.0.0.0/8?"));
        assertThat(ingressFrom(block(null))).containsExactly(new FieldError("spec.ingress[0].from[0].ipBlock.cidr",
                "is required: the addresses the peer covers, e.g. 10.0.0.0/8"));
    }

    @Test
    void exceptIsStrictlyInsideTheBlock() {
        assertThat(ingressFrom(block("10.0.0.0/16", "10.1.0.0/24"))).containsExactly(new FieldError(
                "spec.ingress[0].from[0].ipBlock.except[0]", "10.1.0.0/24 is outside the block 10.0.0.0/16; an except must "
                        + "lie inside cidr: remove it, or correct it to a part of 10.0.0.0/16"));
        assertThat(ingressFrom(block("10.0.0.0/16", "10.0.0.0/8"))).extracting(FieldError::message)
                .containsExactly("10.0.0.0/8 is outside the block 10.0.0.0/16; an except must lie inside cidr: remove it, "
                        + "or correct it to a part of 10.0.0.0/16");
        assertThat(ingressFrom(block("10.0.0.0/16", "10.0.0.0/16"))).containsExactly(new FieldError(
                "spec.ingress[0].from[0].ipBlock.except[0]", "10.0.0.0/16 is the whole block 10.0.0.0/16, which would leave "
                        + "nothing; an except must be strictly inside cidr (a longer prefix), or remove the peer"));
        assertThat(ingressFrom(block("10.0.0.0/16", "10.0.1.0/24", "fd00::/64"))).containsExactly(new FieldError(
                "spec.ingress[0].from[0].ipBlock.except[1]", "fd00::/64 is IPv6 but the block 10.0.0.0/16 is IPv4; an except "
                        + "is a part of the block, of the same family"));
        assertThat(ingressFrom(block("10.0.0.0/16", "10.0.1.0"))).extracting(FieldError::field)
                .containsExactly("spec.ingress[0].from[0].ipBlock.except[0]");
    }

    @Test
    void protocolIsTcpUdpOrSctp() {
        assertThat(ports(new NetworkPolicyPort("tcp", null, null))).containsExactly(new FieldError(
                "spec.ingress[0].ports[0].protocol", "'tcp' must be upper case, as in Kubernetes: TCP"));
        assertThat(ports(new NetworkPolicyPort("ICMP", null, null))).containsExactly(new FieldError(
                "spec.ingress[0].ports[0].protocol", "'ICMP' is not a protocol; use TCP, UDP or SCTP (or omit it for TCP)"));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 65536})
    void numericPortIsInRange(int port) {
        assertThat(ports(new NetworkPolicyPort(null, PortReference.number(port), null))).containsExactly(new FieldError(
                "spec.ingress[0].ports[0].port", "must be between 1 and 65535; it is " + port));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http", "serve-80-tcp", "a1", "abcdefghijklmno"})
    void validNamedPorts(String name) {
        assertThat(ports(new NetworkPolicyPort(null, PortReference.named(name), null))).isEmpty();
    }

    @Test
    void namedPortIsAnIanaServiceName() {
        String tail = "; a named port is the name of a port the pods declare in spec.ports";
        assertThat(ports(new NetworkPolicyPort(null, PortReference.named("abcdefghijklmnop"), null))).containsExactly(
                new FieldError("spec.ingress[0].ports[0].port", "'abcdefghijklmnop' must be no more than 15 characters (it has 16)" + tail));
        assertThat(ports(new NetworkPolicyPort(null, PortReference.named("Http"), null))).extracting(FieldError::message)
                .containsExactly("'Http' must consist of lower case alphanumeric characters or '-' (e.g. 'http' or 'metrics-2')" + tail);
        assertThat(ports(new NetworkPolicyPort(null, PortReference.named("80-90"), null))).extracting(FieldError::message)
                .containsExactly("'80-90' must contain at least one letter (a-z), so that it cannot be mistaken for a port number" + tail);
        assertThat(ports(new NetworkPolicyPort(null, PortReference.named("-http"), null))).extracting(FieldError::message)
                .containsExactly("'-http' must not start or end with '-'" + tail);
        assertThat(ports(new NetworkPolicyPort(null, PortReference.named("web--1"), null))).extracting(FieldError::message)
                .containsExactly("'web--1' must not contain two '-' in a row" + tail);
    }

    @Test
    void endPortNeedsANumericPortAndIsAtLeastIt() {
        assertThat(ports(new NetworkPolicyPort(null, null, 2000))).containsExactly(new FieldError(
                "spec.ingress[0].ports[0].endPort", "needs port: endPort ends the range that port starts; set port, or remove endPort"));
        assertThat(ports(new NetworkPolicyPort(null, PortReference.named("http"), 2000))).containsExactly(new FieldError(
                "spec.ingress[0].ports[0].endPort", "cannot be used with a named port ('http'); a range is between port "
                        + "numbers: write a number in port, or remove endPort"));
        assertThat(ports(new NetworkPolicyPort(null, PortReference.number(2000), 1000))).containsExactly(new FieldError(
                "spec.ingress[0].ports[0].endPort", "must be at least port (2000); it is 1000"));
        assertThat(ports(new NetworkPolicyPort(null, PortReference.number(2000), 65536))).containsExactly(new FieldError(
                "spec.ingress[0].ports[0].endPort", "must be between 1 and 65535; it is 65536"));
        assertThat(ports(new NetworkPolicyPort(null, PortReference.number(2000), 2000))).isEmpty();
    }

    @Test
    void egressPortsAndPeersAreCheckedToo() {
        NetworkPolicySpec spec = new NetworkPolicySpec(null, List.of("Egress"), null, List.of(new NetworkPolicyRule(null,
                List.of(block("10.0.0.0/8", "192.168.0.0/16")), List.of(new NetworkPolicyPort("UDP", PortReference.number(0), null)))));
        assertThat(validate(spec)).extracting(FieldError::field)
                .containsExactly("spec.egress[0].to[0].ipBlock.except[0]", "spec.egress[0].ports[0].port");
    }

    @Test
    void metadataIsChecked() {
        assertThat(Validators.validate(NetworkPolicy.of(ObjectMeta.named("Allow_All"), NetworkPolicySpec.EMPTY)))
                .extracting(FieldError::field).containsExactly("metadata.name", "metadata.namespace");
        assertThat(Validators.validate(new NetworkPolicy("drover.io/v1", null, ObjectMeta.named("x", "a"), null)))
                .containsExactly(new FieldError("apiVersion",
                        "'drover.io/v1' does not go with kind NetworkPolicy; write apiVersion: networking.k8s.io/v1"));
    }
}
