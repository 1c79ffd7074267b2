package io.drover.cli.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.cli.output.ResourceNames;
import io.drover.model.Resource;
import io.drover.model.firewall.FirewallPeer;
import io.drover.model.firewall.FirewallPolicy;
import io.drover.model.firewall.FirewallSettings;
import io.drover.model.firewall.SecurityGroup;
import io.drover.model.firewall.SecurityGroupSpec;
import io.drover.model.meta.ObjectMeta;
import io.drover.model.network.Network;
import io.drover.model.network.NetworkSpec;
import io.drover.model.node.Node;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodSpec;
import io.drover.model.policy.NetworkPolicy;
import io.drover.model.tenant.Namespace;
import io.drover.model.tenant.Tenant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApplyOrderTest {

    private final List<Resource> asWritten = List.of(
            Pod.of(ObjectMeta.named("shop", "web-1"), PodSpec.on("node-1", "blue")),
            Node.of(ObjectMeta.named("node-1"), null),
            Pod.of(ObjectMeta.named("shop", "web-2"), PodSpec.on("node-1", "blue")),
            Network.of(ObjectMeta.named("blue"), NetworkSpec.of("10.10.0.0/16")),
            Namespace.of(ObjectMeta.named("shop"), null),
            Tenant.of(ObjectMeta.named("acme"), null),
            Network.of(ObjectMeta.named("red"), NetworkSpec.of("10.20.0.0/16")),
            NetworkPolicy.of(ObjectMeta.named("shop", "deny-all"), null));

    /** Policies go before the pods they select, so that no pod is reachable in a way they forbid. */
    @Test
    void appliesWhatOthersReferToFirstAndKeepsTheWrittenOrderWithinAKind() {
        assertThat(ApplyOrder.forApply(asWritten)).extracting(ResourceNames::ref).containsExactly(
                "tenant/acme", "namespace/shop", "network/blue", "network/red", "node/node-1", "networkpolicy/deny-all",
                "pod/web-1", "pod/web-2");
    }

    @Test
    void deletesDependentsFirst() {
        assertThat(ApplyOrder.forDelete(asWritten)).extracting(ResourceNames::ref).containsExactly(
                "pod/web-1", "pod/web-2", "networkpolicy/deny-all", "node/node-1", "network/blue", "network/red",
                "namespace/shop", "tenant/acme");
    }

    @Test
    void groupsComeBeforeThePoliciesAndGroupsThatNameThem() {
        List<Resource> firewall = List.of(
                FirewallPolicy.of(ObjectMeta.named("isolate"), null),
                SecurityGroup.of(ObjectMeta.named("everyone"), new SecurityGroupSpec(List.of(FirewallPeer.group("web"),
                        FirewallPeer.group("db")))),
                Pod.of(ObjectMeta.named("shop", "web-1"), PodSpec.on("node-1", "blue")),
                SecurityGroup.of(ObjectMeta.named("web"), null),
                FirewallSettings.of(null),
                SecurityGroup.of(ObjectMeta.named("db"), new SecurityGroupSpec(List.of(FirewallPeer.group("web")))));
        assertThat(ApplyOrder.forApply(firewall)).extracting(ResourceNames::ref).containsExactly(
                "securitygroup/web", "securitygroup/db", "securitygroup/everyone", "firewallsettings/default",
                "firewallpolicy/isolate", "pod/web-1");
        assertThat(ApplyOrder.forDelete(firewall)).extracting(ResourceNames::ref).containsExactly(
                "pod/web-1", "firewallpolicy/isolate", "firewallsettings/default", "securitygroup/everyone",
                "securitygroup/db", "securitygroup/web");
    }
}
