package io.drover.api.registry;

import io.drover.api.ApiException;
import io.drover.api.ApiException.Reason;
import io.drover.api.ResourceEvent;
import io.drover.api.ResourceList;
import io.drover.api.ResourceRegistry;
import io.drover.api.ResourceWatcher;
import io.drover.model.Resource;
import io.drover.model.ResourceKind;
import io.drover.model.firewall.FirewallPolicy;
import io.drover.model.firewall.FirewallSettings;
import io.drover.model.firewall.SecurityGroup;
import io.drover.model.ipam.Block;
import io.drover.model.codec.ResourceCodec;
import io.drover.model.meta.LabelSelector;
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
import io.drover.store.Compare;
import io.drover.store.KeyValue;
import io.drover.store.KeyValueStore;
import io.drover.store.Op;
import io.drover.store.StoreException;
import io.drover.store.Txn;
import io.drover.store.TxnResult;
import io.drover.store.Watch;
import io.drover.store.WatchEvent;
import io.drover.store.WatchListener;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The registry on a {@link KeyValueStore}. Objects are stored as JSON without their resourceVersion, which is
 * always the key's mod revision, so it can never disagree with the store. Each write is one transaction whose
 * compares carry both the caller's optimistic-concurrency check and the {@link Guard}s of the references.
 */
public final class StoreResourceRegistry implements ResourceRegistry {

    /** Writes whose sentinel moved are recomputed; beyond this, someone is hammering the same object. */
    private static final int MAX_ATTEMPTS = 16;
    /** Objects kept decoded (see {@link DecodedResources}): the working set of a large node's agent and controllers. */
    private static final int DECODED_CAPACITY = 8192;

    private static final Logger log = LoggerFactory.getLogger(StoreResourceRegistry.class);

    private final KeyValueStore store;
    private final DecodedResources decoded = new DecodedResources(DECODED_CAPACITY);
    private final AdmissionRules rules;
    private final Clock clock;
    /** Addresses pods at create; null: pods are stored without status, for the IPAM controller to address. */
    private final PodAddressing addressing;

    public StoreResourceRegistry(KeyValueStore store) {
        this(store, Clock.systemUTC());
    }

    public StoreResourceRegistry(KeyValueStore store, Clock clock) {
        this(store, clock, ServiceNetworkOptions.DEFAULTS);
    }

    /** A registry whose services get their addresses and ports from {@code serviceNetwork}. */
    public StoreResourceRegistry(KeyValueStore store, ServiceNetworkOptions serviceNetwork) {
        this(store, Clock.systemUTC(), serviceNetwork);
    }

    public StoreResourceRegistry(KeyValueStore store, Clock clock, ServiceNetworkOptions serviceNetwork) {
        this(store, new AdmissionRules(store, serviceNetwork), clock, null);
    }

    private StoreResourceRegistry(KeyValueStore store, AdmissionRules rules, Clock clock, PodAddressing addressing) {
        this.store = store;
        this.rules = rules;
        this.clock = clock;
        this.addressing = addressing;
    }

    /**
     * This registry, on the same store, giving pods their addresses when they are created (see
     * {@link PodAddressing}). For the registry the API serves; the controllers' registry needs none, it creates no
     * pods.
     */
    public StoreResourceRegistry withPodAddressing(PodAddressing podAddressing) {
        return new StoreResourceRegistry(store, rules, clock, Objects.requireNonNull(podAddressing, "podAddressing"));
    }

    /** Where services get their cluster IPs, node ports and load balancer addresses. */
    public ServiceNetworkOptions serviceNetwork() {
        return rules.serviceNetwork();
    }

    /** Creates the default tenant and the default namespace when they are missing. Idempotent. */
    public void ensureDefaults() {
        for (Resource r : List.<Resource>of(
                Tenant.of(ObjectMeta.named(Tenant.DEFAULT), new Tenant.TenantSpec("The tenant every namespace belongs to unless it names another")),
                Namespace.of(ObjectMeta.named(Namespace.DEFAULT), new Namespace.NamespaceSpec(Tenant.DEFAULT)))) {
            try {
                create(r);
            } catch (ApiException e) {
                if (e.reason() != Reason.ALREADY_EXISTS) {
                    throw e;
                }
            }
        }
    }

    @Override
    public <T extends Resource> T create(T resource) {
        return read(() -> createNow(resource));
    }

    private <T extends Resource> T createNow(T resource) {
        AdmissionRules.requireMetadata(resource);
        Resource r = rules.applyDefaults(normalizeNamespace(withoutStatus(resource)));
        rules.validate(r);
        ResourceKind kind = r.resourceKind();
        String key = RegistryKeys.key(kind, r.namespace(), r.name());
        String timestamp = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
        Resource toStore = r.withMetadata(r.metadata().withServerFields(UUID.randomUUID().toString(), null, timestamp));
        Optional<PodAddressing.Addressed> addressed = Optional.empty();
        boolean writeInDoubt = false;
        try {
            for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
                List<Guard> guards = new ArrayList<>(rules.guardsForWrite(toStore));
                Allocation allocation = rules.allocate(toStore, null);
                guards.addAll(allocation.guards());
                Resource allocated = allocation.resource();
                if (allocated instanceof Pod pod && addressing != null) {
                    // Asked on every attempt: what a lost hold (an allocation freed meanwhile) needs is allocated
                    // again, what is still held is answered as it is.
                    addressed = address(pod);
                    if (addressed.isPresent()) {
                        allocated = pod.withStatus(addressed.get().status());
                        addressed.get().holds().forEach(h -> guards.add(Guard.holds(h)));
                    }
                }
                Optional<KeyValue> written;
                writeInDoubt = true;
                try {
                    written = write(key, allocated, Compare.absent(key), guards);
                    writeInDoubt = false;
                } catch (ApiException e) {
                    // Only a store failure leaves it unknown whether the transaction was applied; a refused guard
                    // was decided by the store.
                    writeInDoubt = e.reason() == Reason.SERVICE_UNAVAILABLE;
                    throw e;
                }
                if (written.isPresent()) {
                    return cast(resource, withVersion(allocated, written.get().modRevision()));
                }
                if (store.get(key).isPresent()) {
                    throw Problems.alreadyExists(kind, r.namespace(), r.name());
                }
            }
            throw tooBusy(kind, r);
        } catch (RuntimeException e) {
            if (addressed.isPresent()) {
                releaseAddresses((Pod) toStore, writeInDoubt, e);
            }
            throw e;
        }
    }

    /**
     * The pod's addresses from the {@link PodAddressing}, or none when they cannot be had now: the create does not
     * fail for that, the pod is stored without status and the IPAM controller takes it from there as it does for
     * every pod (it retries, or marks the pod Failed with the reason).
     */
    private Optional<PodAddressing.Addressed> address(Pod pod) {
        try {
            return addressing.allocate(pod);
        } catch (RuntimeException e) {
            log.debug("pod {}/{}: stored without addresses, left to the IPAM controller: {}", pod.namespace(), pod.name(), e.toString());
            return Optional.empty();
        }
    }

    /** Gives back the addresses of a pod whose create failed, unless the pod may have been stored with them. */
    private void releaseAddresses(Pod pod, boolean writeInDoubt, RuntimeException failure) {
        if (writeInDoubt) {
            // The pod may be stored with these addresses: keeping them is safe; if it is not, the IPAM garbage
            // collector frees them, as no pod with this uid exists.
            log.debug("pod {}/{}: the create may not have been stored ({}); its addresses are kept for the garbage"
                    + " collector to judge", pod.namespace(), pod.name(), failure.getMessage());
            return;
        }
        try {
            addressing.release(pod);
        } catch (RuntimeException e) {
            log.debug("pod {}/{}: cannot give back the addresses of a failed create (the IPAM garbage collector will): {}",
                    pod.namespace(), pod.name(), e.toString());
        }
    }

    @Override
    public <T extends Resource> T replace(T resource) {
        return update(resource, false);
    }

    @Override
    public <T extends Resource> T replaceStatus(T resource) {
        if (resource.metadata() == null || resource.metadata().resourceVersion() == null) {
            throw Problems.invalid(resource, "metadata.resourceVersion", "is required for a status write");
        }
        return update(resource, true);
    }

    private <T extends Resource> T update(T resource, boolean statusOnly) {
        return read(() -> updateNow(resource, statusOnly));
    }

    private <T extends Resource> T updateNow(T resource, boolean statusOnly) {
        AdmissionRules.requireMetadata(resource);
        Resource r = normalizeNamespace(resource);
        ResourceKind kind = r.resourceKind();
        String key = RegistryKeys.key(kind, r.namespace(), r.name());
        String sentVersion = r.metadata().resourceVersion();
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            KeyValue current = store.get(key).orElseThrow(() -> ApiException.notFound(kind, r.namespace(), r.name()));
            if (sentVersion != null && !sentVersion.equals(Long.toString(current.modRevision()))) {
                throw Problems.conflict(kind, r.namespace(), r.name(), sentVersion, current.modRevision());
            }
            Resource stored = decode(current, kind);
            Resource merged = statusOnly ? withStatusOf(stored, r) : withStatusOf(mergeMetadata(stored, rules.applyDefaults(r)), stored);
            if (!statusOnly) {
                rules.validate(merged);
                rules.checkImmutable(stored, merged, r.metadata().uid());
            }
            List<Guard> guards = new ArrayList<>();
            if (!statusOnly) {
                guards.addAll(rules.guardsForWrite(merged));
                Allocation allocation = rules.allocate(merged, stored);
                guards.addAll(allocation.guards());
                merged = allocation.resource();
            }
            Optional<KeyValue> written = write(key, merged, Compare.modRevisionIs(key, current.modRevision()), guards);
            if (written.isPresent()) {
                return cast(resource, withVersion(merged, written.get().modRevision()));
            }
            // The object changed under us: with the caller's version that is a conflict, without one we retry.
            if (sentVersion != null) {
                long now = store.get(key).map(KeyValue::modRevision).orElse(0L);
                if (now == 0) {
                    throw ApiException.notFound(kind, r.namespace(), r.name());
                }
                if (now != current.modRevision()) {
                    throw Problems.conflict(kind, r.namespace(), r.name(), sentVersion, now);
                }
            }
        }
        throw tooBusy(kind, r);
    }

    @Override
    public Resource patch(ResourceKind kind, String namespace, String name, JsonNode mergePatch) {
        return read(() -> patchNow(kind, namespace, name, mergePatch));
    }

    private Resource patchNow(ResourceKind kind, String namespace, String name, JsonNode mergePatch) {
        String ns = kind.namespaced() ? (namespace == null ? Namespace.DEFAULT : namespace) : null;
        if (mergePatch == null || !mergePatch.isObject()) {
            throw ApiException.badRequest("a merge patch must be a JSON object, e.g. {\"metadata\":{\"labels\":{\"app\":\"web\"}}}");
        }
        String key = RegistryKeys.key(kind, ns, name);
        // A resourceVersion in the patch is a precondition, as in Kubernetes; without one, the patch applies to
        // whatever version is current, and is applied again when the object changed while it was being patched
        // (a controller writing the status must not turn a user's label patch into a Conflict).
        boolean precondition = mergePatch.path("metadata").has("resourceVersion");
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            KeyValue current = read(() -> store.get(key)).orElseThrow(() -> ApiException.notFound(kind, ns, name));
            Resource stored = decode(current, kind);
            JsonNode patched = ResourceCodec.mergePatch(ResourceCodec.tree(stored), mergePatch);
            Resource updated;
            try {
                updated = ResourceCodec.fromTree(patched, kind);
            } catch (JacksonException e) {
                throw ApiException.badRequest("the patched " + kind.kind() + " cannot be read: " + e.getOriginalMessage());
            }
            if (!Objects.equals(updated.name(), name) || !Objects.equals(updated.namespace(), ns)) {
                throw Problems.invalid(updated, "metadata.name", "a patch cannot rename or move an object");
            }
            String version = precondition ? updated.metadata().resourceVersion() : Long.toString(current.modRevision());
            try {
                return replace(updated.withMetadata(updated.metadata().withResourceVersion(version)));
            } catch (ApiException e) {
                long now = read(() -> store.get(key)).map(KeyValue::modRevision).orElse(0L);
                if (precondition || e.reason() != Reason.CONFLICT || now == current.modRevision()) {
                    throw e;
                }
            }
        }
        throw tooBusy(kind, Problems.describe(kind, ns, name));
    }

    @Override
    public Resource delete(ResourceKind kind, String namespace, String name, String resourceVersion) {
        return read(() -> deleteNow(kind, namespace, name, resourceVersion));
    }

    private Resource deleteNow(ResourceKind kind, String namespace, String name, String resourceVersion) {
        String ns = kind.namespaced() ? (namespace == null ? Namespace.DEFAULT : namespace) : null;
        String key = RegistryKeys.key(kind, ns, name);
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            KeyValue current = store.get(key).orElseThrow(() -> ApiException.notFound(kind, ns, name));
            if (resourceVersion != null && !resourceVersion.equals(Long.toString(current.modRevision()))) {
                throw Problems.conflict(kind, ns, name, resourceVersion, current.modRevision());
            }
            // Read before looking for users: a user written after this read fails the delete's compare.
            Optional<Guard> noNewUsers = read(() -> rules.deletionGuard(kind, name));
            Resource stored = decode(current, kind);
            read(() -> {
                rules.checkDeletable(stored);
                return null;
            });
            List<Compare> compares = new ArrayList<>();
            compares.add(Compare.modRevisionIs(key, current.modRevision()));
            List<Op> ops = new ArrayList<>();
            ops.add(Op.delete(key));
            List<Guard> guards = new ArrayList<>(rules.releasesOnDelete(stored));
            noNewUsers.ifPresent(guards::add);
            for (Guard g : guards) {
                compares.add(g.compare());
                ops.addAll(g.bump());
            }
            TxnResult result = run(new Txn(compares, ops, List.of()));
            if (result.succeeded()) {
                return stored;
            }
        }
        throw tooBusy(kind, Problems.describe(kind, ns, name));
    }

    @Override
    public Optional<Resource> get(ResourceKind kind, String namespace, String name) {
        String ns = kind.namespaced() ? (namespace == null ? Namespace.DEFAULT : namespace) : null;
        return read(() -> store.get(RegistryKeys.key(kind, ns, name))).map(kv -> decode(kv, kind));
    }

    @Override
    public <T extends Resource> ResourceList<T> list(ResourceKind kind, String namespace, LabelSelector selector) {
        LabelSelector filter = selector == null ? LabelSelector.everything() : selector;
        var range = read(() -> store.range(RegistryKeys.prefix(kind, namespace)));
        List<T> items = new ArrayList<>(range.kvs().size());
        for (KeyValue kv : range.kvs()) {
            Resource r = decode(kv, kind);
            if (filter.matches(r.metadata().labels())) {
                @SuppressWarnings("unchecked")
                T typed = (T) r;
                items.add(typed);
            }
        }
        return new ResourceList<>(items, range.revision());
    }

    @Override
    public Watch watch(ResourceKind kind, String namespace, LabelSelector selector, long fromResourceVersion, ResourceWatcher watcher) {
        LabelSelector filter = selector == null ? LabelSelector.everything() : selector;
        long from = fromResourceVersion <= 0 ? 0 : fromResourceVersion + 1;
        return read(() -> store.watch(RegistryKeys.prefix(kind, namespace), from, new WatchListener() {
            @Override
            public void onEvents(long revision, List<WatchEvent> events) {
                List<ResourceEvent> out = new ArrayList<>(events.size());
                for (WatchEvent e : events) {
                    toResourceEvent(kind, filter, revision, e).ifPresent(out::add);
                }
                if (!out.isEmpty()) {
                    watcher.onEvents(out);
                }
            }

            @Override
            public void onCompacted(long compactRevision) {
                watcher.onExpired("too old resource version: " + fromResourceVersion + " (history starts after "
                        + compactRevision + "); list again and watch from the list's resourceVersion");
            }

            @Override
            public void onError(Throwable error) {
                watcher.onError(error);
            }
        }));
    }

    /**
     * Kubernetes' selector semantics for watches: an object that starts matching is ADDED, one that stops
     * matching is DELETED, so that a watcher's view always equals a fresh filtered list.
     */
    private Optional<ResourceEvent> toResourceEvent(ResourceKind kind, LabelSelector filter, long revision, WatchEvent e) {
        Resource before = e.prevKv() == null ? null : decode(e.prevKv(), kind);
        boolean matchedBefore = before != null && filter.matches(before.metadata().labels());
        if (e.type() == WatchEvent.Type.DELETE) {
            // As Kubernetes: the deleted object carries the deletion's resourceVersion, so that a client resuming
            // from the last object it saw does not see the delete again.
            return matchedBefore
                    ? Optional.of(new ResourceEvent(ResourceEvent.Type.DELETED, withVersion(before, revision), revision))
                    : Optional.empty();
        }
        Resource after = decode(e.kv(), kind);
        boolean matchesNow = filter.matches(after.metadata().labels());
        if (matchesNow) {
            boolean added = before == null || !matchedBefore;
            return Optional.of(new ResourceEvent(added ? ResourceEvent.Type.ADDED : ResourceEvent.Type.MODIFIED, after, revision));
        }
        return matchedBefore
                ? Optional.of(new ResourceEvent(ResourceEvent.Type.DELETED, withVersion(before, revision), revision))
                : Optional.empty();
    }

    /** Writes one object under its compare and guards; empty when the compare or a sentinel failed. */
    private Optional<KeyValue> write(String key, Resource resource, Compare compare, List<Guard> guards) {
        List<Compare> compares = new ArrayList<>();
        compares.add(compare);
        List<Op> ops = new ArrayList<>();
        // The resourceVersion is always the key's mod revision; a copy in the JSON could only go stale.
        ops.add(Op.put(key, ResourceCodec.toJson(resource.withMetadata(resource.metadata().withResourceVersion(null)))));
        for (Guard g : guards) {
            compares.add(g.compare());
            ops.addAll(g.bump());
        }
        List<Op> failureReads = new ArrayList<>();
        for (Compare c : compares) {
            failureReads.add(Op.get(c.key()));
        }
        TxnResult result = run(new Txn(compares, ops, failureReads));
        if (result.succeeded()) {
            return Optional.of(result.results().getFirst());
        }
        // Find which compare failed from the values read in the same transaction.
        for (int i = 1; i < compares.size(); i++) {
            Guard g = guards.get(i - 1);
            if (!compares.get(i).holdsFor(result.results().get(i)) && !g.retryable()) {
                throw g.failure().get();
            }
        }
        return Optional.empty();
    }

    private TxnResult run(Txn txn) {
        return read(() -> store.txn(txn));
    }

    /**
     * Store failures become 503s: the request may be retried, and the message says what broke. Every public
     * method runs inside this, so that no StoreException (a closed store during shutdown, a full disk) reaches a
     * caller as an unexplained internal error.
     */
    private static <V> V read(java.util.function.Supplier<V> op) {
        try {
            return op.get();
        } catch (StoreException e) {
            throw new ApiException(Reason.SERVICE_UNAVAILABLE, "the store is unavailable: " + e.getMessage()
                    + "; retry once the store is back (a write that timed out may have been applied: a retried create"
                    + " then answers AlreadyExists)");
        }
    }

    private Resource decode(KeyValue kv, ResourceKind kind) {
        return decoded.decode(kv, kind);
    }

    static Resource withVersion(Resource r, long revision) {
        return r.withMetadata(r.metadata().withResourceVersion(Long.toString(revision)));
    }

    private static Resource normalizeNamespace(Resource r) {
        if (r.resourceKind().namespaced() && (r.namespace() == null || r.namespace().isEmpty())) {
            return r.withMetadata(r.metadata().withNamespace(Namespace.DEFAULT));
        }
        return r;
    }

    /** Keeps the stored server fields (uid, creation time) and takes the caller's labels and annotations. */
    private static Resource mergeMetadata(Resource stored, Resource updated) {
        ObjectMeta s = stored.metadata();
        ObjectMeta u = updated.metadata();
        ObjectMeta merged = new ObjectMeta(s.name(), s.namespace(), u.labels(), u.annotations(), s.uid(), null, s.creationTimestamp());
        return updated.withMetadata(merged);
    }

    private static Resource withoutStatus(Resource r) {
        return switch (r) {
            case Network n -> n.withStatus(null);
            case Node n -> n.withStatus(null);
            case Pod p -> p.withStatus(null);
            case Tenant t -> t;
            case Namespace n -> n;
            case Block b -> b;
            case NetworkPolicy np -> np;
            case SecurityGroup g -> g;
            case FirewallPolicy fp -> fp;
            case FirewallSettings fs -> fs;
            // The load balancer address is the server's to give.
            case Service s -> s.withStatus(null);
            case ServiceEndpoints e -> e;
        };
    }

    /** {@code target} with the status of {@code source} (for kinds that have one). */
    private static Resource withStatusOf(Resource target, Resource source) {
        return switch (target) {
            case Network n -> n.withStatus(((Network) source).status());
            case Node n -> n.withStatus(((Node) source).status());
            case Pod p -> p.withStatus(((Pod) source).status());
            case Tenant t -> t;
            case Namespace n -> n;
            case Block b -> b;
            case NetworkPolicy np -> np;
            case SecurityGroup g -> g;
            case FirewallPolicy fp -> fp;
            case FirewallSettings fs -> fs;
            case Service s -> s.withStatus(((Service) source).status());
            case ServiceEndpoints e -> e;
        };
    }

    @SuppressWarnings("unchecked")
    private static <T extends Resource> T cast(T original, Resource r) {
        return (T) r;
    }

    private static ApiException tooBusy(ResourceKind kind, Resource r) {
        return tooBusy(kind, Problems.describe(kind, r.namespace(), r.name()));
    }

    private static ApiException tooBusy(ResourceKind kind, String what) {
        return new ApiException(Reason.CONFLICT, what + " is being changed by others too often to write it now; try again");
    }
}
