package io.drover.policy;

import io.drover.model.codec.ManifestReader;
import io.drover.model.firewall.FirewallPolicy;
import io.drover.model.firewall.FirewallSettings;
import io.drover.model.firewall.FirewallSettingsSpec;
import io.drover.model.firewall.SecurityGroup;
import io.drover.model.meta.ObjectMeta;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodPort;
import io.drover.model.pod.PodSpec;
import io.drover.model.pod.PodStatus;
import io.drover.model.pod.PodStatus.PodAddress;
import io.drover.model.policy.NetworkPolicy;
import io.drover.model.tenant.Namespace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A small cluster for tests, built fluently; policies are written as YAML, as users write them. */
final class TestCluster {

    private final List<Namespace> namespaces = new ArrayList<>();
    private final List<Pod> pods = new ArrayList<>();
    private final List<NetworkPolicy> policies = new ArrayList<>();
    private final List<SecurityGroup> groups = new ArrayList<>();
    private final List<FirewallPolicy> firewallPolicies = new ArrayList<>();
    private FirewallSettings settings;

    /** @param labels key, value, key, value ... */
    TestCluster namespace(String name, String... labels) {
        namespaces.add(Namespace.of(ObjectMeta.named(name).withLabels(map(labels)), null));
        return this;
    }

    /** A pod with one address per IP given and label {@code pod: <name>}. */
    TestCluster pod(String key, List<String> ips, List<PodPort> ports, String... labels) {
        NamespacedName name = NamespacedName.parse(key);
        Map<String, String> all = new HashMap<>(map(labels));
        all.putIfAbsent("pod", name.name());
        List<PodAddress> addresses = ips.stream().map(ip -> new PodAddress("net", "eth0", ip, null, null)).toList();
        pods.add(Pod.of(ObjectMeta.named(name.namespace(), name.name()).withLabels(all),
                        new PodSpec(null, null, List.of("net"), ports, List.of()))
                .withStatus(new PodStatus(PodStatus.ALLOCATED, addresses, null)));
        return this;
    }

    TestCluster pod(String key, String ip, String... labels) {
        return pod(key, List.of(ip), List.of(), labels);
    }

    TestCluster policy(String yaml) {
        policies.add((NetworkPolicy) ManifestReader.readSingle("test policy", yaml).resource());
        return this;
    }

    /** A SecurityGroup: {@code spec} is the YAML under {@code spec:}. */
    TestCluster group(String name, String spec) {
        groups.add((SecurityGroup) ManifestReader.readSingle("test group", "apiVersion: drover.io/v1\nkind: SecurityGroup\n"
                + "metadata: {name: " + name + "}\nspec:\n" + spec.indent(2)).resource());
        return this;
    }

    /** A FirewallPolicy: {@code spec} is the YAML under {@code spec:}. */
    TestCluster firewall(String name, String spec) {
        firewallPolicies.add((FirewallPolicy) ManifestReader.readSingle("test firewall policy", "apiVersion: drover.io/v1\n"
                + "kind: FirewallPolicy\nmetadata: {name: " + name + "}\nspec:\n" + spec.indent(2)).resource());
        return this;
    }

    TestCluster defaultAction(String action) {
        settings = FirewallSettings.of(new FirewallSettingsSpec(action, null));
        return this;
    }

    /** Removes the pod, as when it is deleted. */
    TestCluster without(String key) {
        NamespacedName name = NamespacedName.parse(key);
        pods.removeIf(p -> NamespacedName.of(p).equals(name));
        return this;
    }

    PolicySnapshot snapshot() {
        return PolicySnapshot.of(namespaces, pods, policies, Firewall.of(groups, firewallPolicies, Optional.ofNullable(settings)));
    }

    /** @param from a pod ({@code ns/name}) or an address, as the CLI takes them */
    Verdict evaluate(String from, String to, String protocol, int port) {
        return snapshot().evaluate(Endpoint.parse(from), Endpoint.parse(to), protocol, port);
    }

    boolean allowed(String from, String to, String protocol, int port) {
        return evaluate(from, to, protocol, port).allowed();
    }

    boolean allowed(String from, String to, int tcpPort) {
        return allowed(from, to, "TCP", tcpPort);
    }

    static PodPort port(String name, int number, String protocol) {
        return new PodPort(name, number, protocol, null, null);
    }

    private static Map<String, String> map(String... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("labels come in pairs: " + Arrays.toString(keysAndValues));
        }
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
