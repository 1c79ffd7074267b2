package io.drover.policy.conformance;

import io.drover.model.meta.ObjectMeta;
import io.drover.model.net.IpAddresses;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodPort;
import io.drover.model.pod.PodSpec;
import io.drover.model.pod.PodStatus;
import io.drover.model.pod.PodStatus.PodAddress;
import io.drover.model.policy.NetworkPolicy;
import io.drover.model.tenant.Namespace;
import io.drover.policy.NamespacedName;
import io.drover.policy.PolicySnapshot;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The cluster every NetworkPolicy conformance case runs on (upstream's and cyclonus' shared model): namespaces
 * x, y and z labelled {@code ns: <name>} and {@code kubernetes.io/metadata.name: <name>}; pods a, b and c in each,
 * labelled {@code pod: <name>}, each serving TCP, UDP and SCTP on ports 80 and 81 under the names
 * {@code serve-<port>-<protocol>}. Immutable; the label actions of a case give a new model.
 */
public record ConformanceModel(List<Namespace> namespaces, List<Pod> pods) {

    public static final List<String> NAMESPACES = List.of("x", "y", "z");
    public static final List<String> POD_NAMES = List.of("a", "b", "c");
    public static final List<String> PROTOCOLS = List.of("TCP", "UDP", "SCTP");
    public static final List<Integer> PORTS = List.of(80, 81);
    /** The network the pods are addressed on, as their status names it. */
    public static final String NETWORK = "netpol";

    public ConformanceModel {
        namespaces = List.copyOf(namespaces);
        pods = List.copyOf(pods);
    }

    /** x/a, x/b, x/c, y/a, ... z/c: the order of the matrices' rows and columns. */
    public static List<NamespacedName> podNames() {
        return NAMESPACES.stream()
                .flatMap(namespace -> POD_NAMES.stream().map(pod -> new NamespacedName(namespace, pod)))
                .toList();
    }

    /** The ports every pod serves: serve-80-tcp, serve-80-udp, serve-80-sctp, serve-81-tcp, ... */
    public static List<PodPort> servedPorts() {
        List<PodPort> ports = new ArrayList<>();
        for (int port : PORTS) {
            for (String protocol : PROTOCOLS) {
                ports.add(new PodPort("serve-" + port + "-" + protocol.toLowerCase(Locale.ROOT), port, protocol, null, null));
            }
        }
        return List.copyOf(ports);
    }

    /**
     * The model with these pod addresses, as a lab assigns them.
     *
     * @throws IllegalArgumentException when a pod of the model has no address
     */
    public static ConformanceModel withAddresses(Map<NamespacedName, InetAddress> addresses) {
        List<Namespace> namespaces = NAMESPACES.stream()
                .map(name -> Namespace.of(ObjectMeta.named(name).withLabels(Map.of("ns", name, Namespace.NAME_LABEL, name)), null))
                .toList();
        List<Pod> pods = new ArrayList<>();
        for (NamespacedName name : podNames()) {
            InetAddress address = addresses.get(name);
            if (address == null) {
                throw new IllegalArgumentException("no address for pod " + name + "; the model needs one for each of " + podNames());
            }
            ObjectMeta meta = ObjectMeta.named(name.namespace(), name.name()).withLabels(Map.of("pod", name.name()));
            PodSpec spec = new PodSpec(null, null, List.of(NETWORK), servedPorts(), List.of());
            PodAddress podAddress = new PodAddress(NETWORK, PodSpec.interfaceName(0), IpAddresses.format(address), null, null);
            pods.add(Pod.of(meta, spec).withStatus(new PodStatus(PodStatus.ALLOCATED, List.of(podAddress), null)));
        }
        return new ConformanceModel(namespaces, pods);
    }

    /** The model with made-up addresses: 10.0.N.M for the M-th pod of the N-th namespace (x/a = 10.0.1.1). */
    public static ConformanceModel synthetic() {
        Map<NamespacedName, InetAddress> addresses = new HashMap<>();
        for (int n = 0; n < NAMESPACES.size(); n++) {
            for (int m = 0; m < POD_NAMES.size(); m++) {
                addresses.put(new NamespacedName(NAMESPACES.get(n), POD_NAMES.get(m)),
                        IpAddresses.parse("10.0." + (n + 1) + "." + (m + 1)));
            }
        }
        return withAddresses(addresses);
    }

    /** @throws IllegalArgumentException when the model has no such pod */
    public Pod pod(NamespacedName name) {
        return pods.stream().filter(p -> NamespacedName.of(p).equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the model has no pod " + name + "; its pods are " + podNames()));
    }

    /** The pod's (first) address. */
    public InetAddress address(NamespacedName name) {
        return IpAddresses.parse(pod(name).status().addresses().getFirst().ip());
    }

    /** The model with labels added to (or changed on) a namespace. */
    public ConformanceModel withNamespaceLabels(String namespace, Map<String, String> labels) {
        if (!NAMESPACES.contains(namespace)) {
            throw new IllegalArgumentException("the model has no namespace " + namespace + "; its namespaces are " + NAMESPACES);
        }
        return new ConformanceModel(namespaces.stream()
                .map(ns -> ns.name().equals(namespace) ? ns.withMetadata(ns.metadata().withLabels(merged(ns.metadata().labels(), labels))) : ns)
                .toList(), pods);
    }

    /** The model with labels added to (or changed on) a pod. */
    public ConformanceModel withPodLabels(NamespacedName pod, Map<String, String> labels) {
        pod(pod);
        return new ConformanceModel(namespaces, pods.stream()
                .map(p -> NamespacedName.of(p).equals(pod) ? p.withMetadata(p.metadata().withLabels(merged(p.metadata().labels(), labels))) : p)
                .toList());
    }

    public PolicySnapshot snapshot(Collection<NetworkPolicy> policies) {
        return PolicySnapshot.of(namespaces, pods, policies);
    }

    private static Map<String, String> merged(Map<String, String> labels, Map<String, String> added) {
        Map<String, String> all = new HashMap<>(labels);
        all.putAll(added);
        return all;
    }
}
