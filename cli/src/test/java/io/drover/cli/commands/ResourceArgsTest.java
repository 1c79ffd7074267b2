package io.drover.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.cli.CliException;
import io.drover.model.ResourceKind;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ResourceArgsTest {

    @ParameterizedTest
    @ValueSource(strings = {"pod", "pods", "po", "Pod", "PODS"})
    void resolvesKindsByNamePluralAndShortNameIgnoringCase(String text) {
        assertThat(ResourceArgs.kind(text)).isEqualTo(ResourceKind.POD);
    }

    @Test
    void resolvesTheOtherKindsAliases() {
        assertThat(ResourceArgs.kind("ns")).isEqualTo(ResourceKind.NAMESPACE);
        assertThat(ResourceArgs.kind("projects")).isEqualTo(ResourceKind.NAMESPACE);
        assertThat(ResourceArgs.kind("net")).isEqualTo(ResourceKind.NETWORK);
        assertThat(ResourceArgs.kind("no")).isEqualTo(ResourceKind.NODE);
        assertThat(ResourceArgs.kind("tn")).isEqualTo(ResourceKind.TENANT);
        assertThat(ResourceArgs.kind("netpol")).isEqualTo(ResourceKind.NETWORK_POLICY);
        assertThat(ResourceArgs.kind("networkpolicies")).isEqualTo(ResourceKind.NETWORK_POLICY);
        assertThat(ResourceArgs.kind("NetworkPolicy")).isEqualTo(ResourceKind.NETWORK_POLICY);
        // "net" stays a network: the policy's short name is netpol.
        assertThat(ResourceArgs.kind("net")).isEqualTo(ResourceKind.NETWORK);
    }

    @Test
    void anUnknownKindListsTheKnownOnes() {
        assertThatThrownBy(() -> ResourceArgs.kind("foo"))
                .isInstanceOf(CliException.class)
                .hasMessage("unknown resource type \"foo\"; known types: Block, FirewallPolicy, FirewallSettings, Namespace, "
                        + "Network, NetworkPolicy, Node, Pod, SecurityGroup, Service, ServiceEndpoints, Tenant");
    }

    @Test
    void kindAndNames() {
        ResourceArgs args = ResourceArgs.parse(List.of("pods", "web-1", "web-2"));

        assertThat(args.kind()).isEqualTo(ResourceKind.POD);
        assertThat(args.targets()).containsExactly(
                new ResourceArgs.Target(ResourceKind.POD, "web-1"), new ResourceArgs.Target(ResourceKind.POD, "web-2"));
        assertThat(ResourceArgs.parse(List.of("networks")).targets()).isEmpty();
    }

    @Test
    void kindSlashNameFormMayMixKinds() {
        ResourceArgs args = ResourceArgs.parse(List.of("pod/web-1", "net/blue"));

        assertThat(args.targets()).containsExactly(
                new ResourceArgs.Target(ResourceKind.POD, "web-1"), new ResourceArgs.Target(ResourceKind.NETWORK, "blue"));
    }

    @Test
    void formsCannotBeMixed() {
        assertThatThrownBy(() -> ResourceArgs.parse(List.of("pod", "pod/web-1")))
                .hasMessageStartingWith("there is no need to specify a resource type as a separate argument");
        assertThatThrownBy(() -> ResourceArgs.parse(List.of("pod/web-1", "web-2")))
                .hasMessageContaining("\"web-2\" has no resource type");
        assertThatThrownBy(() -> ResourceArgs.parse(List.of("pod/")))
                .hasMessage("\"pod/\" is not of the form TYPE/NAME");
        assertThatThrownBy(() -> ResourceArgs.parse(List.of("gizmo/x")))
                .hasMessageStartingWith("unknown resource type \"gizmo\"");
    }
}
