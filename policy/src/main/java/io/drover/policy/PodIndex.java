package io.drover.policy;

import io.drover.model.net.Cidr;
import io.drover.model.net.IpAddresses;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodStatus;
import io.drover.model.policy.NetworkPolicy;
import io.drover.model.tenant.Namespace;
import io.drover.policy.Party.PodParty;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The pods and namespaces of a cluster as policy evaluation looks them up: by name, by address and by namespace,
 * with their namespaces' labels; and the peers of every policy rule computed against them so far. The part of a
 * {@link PolicySnapshot} that does not depend on the policies, so that a change of policies alone (the common case,
 * and what must reach every node fast) reuses it whole: pods are not read again, and only the rules of the changed
 * policies compute their peers.
 *
 * <p>Built from unmodifiable lists, it remembers the last pair it was built from: the same lists (by identity, as an
 * agent's mirror hands them out while nothing changed) give the same index.
 */
final class PodIndex {

    final Map<String, Map<String, String>> namespaceLabels;
    final Map<NamespacedName, PodParty> pods;
    final Map<InetAddress, NamespacedName> podsByAddress;
    final Map<String, List<PodParty>> podsByNamespace;
    final Map<String, List<Pod>> podsByNode;
    /** Rule peers by policy (equal policies have equal peers against the same pods) and rule. */
    private final Map<NetworkPolicy, Map<RuleRef, List<Cidr>>> peers = Collections.synchronizedMap(new WeakHashMap<>());
    /** Each pod's compiled policy with the policies of its namespace it was compiled from. */
    private final Map<NamespacedName, Compiled> compiled = new ConcurrentHashMap<>();

    /** A pod's compiled policy and the one input of it that is not in this index. */
    private record Compiled(List<NetworkPolicy> namespacePolicies, PodPolicy policy) {}

    private static final Object LAST_LOCK = new Object();
    private static Collection<Namespace> lastNamespaces;
    private static Collection<Pod> lastPods;
    private static PodIndex last;

    private PodIndex(Map<String, Map<String, String>> namespaceLabels, Map<NamespacedName, PodParty> pods,
            Map<InetAddress, NamespacedName> podsByAddress, Map<String, List<PodParty>> podsByNamespace,
            Map<String, List<Pod>> podsByNode) {
        this.podsByNode = podsByNode;
        this.namespaceLabels = namespaceLabels;
        this.pods = pods;
        this.podsByAddress = podsByAddress;
        this.podsByNamespace = podsByNamespace;
    }

    /**
     * The index of these namespaces and pods: the last one built when both collections are the ones it was built
     * from (the caller does not change them), else a new one.
     *
     * @throws IllegalArgumentException when two pods have the same namespace and name
     */
    static PodIndex of(Collection<Namespace> namespaces, Collection<Pod> pods) {
        if (!immutable(namespaces) || !immutable(pods)) {
            return build(namespaces, pods); // a collection that may still change cannot be recognised by identity
        }
        synchronized (LAST_LOCK) {
            if (last != null && namespaces == lastNamespaces && pods == lastPods) {
                return last;
            }
        }
        PodIndex built = build(namespaces, pods);
        synchronized (LAST_LOCK) {
            lastNamespaces = namespaces;
            lastPods = pods;
            last = built;
        }
        return built;
    }

    /** An unmodifiable JDK list ({@code List.of}, {@code List.copyOf}, {@code toList()}): copying it gives itself. */
    private static boolean immutable(Collection<?> collection) {
        return collection instanceof List<?> list && List.copyOf(list) == list;
    }

    /** The peers of a rule of this policy, computed once per policy value. */
    List<Cidr> peers(NetworkPolicy policy, RuleRef ref, java.util.function.Supplier<List<Cidr>> compute) {
        Map<RuleRef, List<Cidr>> ofPolicy = peers.computeIfAbsent(policy, p -> new ConcurrentHashMap<>());
        List<Cidr> known = ofPolicy.get(ref);
        if (known == null) {
            known = compute.get();
            ofPolicy.putIfAbsent(ref, known);
        }
        return known;
    }

    /**
     * The pod's compiled policy, computed once per set of policies in its namespace. Against the same pods and
     * namespaces, that is all a pod's policy depends on: only policies of its own namespace select it, and the peers
     * of their rules come from this index. So a policy change recompiles the pods of one namespace, and every other
     * pod keeps the very same {@link PodPolicy} (which lets the data plane's side keep what it rendered from it).
     *
     * @param namespacePolicies every policy of the pod's namespace, in the snapshot's order
     */
    PodPolicy compiled(NamespacedName pod, List<NetworkPolicy> namespacePolicies, Supplier<PodPolicy> compile) {
        Compiled known = compiled.get(pod);
        if (known != null && sameElements(known.namespacePolicies(), namespacePolicies)) {
            return known.policy();
        }
        PodPolicy policy = compile.get();
        compiled.put(pod, new Compiled(namespacePolicies, policy));
        return policy;
    }

    /** Element by element; the identity test first, since unchanged policies are the same objects sync after sync. */
    private static boolean sameElements(List<NetworkPolicy> a, List<NetworkPolicy> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i) != b.get(i) && !a.get(i).equals(b.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static PodIndex build(Collection<Namespace> namespaces, Collection<Pod> pods) {
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
        Map<String, List<PodParty>> byNamespace = new HashMap<>();
        podsByName.values().forEach(p -> byNamespace.computeIfAbsent(p.key().namespace(), n -> new ArrayList<>()).add(p));
        Map<String, List<Pod>> byNode = new HashMap<>();
        pods.forEach(p -> {
            if (p.spec() != null && p.spec().node() != null) {
                byNode.computeIfAbsent(p.spec().node(), n -> new ArrayList<>()).add(p);
            }
        });
        return new PodIndex(Map.copyOf(labels), Collections.unmodifiableMap(podsByName), Map.copyOf(byAddress),
                Map.copyOf(byNamespace), Map.copyOf(byNode));
    }

    // The server labels every namespace with its name; a snapshot of bare objects (tests, the conformance model)
    // gets the label here so that selectors on it behave as in the cluster.
    static Map<String, String> withNameLabel(String namespace, Map<String, String> labels) {
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
