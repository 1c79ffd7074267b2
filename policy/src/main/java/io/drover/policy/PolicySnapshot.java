package io.drover.policy;

import io.drover.model.net.IpAddresses;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodStatus;
import io.drover.model.policy.NetworkPolicy;
import io.drover.model.tenant.Namespace;
import io.drover.policy.Endpoint.AddressEndpoint;
import io.drover.policy.Endpoint.PodEndpoint;
import io.drover.policy.Party.OutsideParty;
import io.drover.policy.Party.PodParty;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The namespaces, pods, NetworkPolicies and distributed firewall ({@link Firewall}) of a cluster at one moment, and
 * what their semantics make of them: whether a connection is allowed and why ({@link #evaluate}), and what each pod's
 * data plane must enforce ({@link #compile} for NetworkPolicy alone, {@link #compileFirewall} for the firewall's
 * tiers, NetworkPolicy and the default action together). Immutable; build a new snapshot for a new state: security
 * groups' members are computed from the pods and namespaces it holds.
 */
public final class PolicySnapshot {

    private final PodIndex index;
    private final Map<NamespacedName, PodParty> pods;
    private final Map<InetAddress, NamespacedName> podsByAddress;
    private final Map<String, List<PodParty>> podsByNamespace;
    private final Map<String, List<NetworkPolicy>> policiesByNamespace;
    private final Map<NamespacedName, NetworkPolicy> policiesByName;
    private final Firewall firewall;
    private final FirewallIndex firewallIndex;

    private PolicySnapshot(PodIndex index, Map<String, List<NetworkPolicy>> policiesByNamespace,
            Map<NamespacedName, NetworkPolicy> policiesByName, Firewall firewall) {
        this.index = index;
        this.pods = index.pods;
        this.podsByAddress = index.podsByAddress;
        this.podsByNamespace = index.podsByNamespace;
        this.policiesByNamespace = policiesByNamespace;
        this.policiesByName = policiesByName;
        this.firewall = firewall;
        this.firewallIndex = FirewallIndex.build(firewall, pods.values());
    }

    /**
     * A cluster without a distributed firewall: NetworkPolicy alone decides.
     *
     * @throws IllegalArgumentException when two pods or two policies have the same namespace and name
     */
    public static PolicySnapshot of(Collection<Namespace> namespaces, Collection<Pod> pods,
            Collection<NetworkPolicy> policies) {
        return of(namespaces, pods, policies, Firewall.NONE);
    }

    /**
     * @param firewall security groups, firewall policies and settings ({@link Firewall#NONE} for none)
     * @throws IllegalArgumentException when two pods or two policies have the same namespace and name
     */
    public static PolicySnapshot of(Collection<Namespace> namespaces, Collection<Pod> pods,
            Collection<NetworkPolicy> policies, Firewall firewall) {
        // Pods and namespaces that did not change since the last snapshot are not read again (see PodIndex).
        PodIndex index = PodIndex.of(namespaces, pods);
        Map<String, List<NetworkPolicy>> byNamespace = new HashMap<>();
        Map<NamespacedName, NetworkPolicy> seen = new HashMap<>();
        for (NetworkPolicy policy : policies) {
            NamespacedName key = NamespacedName.of(policy);
            if (seen.put(key, policy) != null) {
                throw new IllegalArgumentException("policy " + key + " is given twice");
            }
            byNamespace.computeIfAbsent(key.namespace(), n -> new ArrayList<>()).add(policy);
        }
        byNamespace.replaceAll((namespace, list) -> list.stream().sorted(Comparator.comparing(NetworkPolicy::name)).toList());
        return new PolicySnapshot(index, Map.copyOf(byNamespace), Map.copyOf(seen),
                java.util.Objects.requireNonNull(firewall, "firewall"));
    }

    /**
     * Whether a connection from {@code from} to {@code to} on a protocol and destination port is allowed, and why.
     * An address that is a pod's stands for that pod (policies select pods, and the data plane sees addresses);
     * any other address is outside the cluster's pods, which no policy selects but ipBlocks can name.
     *
     * <p>Each end decides on its own, as the distributed firewall does at every pod's interface: the client as the
     * connection leaves it (egress), the server as it arrives (ingress); the connection passes when both let it
     * through ({@link FirewallVerdict} says in which order tiers, NetworkPolicy, baseline and the default action
     * decide), or when a pod connects to itself, which nothing blocks.
     *
     * @param protocol TCP, UDP, SCTP or ICMP (any case); for ICMP the port is ignored
     * @throws IllegalArgumentException when a pod endpoint names a pod the snapshot does not have
     */
    public Verdict evaluate(Endpoint from, Endpoint to, String protocol, int port) {
        Party client = resolve(from);
        Party server = resolve(to);
        String upperProtocol = protocol.toUpperCase(Locale.ROOT);
        int effectivePort = upperProtocol.equals(io.drover.model.firewall.FirewallService.ICMP) ? 0 : port;
        boolean loopback = client instanceof PodParty c && server instanceof PodParty s && c.key().equals(s.key());
        DirectionJudge judge = new DirectionJudge(this);
        DirectionVerdict egress = judge.judge(Direction.EGRESS, client, server, upperProtocol, effectivePort);
        DirectionVerdict ingress = judge.judge(Direction.INGRESS, server, client, upperProtocol, effectivePort);
        FirewallJudge firewallJudge = new FirewallJudge(firewallIndex, firewall);
        return new Verdict(from, to, upperProtocol, effectivePort, loopback, egress, ingress,
                firewallJudge.judge(Direction.EGRESS, client, server, upperProtocol, effectivePort, egress),
                firewallJudge.judge(Direction.INGRESS, server, client, upperProtocol, effectivePort, ingress));
    }

    /**
     * The pod's firewall as the data plane enforces it: per direction the tier rules, NetworkPolicy, baseline and the
     * default action ({@link FirewallChain}). A pod's traffic to itself does not appear: nothing blocks it.
     *
     * @throws IllegalArgumentException when the snapshot has no such pod
     */
    public PodFirewall compileFirewall(NamespacedName pod) {
        return new FirewallCompiler(firewallIndex, firewall).compile(podParty(pod), compile(pod));
    }

    /** The firewall's objects this snapshot evaluates. */
    public Firewall firewall() {
        return firewall;
    }

    /** A security group's members now; empty when there is no such group. */
    public Optional<GroupMembers> groupMembers(String group) {
        return firewallIndex.group(group).map(m -> new GroupMembers(group, List.copyOf(new java.util.TreeSet<>(m.pods())),
                m.blocks(), firewallIndex.cidrs(m)));
    }

    /**
     * The pod's policy as the data plane enforces it. A pod's traffic to itself does not appear: it never leaves
     * the pod, and policies never block it.
     *
     * @throws IllegalArgumentException when the snapshot has no such pod
     */
    public PodPolicy compile(NamespacedName pod) {
        PodParty party = podParty(pod);
        return index.compiled(pod, policiesByNamespace.getOrDefault(pod.namespace(), List.of()),
                () -> new PolicyCompiler(this).compile(party));
    }

    /** The pods placed on a node ({@code spec.node}), in the order they were given. */
    public List<Pod> podsOn(String node) {
        return index.podsByNode.getOrDefault(node, List.of());
    }

    /** Every pod, in name order. */
    public List<NamespacedName> pods() {
        return List.copyOf(pods.keySet());
    }

    /** The pod that has this address, if one has. */
    public Optional<NamespacedName> podAt(InetAddress address) {
        return Optional.ofNullable(podsByAddress.get(address));
    }

    /** The policies that select the pod and isolate it in the direction, in name order. */
    public List<NamespacedName> policiesSelecting(NamespacedName pod, Direction direction) {
        return selecting(podParty(pod), direction).stream().map(NamespacedName::of).toList();
    }

    List<NetworkPolicy> selecting(PodParty pod, Direction direction) {
        return policiesByNamespace.getOrDefault(pod.key().namespace(), List.of()).stream()
                .filter(policy -> direction.isolates(policy.spec()))
                .filter(policy -> policy.spec().podSelector().matches(pod.labels()))
                .toList();
    }

    /**
     * The peers of a rule, which do not depend on the pod the rule is compiled for: computed once per policy value
     * and set of pods, also across snapshots that share their pods.
     */
    List<io.drover.model.net.Cidr> rulePeers(RuleRef ref, java.util.function.Supplier<List<io.drover.model.net.Cidr>> compute) {
        NetworkPolicy policy = policiesByName.get(ref.policy());
        return policy == null ? compute.get() : index.peers(policy, ref, compute);
    }

    /**
     * The pods a pod-selecting peer can match: those of the policy's namespace without a namespaceSelector, else
     * those of the namespaces it selects. Every pod of a namespace carries the namespace's labels, so one pod
     * answers for its namespace.
     */
    List<PodParty> candidates(io.drover.model.policy.NetworkPolicyPeer peer, String policyNamespace) {
        if (peer.ipBlock() != null) {
            return List.copyOf(pods.values());
        }
        if (peer.namespaceSelector() == null) {
            return podsByNamespace.getOrDefault(policyNamespace, List.of());
        }
        List<PodParty> out = new ArrayList<>();
        podsByNamespace.forEach((namespace, list) -> {
            if (peer.namespaceSelector().matches(list.getFirst().namespaceLabels())) {
                out.addAll(list);
            }
        });
        return out;
    }

    /** The pods any of the peers can match: every pod when the rule has no peers (or blocks). */
    Collection<PodParty> candidates(List<io.drover.model.policy.NetworkPolicyPeer> peers, String policyNamespace) {
        if (peers.isEmpty() || peers.stream().anyMatch(p -> p.ipBlock() != null)) {
            return pods.values();
        }
        java.util.Set<PodParty> out = new java.util.LinkedHashSet<>();
        peers.forEach(p -> out.addAll(candidates(p, policyNamespace)));
        return out;
    }

    Collection<PodParty> podParties() {
        return pods.values();
    }

    PodParty podParty(NamespacedName key) {
        PodParty pod = pods.get(key);
        if (pod == null) {
            throw new IllegalArgumentException("there is no pod " + key + " in the snapshot");
        }
        return pod;
    }

    private Party resolve(Endpoint endpoint) {
        return switch (endpoint) {
            case PodEndpoint(NamespacedName key) -> podParty(key);
            case AddressEndpoint(InetAddress address) -> podAt(address)
                    .<Party>map(key -> {
                        PodParty pod = podParty(key);
                        return new PodParty(key, pod.pod(), pod.namespaceLabels(), List.of(address), true);
                    })
                    .orElseGet(() -> new OutsideParty(address));
        };
    }
}
