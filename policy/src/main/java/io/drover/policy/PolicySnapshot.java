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
 * The namespaces, pods and NetworkPolicies of a cluster at one moment, and what Kubernetes' NetworkPolicy
 * semantics make of them: whether a connection is allowed and why ({@link #evaluate}), and what each pod's data
 * plane must enforce ({@link #compile}). Immutable; build a new snapshot for a new state.
 */
public final class PolicySnapshot {

    private final Map<String, Map<String, String>> namespaceLabels;
    private final Map<NamespacedName, PodParty> pods;
    private final Map<InetAddress, NamespacedName> podsByAddress;
    private final Map<String, List<NetworkPolicy>> policiesByNamespace;

    private PolicySnapshot(Map<String, Map<String, String>> namespaceLabels, Map<NamespacedName, PodParty> pods,
            Map<InetAddress, NamespacedName> podsByAddress, Map<String, List<NetworkPolicy>> policiesByNamespace) {
        this.namespaceLabels = namespaceLabels;
        this.pods = pods;
        this.podsByAddress = podsByAddress;
        this.policiesByNamespace = policiesByNamespace;
    }

    /**
     * @throws IllegalArgumentException when two pods or two policies have the same namespace and name
     */
    public static PolicySnapshot of(Collection<Namespace> namespaces, Collection<Pod> pods,
            Collection<NetworkPolicy> policies) {
        Map<String, Map<String, String>> labels = new HashMap<>();
        for (Namespace namespace : namespaces) {
            labels.put(namespace.name(), withNameLabel(namespace.name(), namespace.metadata().labels()));
        }
        Map<NamespacedName, PodParty> podsByName = new TreeMap<>();
        for (Pod pod : pods) {
            NamespacedName key = NamespacedName.of(pod);
            Map<String, String> ownLabels = labels.getOrDefault(key.namespace(), withNameLabel(key.namespace(), Map.of()));
            if (podsByName.put(key, new PodParty(key, pod, ownLabels, addressesOf(pod), false)) != null) {
                throw new IllegalArgumentException("pod " + key + " is given twice");
            }
        }
        // A stale status could repeat an address that IPAM has since given to another pod; the first pod in name
        // order keeps it, so that evaluation does not depend on the order the pods came in.
        Map<InetAddress, NamespacedName> byAddress = new HashMap<>();
        podsByName.values().forEach(pod -> pod.addresses().forEach(a -> byAddress.putIfAbsent(a, pod.key())));
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
        return new PolicySnapshot(Map.copyOf(labels), podsByName, Map.copyOf(byAddress), Map.copyOf(byNamespace));
    }

    /**
     * Whether a connection from {@code from} to {@code to} on a protocol and destination port is allowed, and why.
     * An address that is a pod's stands for that pod (policies select pods, and the data plane sees addresses);
     * any other address is outside the cluster's pods, which no policy selects but ipBlocks can name.
     *
     * @param protocol TCP, UDP or SCTP (any case)
     * @throws IllegalArgumentException when a pod endpoint names a pod the snapshot does not have
     */
    public Verdict evaluate(Endpoint from, Endpoint to, String protocol, int port) {
        Party client = resolve(from);
        Party server = resolve(to);
        String upperProtocol = protocol.toUpperCase(Locale.ROOT);
        boolean loopback = client instanceof PodParty c && server instanceof PodParty s && c.key().equals(s.key());
        DirectionJudge judge = new DirectionJudge(this);
        return new Verdict(from, to, upperProtocol, port, loopback,
                judge.judge(Direction.EGRESS, client, server, upperProtocol, port),
                judge.judge(Direction.INGRESS, server, client, upperProtocol, port));
    }

    /**
     * The pod's policy as the data plane enforces it. A pod's traffic to itself does not appear: it never leaves
     * the pod, and policies never block it.
     *
     * @throws IllegalArgumentException when the snapshot has no such pod
     */
    public PodPolicy compile(NamespacedName pod) {
        return new PolicyCompiler(this).compile(podParty(pod));
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

    // The server labels every namespace with its name; a snapshot of bare objects (tests, the conformance model)
    // gets the label here so that selectors on it behave as in the cluster.
    private static Map<String, String> withNameLabel(String namespace, Map<String, String> labels) {
        Map<String, String> all = new HashMap<>(labels);
        all.putIfAbsent(Namespace.NAME_LABEL, namespace);
        return Map.copyOf(all);
    }

    private static List<InetAddress> addressesOf(Pod pod) {
        return pod.status() == null ? List.of() : pod.status().addresses().stream()
                .map(PodStatus.PodAddress::ip)
                .filter(ip -> ip != null && !ip.isEmpty())
                .map(IpAddresses::parse)
                .distinct()
                .toList();
    }
}
