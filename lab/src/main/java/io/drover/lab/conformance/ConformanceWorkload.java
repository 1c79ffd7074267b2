package io.drover.lab.conformance;

import io.drover.api.ApiException;
import io.drover.api.ApiException.Reason;
import io.drover.api.ResourceRegistry;
import io.drover.model.Resource;
import io.drover.model.ResourceKind;
import io.drover.model.meta.ObjectMeta;
import io.drover.model.net.Cidr;
import io.drover.model.net.IpAddresses;
import io.drover.model.network.Network;
import io.drover.model.network.NetworkSpec;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodSpec;
import io.drover.model.policy.NetworkPolicy;
import io.drover.model.tenant.Namespace;
import io.drover.policy.NamespacedName;
import io.drover.policy.conformance.ConformanceModel;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The conformance model ({@link ConformanceModel}) made real through a Drover API: namespaces x, y and z labelled
 * {@code ns: <name>} (the server adds {@code kubernetes.io/metadata.name}), pods a, b and c in each labelled
 * {@code pod: <name>} and serving TCP, UDP and SCTP on ports 80 and 81 ({@code serve-<port>-<protocol>}, which the
 * lab's echo servers serve), all on one network of their own, spread over the nodes round-robin. Then the changes a
 * case's actions make, the reset between cases, and the removal of everything it made.
 */
public final class ConformanceWorkload implements ConformanceCluster {

    /** The network the model's pods join (made for the run unless it exists). */
    public static final String NETWORK = ConformanceModel.NETWORK;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Duration POLL = Duration.ofMillis(100);

    private final ResourceRegistry registry;
    /** The model's namespaces once this run made them: all their policies are the run's. */
    private final Set<String> madeNamespaces = new ConcurrentSkipListSet<>();
    /** Policies a case wrote into namespaces other than the model's: only these are the run's there. */
    private final Set<NamespacedName> policiesElsewhere = new ConcurrentSkipListSet<>();
    private volatile boolean madeNetwork;

    public ConformanceWorkload(ResourceRegistry registry) {
        this.registry = registry;
    }

    /**
     * Creates the model: its network (unless one of that name exists), namespaces and pods, the i-th pod (x/a, x/b,
     * ..., z/c) on {@code nodes[i % nodes.size()]}.
     *
     * @throws ConformanceSetupException when a namespace of the model exists already (the run would change and
     *                                   then delete what is not its own), or the server refuses a write
     */
    public void create(List<String> nodes) {
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("the model's pods need at least one node");
        }
        List<String> taken = ConformanceModel.NAMESPACES.stream()
                .filter(ns -> registry.get(ResourceKind.NAMESPACE, null, ns).isPresent()).toList();
        if (!taken.isEmpty()) {
            throw new ConformanceSetupException("namespace" + (taken.size() == 1 ? " " : "s ") + String.join(", ", taken)
                    + (taken.size() == 1 ? " exists" : " exist") + " already; a conformance run makes namespaces "
                    + String.join(", ", ConformanceModel.NAMESPACES) + " itself and deletes them at the end. Delete"
                    + " them (and their pods and policies) first, or run against a lab of its own (without --lab)");
        }
        call("create network " + NETWORK, this::ensureNetwork);
        for (String ns : ConformanceModel.NAMESPACES) {
            call("create namespace " + ns, () -> registry.create(Namespace.of(
                    ObjectMeta.named(ns).withLabels(originalNamespaceLabels(ns)), null)));
            madeNamespaces.add(ns);
        }
        int i = 0;
        for (NamespacedName name : ConformanceModel.podNames()) {
            String node = nodes.get(i++ % nodes.size());
            call("create pod " + name, () -> registry.create(Pod.of(
                    ObjectMeta.named(name.namespace(), name.name()).withLabels(originalPodLabels(name)),
                    new PodSpec(node, null, List.of(NETWORK), ConformanceModel.servedPorts(), List.of()))));
        }
    }

    /** The model's pods as stored now, in the model's order (those that exist). */
    public List<Pod> pods() {
        Map<NamespacedName, Pod> byName = new HashMap<>();
        for (String ns : ConformanceModel.NAMESPACES) {
            for (Resource r : registry.list(ResourceKind.POD, ns, null).items()) {
                byName.put(NamespacedName.of(r), (Pod) r);
            }
        }
        return ConformanceModel.podNames().stream().map(byName::get).filter(p -> p != null).toList();
    }

    /**
     * Waits until every pod of the model has an address.
     *
     * @return the pods, in the model's order
     * @throws ConformanceSetupException naming the pods without one when {@code limit} passes first
     */
    public List<Pod> awaitAddresses(Duration limit, Ticker ticker) {
        long deadline = ticker.nanoTime() + limit.toNanos();
        while (true) {
            List<Pod> pods = pods();
            List<String> waiting = new ArrayList<>();
            for (NamespacedName name : ConformanceModel.podNames()) {
                Optional<Pod> pod = pods.stream().filter(p -> NamespacedName.of(p).equals(name)).findFirst();
                if (pod.isEmpty() || pod.get().status() == null || pod.get().status().addresses().isEmpty()) {
                    waiting.add(name + (pod.isPresent() && pod.get().status() != null && pod.get().status().message() != null
                            ? " (" + pod.get().status().message() + ")" : ""));
                }
            }
            if (waiting.isEmpty()) {
                return pods;
            }
            if (ticker.nanoTime() - deadline >= 0) {
                throw new ConformanceSetupException("pods without an address after " + limit.toSeconds() + " s: "
                        + String.join(", ", waiting) + "; 'drover get pods -A -o wide' shows where they stand");
            }
            ticker.sleep(POLL);
        }
    }

    /** Each pod's first address, as the model's placeholders ({{podIP:x/a}}) need them. */
    public static Map<NamespacedName, InetAddress> addresses(List<Pod> pods) {
        Map<NamespacedName, InetAddress> addresses = new LinkedHashMap<>();
        for (Pod pod : pods) {
            if (pod.status() != null && !pod.status().addresses().isEmpty()) {
                addresses.put(NamespacedName.of(pod), IpAddresses.parse(pod.status().addresses().getFirst().ip()));
            }
        }
        return addresses;
    }

    @Override
    public void reset() {
        deleteAllPolicies();
        for (String ns : ConformanceModel.NAMESPACES) {
            restoreLabels(ResourceKind.NAMESPACE, null, ns, originalNamespaceLabels(ns));
        }
        for (NamespacedName pod : ConformanceModel.podNames()) {
            restoreLabels(ResourceKind.POD, pod.namespace(), pod.name(), originalPodLabels(pod));
        }
    }

    @Override
    public void createPolicy(NetworkPolicy policy) {
        noteElsewhere(policy);
        registry.create(policy);
    }

    @Override
    public void replacePolicy(NetworkPolicy policy) {
        noteElsewhere(policy);
        registry.replace(policy);
    }

    /**
     * Deletes every policy of the model's namespaces, and those the run wrote elsewhere; never a policy it did not
     * write in a namespace it did not make (a lab given with --lab has its own).
     */
    @Override
    public void deleteAllPolicies() {
        for (String ns : madeNamespaces) {
            for (Resource policy : registry.list(ResourceKind.NETWORK_POLICY, ns, null).items()) {
                deleteIfPresent(ResourceKind.NETWORK_POLICY, ns, policy.name());
            }
        }
        for (NamespacedName policy : policiesElsewhere) {
            deleteIfPresent(ResourceKind.NETWORK_POLICY, policy.namespace(), policy.name());
            policiesElsewhere.remove(policy);
        }
    }

    private void noteElsewhere(NetworkPolicy policy) {
        NamespacedName name = NamespacedName.of(policy);
        if (!madeNamespaces.contains(name.namespace())) {
            policiesElsewhere.add(name);
        }
    }

    @Override
    public void addNamespaceLabels(String namespace, Map<String, String> labels) {
        registry.patch(ResourceKind.NAMESPACE, null, namespace, labelPatch(labels));
    }

    @Override
    public void addPodLabels(NamespacedName pod, Map<String, String> labels) {
        registry.patch(ResourceKind.POD, pod.namespace(), pod.name(), labelPatch(labels));
    }

    /** Whether the run has made anything that {@link #remove()} would delete. */
    public boolean madeSomething() {
        return madeNetwork || !madeNamespaces.isEmpty() || !policiesElsewhere.isEmpty();
    }

    /**
     * Removes what the run made: the policies, the model's pods, the namespaces and the network it created. Goes on
     * past failures, and returns them (empty when everything went).
     */
    public List<String> remove() {
        List<String> problems = new ArrayList<>();
        attempt(problems, "delete the policies", this::deleteAllPolicies);
        for (NamespacedName pod : ConformanceModel.podNames()) {
            if (madeNamespaces.contains(pod.namespace())) {
                attempt(problems, "delete pod " + pod, () -> deleteIfPresent(ResourceKind.POD, pod.namespace(), pod.name()));
            }
        }
        for (String ns : madeNamespaces) {
            attempt(problems, "delete namespace " + ns, () -> {
                deleteIfPresent(ResourceKind.NAMESPACE, null, ns);
                madeNamespaces.remove(ns);
            });
        }
        if (madeNetwork) {
            attempt(problems, "delete network " + NETWORK, () -> {
                deleteIfPresent(ResourceKind.NETWORK, null, NETWORK);
                madeNetwork = false;
            });
        }
        return problems;
    }

    static Map<String, String> originalNamespaceLabels(String namespace) {
        return Map.of("ns", namespace);
    }

    static Map<String, String> originalPodLabels(NamespacedName pod) {
        return Map.of("pod", pod.name());
    }

    /** A subnet of the candidates that overlaps none of the networks there are; null when none is free. */
    static String freeSubnet(List<Network> networks) {
        for (int third = 0; third < 256; third += 4) {
            Cidr candidate = Cidr.parse("10.240." + third + ".0/22");
            boolean free = networks.stream().flatMap(n -> n.spec().cidrs().stream()).noneMatch(candidate::overlaps);
            if (free) {
                return candidate.toString();
            }
        }
        return null;
    }

    private void ensureNetwork() {
        if (registry.get(ResourceKind.NETWORK, null, NETWORK).isPresent()) {
            return; // a network of that name is there (made by hand for the run): used, and left
        }
        List<Network> networks = registry.<Network>list(ResourceKind.NETWORK, null, null).items();
        String subnet = freeSubnet(networks);
        if (subnet == null) {
            throw new ConformanceSetupException("no /22 in 10.240.0.0/16 is free of the lab's networks for network "
                    + NETWORK + "; create a network named " + NETWORK + " yourself, the run then uses it");
        }
        registry.create(Network.of(ObjectMeta.named(NETWORK), NetworkSpec.of(subnet)));
        madeNetwork = true;
    }

    /**
     * Sets the labels back, deleting keys a case added (a merge patch with null values); the server's own
     * {@code kubernetes.io/metadata.name} on a namespace stays. Writes nothing when they are as they were.
     */
    private void restoreLabels(ResourceKind kind, String namespace, String name, Map<String, String> original) {
        Resource current = registry.get(kind, namespace, name).orElseThrow(() -> new ConformanceSetupException(
                ApiException.describe(kind, namespace, name) + " is gone; something outside the run deleted it"));
        Map<String, String> wanted = new TreeMap<>(original);
        if (kind == ResourceKind.NAMESPACE) {
            wanted.put(Namespace.NAME_LABEL, name);
        }
        Map<String, String> labels = current.metadata().labels() == null ? Map.of() : current.metadata().labels();
        if (labels.equals(wanted)) {
            return;
        }
        ObjectNode patchLabels = NODES.objectNode();
        labels.keySet().stream().filter(k -> !wanted.containsKey(k)).forEach(patchLabels::putNull);
        wanted.forEach(patchLabels::put);
        registry.patch(kind, namespace, name, metadataLabels(patchLabels));
    }

    private static JsonNode labelPatch(Map<String, String> labels) {
        ObjectNode patchLabels = NODES.objectNode();
        labels.forEach(patchLabels::put);
        return metadataLabels(patchLabels);
    }

    private static JsonNode metadataLabels(ObjectNode labels) {
        ObjectNode patch = NODES.objectNode();
        patch.putObject("metadata").set("labels", labels);
        return patch;
    }

    private void deleteIfPresent(ResourceKind kind, String namespace, String name) {
        try {
            registry.delete(kind, namespace, name, null);
        } catch (ApiException e) {
            if (e.reason() != Reason.NOT_FOUND) {
                throw e;
            }
        }
    }

    private static void call(String what, Runnable write) {
        call(what, () -> {
            write.run();
            return null;
        });
    }

    private static <T> T call(String what, Supplier<T> write) {
        try {
            return write.get();
        } catch (ApiException e) {
            throw new ConformanceSetupException("cannot " + what + ": " + describe(e), e);
        }
    }

    private static void attempt(List<String> problems, String what, Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            problems.add("cannot " + what + ": " + (e instanceof ApiException api ? describe(api) : e.getMessage()));
        }
    }

    /** The server's message and the fields it names. */
    static String describe(ApiException e) {
        if (e.causes().isEmpty()) {
            return e.getMessage();
        }
        return e.getMessage() + " (" + String.join("; ", e.causes().stream()
                .map(c -> c.field() == null || c.field().isEmpty() ? c.message() : c.field() + ": " + c.message())
                .toList()) + ")";
    }
}
