package io.drover.agent.cni;

import io.drover.api.ApiException;
import io.drover.api.ResourceRegistry;
import io.drover.cni.CniError;
import io.drover.cni.CniRequest;
import io.drover.cni.CniRequest.PodRef;
import io.drover.model.ResourceKind;
import io.drover.model.meta.LabelSelector;
import io.drover.model.meta.ObjectMeta;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodPort;
import io.drover.model.pod.PodSpec;
import io.drover.model.tenant.Namespace;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The pods that stand for CNI attachments, in the registry: which pod an attachment is (or would be), making it,
 * and finding it again.
 *
 * <p>Names: an attachment's pod is named by {@link CniRequest#pod()} (CNI_ARGS K8S_POD_NAMESPACE and K8S_POD_NAME,
 * else the container id). A container attached to a second network (another CNI_IFNAME) cannot share that pod,
 * whose networks are immutable: its second pod is named {@code <name>-<ifname>}. The names are deterministic, so a
 * retried ADD and the DEL find the pod with one read; a DEL whose CNI_ARGS differ from the ADD's finds it by label.
 */
final class CniPods {

    /** What the name an ADD asks for holds now. */
    sealed interface Claim permits Ours, Free {}

    /** The attachment already has its pod (a retried ADD). */
    record Ours(Pod pod) implements Claim {}

    /**
     * No pod has the name (any more): the attachment's pod is to be made there; {@code primary} when it is the
     * container's first attachment (see {@link CniAttachment#primary()}). {@code replaced} is the stale pod deleted to
     * make room, whose interface must be gone before the new one is made; null when there was none.
     */
    record Free(String namespace, String name, boolean primary, Pod replaced) implements Claim {}

    private static final int MAX_NAME = 63;

    private final ResourceRegistry registry;
    private final String nodeName;
    private final Predicate<String> netnsExists;
    /** Namespaces seen to exist: an ADD into a known one costs no extra read. */
    private final Set<String> knownNamespaces = ConcurrentHashMap.newKeySet();

    CniPods(ResourceRegistry registry, String nodeName, Predicate<String> netnsExists) {
        this.registry = registry;
        this.nodeName = nodeName;
        this.netnsExists = netnsExists;
    }

    /**
     * Where the attachment's pod is or goes. A pod of another container holding the name is replaced when it was
     * made through CNI on this node and its namespace is gone (its container died without a DEL, as after a reboot).
     *
     * @throws CniError code 4 when the name belongs to another live container or to a pod not made through CNI
     */
    Claim claim(CniRequest request) throws CniError {
        PodRef ref = request.pod();
        List<String> names = names(ref, request.ifName());
        for (String name : names) {
            boolean primary = name.equals(names.getFirst());
            Optional<Pod> holder = get(ref.namespace(), name);
            if (holder.isEmpty()) {
                return new Free(ref.namespace(), name, primary, null);
            }
            Pod pod = holder.get();
            Optional<CniAttachment> attachment = CniAttachment.of(pod);
            if (attachment.isPresent() && attachment.get().is(request.containerId(), request.ifName())) {
                if (pod.spec().networks().equals(List.of(request.config().network()))
                        && nodeName.equals(pod.spec().node())) {
                    return new Ours(pod);
                }
                // The same attachment, now asked for on another network (or node): its networks cannot change.
                delete(pod);
                return new Free(ref.namespace(), name, primary, pod);
            }
            if (attachment.isPresent() && attachment.get().containerId().equals(request.containerId())) {
                continue; // the container's pod on another network: this attachment takes the next name
            }
            if (attachment.isPresent() && isStale(pod, attachment.get())) {
                delete(pod);
                return new Free(ref.namespace(), name, primary, pod);
            }
            throw taken(request, pod, attachment);
        }
        throw new CniError(CniError.INVALID_ENVIRONMENT, "container " + request.containerId()
                + " already has a pod for interface " + request.ifName(),
                "the names " + names(ref, request.ifName()) + " in namespace " + ref.namespace()
                        + " are taken; DEL the attachment first");
    }

    /** Makes the attachment's pod: on this node, on one network, publishing the runtime's port mappings. */
    Pod create(Free where, CniAttachment request, String network, List<PodPort> ports) throws CniError {
        ensureNamespace(where.namespace());
        CniAttachment attachment = request.withPrimary(where.primary());
        ObjectMeta meta = new ObjectMeta(where.name(), where.namespace(),
                Map.of(CniAttachment.LABEL, attachment.labelValue()), attachment.annotations(), null, null, null);
        Pod pod = Pod.of(meta, new PodSpec(nodeName, null, List.of(network), ports, List.of()));
        try {
            return registry.create(pod);
        } catch (ApiException e) {
            if (e.reason() == ApiException.Reason.NOT_FOUND) {
                // The namespace was deleted since it was last seen: make it again, once.
                knownNamespaces.remove(where.namespace());
                ensureNamespace(where.namespace());
                try {
                    return registry.create(pod);
                } catch (ApiException again) {
                    throw RegistryErrors.toCni(again, "create pod " + key(where));
                }
            }
            if (e.reason() == ApiException.Reason.ALREADY_EXISTS) {
                throw new CniError(CniError.INVALID_ENVIRONMENT, "pod " + key(where) + " already exists",
                        "another container's ADD created it at the same moment; give each container its own pod name"
                                + " (CNI_ARGS K8S_POD_NAME)");
            }
            throw RegistryErrors.toCni(e, "create pod " + key(where));
        }
    }

    /**
     * The pod of a retried ADD, updated to what the retry asks for: the runtime may pass another namespace path or
     * other port mappings than the first, failed, attempt. Both can change without a new address.
     */
    Pod refresh(Pod pod, CniAttachment request, List<PodPort> ports) throws CniError {
        CniAttachment attachment = request.withPrimary(CniAttachment.of(pod).map(CniAttachment::primary).orElse(true));
        if (attachment.annotations().equals(pick(pod.metadata().annotations(), attachment.annotations().keySet()))
                && pod.spec().ports().equals(ports)) {
            return pod;
        }
        Map<String, String> annotations = new HashMap<>(pod.metadata().annotations());
        annotations.putAll(attachment.annotations());
        ObjectMeta m = pod.metadata();
        ObjectMeta meta = new ObjectMeta(m.name(), m.namespace(), m.labels(), annotations, m.uid(), m.resourceVersion(),
                m.creationTimestamp());
        PodSpec s = pod.spec();
        try {
            return registry.replace(Pod.of(meta, s.withPorts(ports))
                    .withStatus(pod.status()));
        } catch (ApiException e) {
            throw RegistryErrors.toCni(e, "update pod " + key(pod));
        }
    }

    /** The pod of (container id, interface name) on this node, if there is one. */
    Optional<Pod> find(CniRequest request) throws CniError {
        PodRef ref = request.pod();
        for (String name : names(ref, request.ifName())) {
            Optional<Pod> pod = get(ref.namespace(), name);
            if (pod.isPresent() && ours(pod.get(), request.containerId(), request.ifName())) {
                return pod;
            }
        }
        // Not where its name says: a DEL may carry other CNI_ARGS than the ADD did.
        LabelSelector selector = LabelSelector.matching(
                Map.of(CniAttachment.LABEL, CniAttachment.labelValue(request.containerId(), request.ifName())));
        try {
            return registry.<Pod>list(ResourceKind.POD, null, selector).items().stream()
                    .filter(p -> ours(p, request.containerId(), request.ifName()))
                    .findFirst();
        } catch (ApiException e) {
            throw RegistryErrors.toCni(e, "look up the pod of container " + request.containerId());
        }
    }

    /** Every pod made through CNI on this node for {@code network}. */
    List<Pod> onNetwork(String network) throws CniError {
        LabelSelector selector = LabelSelector.parse(CniAttachment.LABEL);
        try {
            List<Pod> out = new ArrayList<>();
            for (Pod p : registry.<Pod>list(ResourceKind.POD, null, selector).items()) {
                if (nodeName.equals(p.spec().node()) && p.spec().networks().equals(List.of(network))
                        && CniAttachment.of(p).isPresent()) {
                    out.add(p);
                }
            }
            return out;
        } catch (ApiException e) {
            throw RegistryErrors.toCni(e, "list the pods of network " + network);
        }
    }

    /** Deletes the pod (its addresses go back to IPAM); true when it was there to delete. */
    boolean delete(Pod pod) throws CniError {
        try {
            Optional<Pod> current = get(pod.namespace(), pod.name());
            if (current.isEmpty() || !Objects.equals(current.get().metadata().uid(), pod.metadata().uid())) {
                return false; // gone already, or a new pod of the same name: not ours to delete
            }
            registry.delete(ResourceKind.POD, pod.namespace(), pod.name(), null);
            return true;
        } catch (ApiException e) {
            if (e.reason() == ApiException.Reason.NOT_FOUND) {
                return false;
            }
            throw RegistryErrors.toCni(e, "delete pod " + key(pod));
        }
    }

    Optional<Pod> get(String namespace, String name) throws CniError {
        try {
            return registry.get(Pod.class, namespace, name);
        } catch (ApiException e) {
            throw RegistryErrors.toCni(e, "read pod " + namespace + "/" + name);
        }
    }

    private boolean ours(Pod pod, String containerId, String ifName) {
        return nodeName.equals(pod.spec().node())
                && CniAttachment.of(pod).map(a -> a.is(containerId, ifName)).orElse(false);
    }

    /** A pod of this node whose container's namespace no longer exists: nothing can use it any more. */
    private boolean isStale(Pod pod, CniAttachment attachment) {
        return nodeName.equals(pod.spec().node()) && !attachment.netns().isEmpty()
                && !netnsExists.test(attachment.netns());
    }

    private void ensureNamespace(String namespace) throws CniError {
        if (knownNamespaces.contains(namespace)) {
            return;
        }
        try {
            if (registry.get(ResourceKind.NAMESPACE, null, namespace).isEmpty()) {
                registry.create(Namespace.of(ObjectMeta.named(namespace), new Namespace.NamespaceSpec(null)));
            }
        } catch (ApiException e) {
            if (e.reason() != ApiException.Reason.ALREADY_EXISTS) {
                throw RegistryErrors.toCni(e, "create namespace " + namespace);
            }
        }
        knownNamespaces.add(namespace);
    }

    private static CniError taken(CniRequest request, Pod pod, Optional<CniAttachment> attachment) {
        String source = request.pod().fromArgs() ? "CNI_ARGS K8S_POD_NAMESPACE/K8S_POD_NAME" : "CNI_CONTAINERID";
        String holder = attachment
                .map(a -> "container " + a.containerId() + " (namespace " + a.netns() + ", node " + pod.spec().node() + ")")
                .orElse("a pod not made through CNI");
        return new CniError(CniError.INVALID_ENVIRONMENT, "pod " + key(pod) + " already exists",
                source + " names pod " + key(pod) + ", which belongs to " + holder
                        + "; DEL that attachment first, or give this container another pod name");
    }

    /** The attachment's name, then its name as a container's further attachment. */
    static List<String> names(PodRef ref, String ifName) {
        String suffix = "-" + ifName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        String base = ref.name();
        String second = (base.length() + suffix.length() > MAX_NAME ? base.substring(0, MAX_NAME - suffix.length()) : base)
                + suffix;
        return List.of(base, second.replaceAll("-+$", ""));
    }

    private static Map<String, String> pick(Map<String, String> map, Set<String> keys) {
        Map<String, String> out = new HashMap<>();
        keys.forEach(k -> {
            if (map.containsKey(k)) {
                out.put(k, map.get(k));
            }
        });
        return out;
    }

    static String key(Pod pod) {
        return pod.namespace() + "/" + pod.name();
    }

    private static String key(Free where) {
        return where.namespace() + "/" + where.name();
    }
}
