package io.drover.api.registry;

import io.drover.api.ApiException;
import io.drover.api.ApiException.Cause;
import io.drover.api.ApiException.Reason;
import io.drover.model.Resource;
import io.drover.model.ResourceKind;
import io.drover.model.firewall.FirewallPolicy;
import io.drover.model.firewall.FirewallSettings;
import io.drover.model.firewall.SecurityGroup;
import io.drover.model.ipam.Block;
import io.drover.model.meta.ObjectMeta;
import io.drover.model.network.Network;
import io.drover.model.node.Node;
import io.drover.model.pod.Pod;
import io.drover.model.policy.NetworkPolicy;
import io.drover.model.service.Service;
import io.drover.model.service.ServiceEndpoints;
import io.drover.model.service.ServiceNetworkOptions;
import io.drover.model.tenant.Namespace;
import io.drover.model.tenant.Tenant;
import io.drover.model.validation.FieldError;
import io.drover.model.validation.NetworkOverlap;
import io.drover.model.validation.Validators;
import io.drover.store.Compare;
import io.drover.store.KeyValue;
import io.drover.store.KeyValueStore;
import io.drover.store.Op;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the registry checks beyond a single object's own fields: references to other objects, immutable
 * fields, and objects that may not be deleted while others still use them. Every reference becomes a
 * {@link Guard} evaluated inside the write's transaction, so a concurrent delete cannot slip in between the
 * check and the write.
 */
final class AdmissionRules {

    private final KeyValueStore store;
    private final FirewallAdmission firewall;
    private final ServiceAdmission services;

    AdmissionRules(KeyValueStore store, ServiceNetworkOptions serviceNetwork) {
        this.store = store;
        this.firewall = new FirewallAdmission(store);
        this.services = new ServiceAdmission(store, serviceNetwork);
    }

    ServiceNetworkOptions serviceNetwork() {
        return services.options();
    }

    /**
     * What the server gives an object when it writes it (a service's addresses and ports), with the guards that take
     * and release them in the write's transaction; computed again on every attempt, as allocations can be lost to
     * another writer in between.
     *
     * @param stored the object before this write; null for a create
     */
    Allocation allocate(Resource candidate, Resource stored) {
        if (candidate instanceof Service service) {
            return services.allocate(service, stored instanceof Service old ? old : null);
        }
        return Allocation.nothing(candidate);
    }

    /** The guards of deleting {@code stored}: what it holds is let go in the same transaction. */
    List<Guard> releasesOnDelete(Resource stored) {
        return stored instanceof Service service ? services.releasesOnDelete(service) : List.of();
    }

    /** Field rules of the object itself; throws Invalid naming every broken field. */
    void validate(Resource resource) {
        List<FieldError> errors = Validators.validate(resource);
        if (!errors.isEmpty()) {
            throw Problems.invalid(resource, errors.stream().map(e -> new Cause(e.field(), e.message())).toList());
        }
    }

    /** Fills in what the server defaults: the namespace-name label Kubernetes selectors rely on. */
    Resource applyDefaults(Resource resource) {
        if (resource instanceof Namespace ns) {
            Map<String, String> labels = new HashMap<>(ns.metadata().labels());
            labels.put(Namespace.NAME_LABEL, ns.name());
            return ns.withMetadata(ns.metadata().withLabels(labels));
        }
        return resource;
    }

    /** The guards of a create or replace of {@code resource}. */
    List<Guard> guardsForWrite(Resource resource) {
        List<Guard> guards = new ArrayList<>();
        ResourceKind kind = resource.resourceKind();
        if (kind.namespaced()) {
            String ns = resource.namespace();
            guards.add(Guard.references(Compare.present(RegistryKeys.key(ResourceKind.NAMESPACE, null, ns)),
                    RegistryKeys.references(ResourceKind.NAMESPACE, ns),
                    () -> new ApiException(Reason.NOT_FOUND, "namespace \"" + ns + "\" not found; create it first "
                            + "(kind: Namespace, metadata.name: " + ns + ") or choose another namespace")));
        }
        switch (resource) {
            case Namespace ns -> {
                String tenant = ns.spec().tenantOrDefault();
                guards.add(Guard.references(Compare.present(RegistryKeys.key(ResourceKind.TENANT, null, tenant)),
                        RegistryKeys.references(ResourceKind.TENANT, tenant),
                        () -> Problems.invalid(ns, "spec.tenant", "tenant \"" + tenant + "\" does not exist; create it first")));
            }
            case Pod pod -> {
                List<String> networks = pod.spec().networks();
                for (int i = 0; i < networks.size(); i++) {
                    String network = networks.get(i);
                    String field = "spec.networks[" + i + "]";
                    guards.add(Guard.references(Compare.present(RegistryKeys.key(ResourceKind.NETWORK, null, network)),
                            RegistryKeys.references(ResourceKind.NETWORK, network),
                            () -> Problems.invalid(pod, field, "network \"" + network
                                    + "\" does not exist; create it first, or pick one listed by 'drover get networks'")));
                }
            }
            case Network network -> guards.add(networkOverlapGuard(network));
            case Tenant t -> { }
            case Node n -> { }
            // Its namespace is guarded above, as a pod's; the pods and namespaces it selects need not exist (yet).
            case NetworkPolicy np -> { }
            // Cluster-scoped; the groups they name must exist, the namespaces they name or select need not (yet).
            case SecurityGroup g -> guards.addAll(firewall.guardsForWrite(g));
            case FirewallPolicy fp -> guards.addAll(firewall.guardsForWrite(fp));
            case FirewallSettings fs -> { }
            // Its namespace is guarded above; the pods it selects need not exist (yet). Allocation is allocate()'s.
            case Service s -> { }
            // Written by the endpoints controller, or by hand for a service without a selector; the service may come later.
            case ServiceEndpoints e -> { }
            case Block b -> throw managedByIpam(b);
        }
        return guards;
    }

    /**
     * Checks the new network against every other network, then guards the write with the networks sentinel:
     * two overlapping networks created at the same moment cannot both pass.
     */
    private Guard networkOverlapGuard(Network candidate) {
        long sentinelRevision = store.get(RegistryKeys.NETWORKS_GUARD).map(KeyValue::modRevision).orElse(0L);
        List<Network> others = store.range(RegistryKeys.prefix(ResourceKind.NETWORK, null)).kvs().stream()
                .map(kv -> io.drover.model.codec.ResourceCodec.<Network>fromJson(kv.value(), ResourceKind.NETWORK))
                .toList();
        Optional<NetworkOverlap.Overlap> overlap = NetworkOverlap.find(candidate, others);
        if (overlap.isPresent()) {
            NetworkOverlap.Overlap o = overlap.get();
            throw Problems.invalid(candidate, o.field(), o.message());
        }
        return Guard.sentinel(Compare.modRevisionIs(RegistryKeys.NETWORKS_GUARD, sentinelRevision),
                Op.put(RegistryKeys.NETWORKS_GUARD, Long.toString(System.nanoTime()).getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Fields that cannot change once set, because addresses and interfaces were derived from them; and the uid
     * the caller sent ({@code sentUid}, null when none), which must be the stored object's.
     */
    void checkImmutable(Resource stored, Resource updated, String sentUid) {
        List<Cause> causes = new ArrayList<>();
        switch (updated) {
            case Network n when stored instanceof Network old -> {
                if (!old.spec().cidrs().equals(n.spec().cidrs())) {
                    causes.add(new Cause("spec.subnets", "field is immutable (addresses were allocated from it); "
                            + "create a new network instead"));
                }
                if (old.spec().blockSize(io.drover.model.net.IpFamily.IPV4) != n.spec().blockSize(io.drover.model.net.IpFamily.IPV4)
                        || old.spec().blockSize(io.drover.model.net.IpFamily.IPV6) != n.spec().blockSize(io.drover.model.net.IpFamily.IPV6)) {
                    causes.add(new Cause("spec.ipv4BlockSize", "block sizes are immutable (blocks were carved with them)"));
                }
            }
            case Pod p when stored instanceof Pod old -> {
                if (old.spec().node() != null && !old.spec().node().equals(p.spec().node())) {
                    causes.add(new Cause("spec.node", "field is immutable once set (it was \"" + old.spec().node()
                            + "\"); delete the pod and create it on the other node"));
                }
                if (!old.spec().networks().equals(p.spec().networks())) {
                    causes.add(new Cause("spec.networks", "field is immutable; delete the pod and create it again"));
                }
                if (!old.spec().effectiveNetworkMode().equals(p.spec().effectiveNetworkMode())) {
                    causes.add(new Cause("spec.networkMode", "field is immutable; delete the pod and create it again"));
                }
            }
            case Namespace ns when stored instanceof Namespace old -> {
                if (!old.spec().tenantOrDefault().equals(ns.spec().tenantOrDefault())) {
                    causes.add(new Cause("spec.tenant", "field is immutable: a namespace cannot move to another tenant"));
                }
            }
            default -> { }
        }
        String storedUid = stored.metadata().uid();
        if (sentUid != null && !Objects.equals(storedUid, sentUid)) {
            causes.add(new Cause("metadata.uid", "does not match the stored object (" + storedUid
                    + "): it was deleted and created again since you read it"));
        }
        if (!causes.isEmpty()) {
            throw Problems.invalid(updated, causes);
        }
    }

    /**
     * The guard of deleting {@code kind/name} when other objects can reference it: read before
     * {@link #checkDeletable} looks for users, it fails the delete when a user was written since. Empty for kinds
     * nothing references.
     */
    Optional<Guard> deletionGuard(ResourceKind kind, String name) {
        if (kind != ResourceKind.NAMESPACE && kind != ResourceKind.NETWORK && kind != ResourceKind.TENANT
                && kind != ResourceKind.SECURITY_GROUP) {
            return Optional.empty();
        }
        String key = RegistryKeys.references(kind, name);
        long revision = store.get(key).map(KeyValue::modRevision).orElse(0L);
        return Optional.of(new Guard(Compare.modRevisionIs(key, revision), List.of(Op.delete(key)), () -> null, true));
    }

    /** Refuses deleting what others still use; the message says what to delete first. */
    void checkDeletable(Resource stored) {
        switch (stored) {
            case Namespace ns -> {
                if (Namespace.DEFAULT.equals(ns.name())) {
                    throw new ApiException(Reason.CONFLICT, "namespace \"default\" cannot be deleted: it always exists");
                }
                // A policy left behind would apply again, unseen, to the pods of a namespace created with the same name.
                List<String> held = new ArrayList<>();
                List<String> pods = names(ResourceKind.POD, ns.name(), r -> true);
                if (!pods.isEmpty()) {
                    held.add(pods.size() + " pod(s) (" + sample(pods) + ")");
                }
                List<String> policies = names(ResourceKind.NETWORK_POLICY, ns.name(), r -> true);
                if (!policies.isEmpty()) {
                    held.add(policies.size() + (policies.size() == 1 ? " network policy (" : " network policies (")
                            + sample(policies) + ")");
                }
                if (!held.isEmpty()) {
                    throw new ApiException(Reason.CONFLICT, "namespace \"" + ns.name() + "\" still holds "
                            + String.join(" and ", held) + "; delete them first");
                }
            }
            case Tenant t -> {
                if (Tenant.DEFAULT.equals(t.name())) {
                    throw new ApiException(Reason.CONFLICT, "tenant \"default\" cannot be deleted: it always exists");
                }
                List<String> namespaces = names(ResourceKind.NAMESPACE, null,
                        r -> ((Namespace) r).spec().tenantOrDefault().equals(t.name()));
                if (!namespaces.isEmpty()) {
                    throw new ApiException(Reason.CONFLICT, "tenant \"" + t.name() + "\" still owns namespace(s) "
                            + sample(namespaces) + "; delete them first");
                }
            }
            case Network n -> {
                List<String> pods = names(ResourceKind.POD, null, r -> ((Pod) r).spec().networks().contains(n.name()));
                if (!pods.isEmpty()) {
                    throw new ApiException(Reason.CONFLICT, "network \"" + n.name() + "\" is still joined by " + pods.size()
                            + " pod(s) (" + sample(pods) + "); delete them first");
                }
            }
            case SecurityGroup g -> firewall.checkDeletable(g);
            case Block b -> throw managedByIpam(b);
            default -> { }
        }
    }

    /** Blocks are IPAM's record of which node owns which addresses: a hand-made one would route pods astray. */
    private static ApiException managedByIpam(Block block) {
        return new ApiException(Reason.METHOD_NOT_ALLOWED, "block \"" + block.name() + "\" is managed by IPAM, which"
                + " claims a block for a node when the node's first pod needs an address and writes it here; it cannot"
                + " be written or deleted through the API");
    }

    private List<String> names(ResourceKind kind, String namespace, java.util.function.Predicate<Resource> filter) {
        return store.range(RegistryKeys.prefix(kind, namespace)).kvs().stream()
                .map(kv -> (Resource) io.drover.model.codec.ResourceCodec.fromJson(kv.value(), kind))
                .filter(filter)
                .map(r -> r.namespace() == null ? r.name() : r.namespace() + "/" + r.name())
                .toList();
    }

    private static String sample(List<String> names) {
        return names.size() <= 5 ? String.join(", ", names) : String.join(", ", names.subList(0, 5)) + ", ...";
    }

    static ObjectMeta requireMetadata(Resource resource) {
        if (resource.metadata() == null || resource.metadata().name() == null || resource.metadata().name().isEmpty()) {
            throw Problems.invalid(resource, "metadata.name", "is required");
        }
        return resource.metadata();
    }
}
