package io.drover.policy;

import io.drover.model.net.Cidr;
import io.drover.model.net.IpFamily;
import io.drover.model.policy.NetworkPolicy;
import io.drover.model.policy.NetworkPolicyPeer;
import io.drover.model.policy.NetworkPolicyPort;
import io.drover.model.policy.NetworkPolicyRule;
import io.drover.policy.Party.PodParty;
import io.drover.policy.cidr.CidrMath;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Turns the policies selecting a pod into address and port sets, the form the data plane matches packets on. */
final class PolicyCompiler {

    private final PolicySnapshot snapshot;

    PolicyCompiler(PolicySnapshot snapshot) {
        this.snapshot = snapshot;
    }

    PodPolicy compile(PodParty pod) {
        return new PodPolicy(pod.key(), compile(Direction.INGRESS, pod), compile(Direction.EGRESS, pod));
    }

    private DirectionPolicy compile(Direction direction, PodParty pod) {
        List<NetworkPolicy> policies = snapshot.selecting(pod, direction);
        if (policies.isEmpty()) {
            return DirectionPolicy.NOT_ISOLATED;
        }
        List<AllowEntry> entries = new ArrayList<>();
        for (NetworkPolicy policy : policies) {
            List<NetworkPolicyRule> rules = direction.rules(policy.spec());
            for (int i = 0; i < rules.size(); i++) {
                entries.addAll(compileRule(new RuleRef(NamespacedName.of(policy), direction, i), rules.get(i), pod));
            }
        }
        return new DirectionPolicy(true, entries);
    }

    private List<AllowEntry> compileRule(RuleRef ref, NetworkPolicyRule rule, PodParty subject) {
        List<NetworkPolicyPort> ports = rule.portList();
        if (ports.isEmpty()) {
            return entry(ref, peerCidrs(ref, rule), PortSet.any());
        }
        if (ref.direction() == Direction.INGRESS) {
            // The selected pod is the destination of every ingress connection, so its port names resolve once.
            List<PortRange> ranges = ports.stream()
                    .flatMap(p -> RulePorts.resolve(p, Optional.of(subject.pod())).stream())
                    .toList();
            return ranges.isEmpty() ? List.of() : entry(ref, peerCidrs(ref, rule), PortSet.of(ranges));
        }
        List<AllowEntry> entries = new ArrayList<>();
        List<PortRange> numbered = ports.stream()
                .filter(p -> !RulePorts.isNamed(p))
                .flatMap(p -> RulePorts.resolve(p, Optional.empty()).stream())
                .toList();
        if (!numbered.isEmpty()) {
            entries.addAll(entry(ref, peerCidrs(ref, rule), PortSet.of(numbered)));
        }
        List<NetworkPolicyPort> named = ports.stream().filter(RulePorts::isNamed).toList();
        if (!named.isEmpty()) {
            entries.addAll(namedPortEntries(ref, rule, named));
        }
        return entries;
    }

    /**
     * Egress to named ports: each destination pod may give a name its own number (or none, or only for another
     * protocol), and addresses outside pods have no names at all. So the peers are the matching pods' addresses,
     * one entry per distinct resolution, pods that resolve the names alike sharing it.
     */
    private List<AllowEntry> namedPortEntries(RuleRef ref, NetworkPolicyRule rule, List<NetworkPolicyPort> named) {
        Map<List<PortRange>, List<Cidr>> peersByPorts = new LinkedHashMap<>();
        for (PodParty destination : snapshot.candidates(rule.peers(), ref.policy().namespace())) {
            Set<InetAddress> addresses = peerAddresses(ref, rule, destination);
            if (addresses.isEmpty()) {
                continue;
            }
            List<PortRange> ranges = named.stream()
                    .flatMap(p -> RulePorts.resolve(p, Optional.of(destination.pod())).stream())
                    .sorted()
                    .distinct()
                    .toList();
            if (!ranges.isEmpty()) {
                addresses.forEach(a -> peersByPorts.computeIfAbsent(ranges, r -> new ArrayList<>()).add(CidrMath.host(a)));
            }
        }
        List<AllowEntry> entries = new ArrayList<>();
        peersByPorts.forEach((ranges, cidrs) ->
                entries.add(new AllowEntry(ref, CidrMath.normalize(cidrs), PortSet.of(ranges))));
        return entries;
    }

    /** Every address the rule's peers stand for: pods' addresses and ipBlocks less their excepts. */
    private List<Cidr> peerCidrs(RuleRef ref, NetworkPolicyRule rule) {
        // The same for every pod the policy selects: computed once per snapshot.
        return snapshot.rulePeers(ref, () -> computePeerCidrs(ref, rule));
    }

    private List<Cidr> computePeerCidrs(RuleRef ref, NetworkPolicyRule rule) {
        if (rule.peers().isEmpty()) {
            return List.of(CidrMath.everything(IpFamily.IPV4), CidrMath.everything(IpFamily.IPV6));
        }
        List<Cidr> cidrs = new ArrayList<>();
        for (NetworkPolicyPeer peer : rule.peers()) {
            if (Peers.isBlock(peer)) {
                cidrs.addAll(Peers.blockCidrs(peer.ipBlock()));
            } else {
                for (PodParty pod : snapshot.candidates(peer, ref.policy().namespace())) {
                    Peers.matchingAddresses(peer, ref.policy().namespace(), pod).forEach(a -> cidrs.add(CidrMath.host(a)));
                }
            }
        }
        return CidrMath.normalize(cidrs);
    }

    /** The addresses of one pod that the rule's peers let through. */
    private static Set<InetAddress> peerAddresses(RuleRef ref, NetworkPolicyRule rule, PodParty pod) {
        if (rule.peers().isEmpty()) {
            return new LinkedHashSet<>(pod.addresses());
        }
        Set<InetAddress> addresses = new LinkedHashSet<>();
        for (NetworkPolicyPeer peer : rule.peers()) {
            addresses.addAll(Peers.matchingAddresses(peer, ref.policy().namespace(), pod));
        }
        return addresses;
    }

    /**
     * An entry even when no peer matches yet (it allows nothing then): the data plane gives each rule its peer set
     * once, so that the first matching pod to appear is a set element added, not a rule written.
     */
    private static List<AllowEntry> entry(RuleRef ref, List<Cidr> peers, PortSet ports) {
        return List.of(new AllowEntry(ref, peers, ports));
    }
}
