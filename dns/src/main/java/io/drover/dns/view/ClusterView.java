package io.drover.dns.view;

import io.drover.model.Resource;
import io.drover.model.ResourceKind;
import io.drover.model.net.Cidr;
import io.drover.model.net.IpAddresses;
import io.drover.model.network.Network;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodStatus;
import io.drover.model.service.Service;
import io.drover.model.service.ServiceEndpoint;
import io.drover.model.service.ServiceEndpoints;
import java.net.InetAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The in-memory index DNS answers from: services (with their endpoints and the hostnames their pods give them), pod
 * addresses per namespace, and the reverse map of every address DNS names. Fed object by object from watches (or,
 * in tests, by hand); one change costs work proportional to the objects it touches (a service's entry is rebuilt
 * from its own service, endpoints and pods), never to the cluster.
 *
 * <p>Writers take the monitor; readers (the answerer, on the transport threads) never block: they read concurrent
 * maps whose values are immutable. A reader may see one change half applied across maps (a PTR before its A
 * record), which DNS tolerates.
 */
public final class ClusterView {

    // The objects as last seen, by "namespace/name" (networks by name). Writer side only.
    private final Map<String, Service> services = new HashMap<>();
    private final Map<String, ServiceEndpoints> endpoints = new HashMap<>();
    private final Map<String, Pod> pods = new HashMap<>();
    private final Map<String, Network> networks = new HashMap<>();
    private final Map<String, ServiceEntry> entryOfService = new HashMap<>();
    /** "namespace/pod" → the services whose endpoints list it, to rebuild them when its hostname changes. */
    private final Map<String, Set<String>> servicesOfPod = new HashMap<>();
    private final Map<String, Set<String>> podsOfService = new HashMap<>();

    // What readers see.
    private final ConcurrentHashMap<String, ServiceEntry> entries = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Integer> servicesPerNamespace = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Integer> podsPerNamespace = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<PodAddress, Integer> podAddresses = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<InetAddress, Set<ReverseTarget>> reverse = new ConcurrentHashMap<>();
    private final List<Cidr> fixedReverseCidrs;
    private volatile List<Cidr> networkCidrs = List.of();
    private volatile long generation;
    private volatile long serial;
    private final Clock clock;

    private record PodAddress(String namespace, InetAddress address) {}

    /** @param reverseCidrs address ranges whose reverse names are DNS's to answer (the service CIDR) */
    public ClusterView(List<Cidr> reverseCidrs) {
        this(reverseCidrs, Clock.systemUTC());
    }

    ClusterView(List<Cidr> reverseCidrs, Clock clock) {
        this.fixedReverseCidrs = List.copyOf(reverseCidrs);
        this.clock = clock;
        this.serial = clock.instant().getEpochSecond();
    }

    // ---- reads (any thread) ----

    /** The service {@code name} of {@code namespace} (both lower case). */
    public Optional<ServiceEntry> service(String namespace, String name) {
        return Optional.ofNullable(entries.get(name + "." + namespace));
    }

    /** Whether DNS knows the namespace: it has a service or a pod. */
    public boolean namespaceExists(String namespace) {
        return servicesPerNamespace.containsKey(namespace) || podsPerNamespace.containsKey(namespace);
    }

    public boolean hasServicesIn(String namespace) {
        return servicesPerNamespace.containsKey(namespace);
    }

    public boolean hasPodsIn(String namespace) {
        return podsPerNamespace.containsKey(namespace);
    }

    /** Whether a pod of {@code namespace} (lower case) has {@code address}. */
    public boolean podHasAddress(String namespace, InetAddress address) {
        return podAddresses.containsKey(new PodAddress(namespace, address));
    }

    /** What the address names: services' cluster IPs and endpoints; empty when none. */
    public Set<ReverseTarget> reverse(InetAddress address) {
        return reverse.getOrDefault(address, Set.of());
    }

    /** Whether the address lies in the service CIDR or a pod network: its reverse name is DNS's to answer. */
    public boolean ownsReverse(InetAddress address) {
        for (Cidr c : fixedReverseCidrs) {
            if (c.contains(address)) {
                return true;
            }
        }
        for (Cidr c : networkCidrs) {
            if (c.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** The SOA serial: the second of the last change (it grows with every change a second apart). */
    public long serial() {
        return serial;
    }

    /** Counts changes that reached readers; tests and benchmarks wait on it. */
    public long generation() {
        return generation;
    }

    // ---- writes (watch threads) ----

    /** Adds or replaces one object of a kind DNS uses; others are ignored. */
    public synchronized void put(Resource resource) {
        switch (resource) {
            case Service s -> {
                services.put(key(s), s);
                refresh(key(s));
            }
            case ServiceEndpoints e -> {
                endpoints.put(key(e), e);
                relinkPods(key(e), e);
                refresh(key(e));
            }
            case Pod p -> putPod(p);
            case Network n -> {
                networks.put(n.name(), n);
                refreshNetworks();
            }
            default -> {
                return;
            }
        }
        changed();
    }

    /** Removes one object (as it was before its deletion). */
    public synchronized void remove(Resource resource) {
        switch (resource) {
            case Service s -> {
                services.remove(key(s));
                refresh(key(s));
            }
            case ServiceEndpoints e -> {
                endpoints.remove(key(e));
                relinkPods(key(e), null);
                refresh(key(e));
            }
            case Pod p -> removePod(key(p));
            case Network n -> {
                networks.remove(n.name());
                refreshNetworks();
            }
            default -> {
                return;
            }
        }
        changed();
    }

    /** Replaces every object of {@code kind} with {@code items} (a fresh list after a watch expired). */
    public synchronized void replaceAll(ResourceKind kind, List<? extends Resource> items) {
        Set<String> fresh = new HashSet<>();
        for (Resource r : items) {
            fresh.add(kind == ResourceKind.NETWORK ? r.name() : key(r));
        }
        List<Resource> gone = new ArrayList<>();
        Map<String, ? extends Resource> current = switch (kind) {
            case SERVICE -> services;
            case SERVICE_ENDPOINTS -> endpoints;
            case POD -> pods;
            case NETWORK -> networks;
            default -> Map.of();
        };
        for (var e : current.entrySet()) {
            if (!fresh.contains(e.getKey())) {
                gone.add(e.getValue());
            }
        }
        gone.forEach(this::remove);
        items.forEach(this::put);
    }

    private void putPod(Pod pod) {
        String key = key(pod);
        Pod old = pods.put(key, pod);
        String ns = pod.namespace().toLowerCase(Locale.ROOT);
        if (old == null) {
            increment(podsPerNamespace, ns);
        }
        Set<InetAddress> before = addressesOf(old);
        Set<InetAddress> after = addressesOf(pod);
        for (InetAddress a : before) {
            if (!after.contains(a)) {
                decrement(podAddresses, new PodAddress(ns, a));
            }
        }
        for (InetAddress a : after) {
            if (!before.contains(a)) {
                increment(podAddresses, new PodAddress(ns, a));
            }
        }
        if (old == null || !Objects.equals(names(old), names(pod))) {
            servicesOfPod.getOrDefault(key, Set.of()).forEach(this::refresh);
        }
    }

    private void removePod(String key) {
        Pod old = pods.remove(key);
        if (old == null) {
            return;
        }
        String ns = old.namespace().toLowerCase(Locale.ROOT);
        decrement(podsPerNamespace, ns);
        for (InetAddress a : addressesOf(old)) {
            decrement(podAddresses, new PodAddress(ns, a));
        }
        if (PodNames.hasNames(old)) {
            servicesOfPod.getOrDefault(key, Set.of()).forEach(this::refresh);
        }
    }

    /** Rebuilds the entry of service {@code key} ("namespace/name") from what is known, and what readers see of it. */
    private void refresh(String key) {
        Service service = services.get(key);
        ServiceEntry before = entryOfService.get(key);
        ServiceEntry after = null;
        if (service != null) {
            String ns = service.namespace();
            after = ServiceEntry.of(service, endpoints.get(key), pod -> pods.get(ns + "/" + pod));
        }
        if (Objects.equals(before, after)) {
            return;
        }
        if (after == null) {
            entryOfService.remove(key);
            entries.remove(before.key());
            decrement(servicesPerNamespace, before.namespace());
        } else {
            entryOfService.put(key, after);
            entries.put(after.key(), after);
            if (before == null) {
                increment(servicesPerNamespace, after.namespace());
            }
        }
        Set<Map.Entry<InetAddress, ReverseTarget>> was = reverseOf(before);
        Set<Map.Entry<InetAddress, ReverseTarget>> now = reverseOf(after);
        for (var e : was) {
            if (!now.contains(e)) {
                reverse.computeIfPresent(e.getKey(), (ip, targets) -> {
                    Set<ReverseTarget> rest = new LinkedHashSet<>(targets);
                    rest.remove(e.getValue());
                    return rest.isEmpty() ? null : Set.copyOf(rest);
                });
            }
        }
        for (var e : now) {
            if (!was.contains(e)) {
                reverse.merge(e.getKey(), Set.of(e.getValue()), (targets, added) -> {
                    Set<ReverseTarget> all = new LinkedHashSet<>(targets);
                    all.addAll(added);
                    return Set.copyOf(all);
                });
            }
        }
    }

    /** Remembers which pods the endpoints of service {@code key} list. */
    private void relinkPods(String key, ServiceEndpoints now) {
        String ns = key.substring(0, key.indexOf('/'));
        Set<String> listed = new HashSet<>();
        if (now != null) {
            for (ServiceEndpoint e : now.endpoints()) {
                if (e.pod() != null) {
                    listed.add(ns + "/" + e.pod());
                }
            }
        }
        Set<String> before = podsOfService.getOrDefault(key, Set.of());
        for (String pod : before) {
            if (!listed.contains(pod)) {
                Set<String> of = servicesOfPod.get(pod);
                if (of != null && of.remove(key) && of.isEmpty()) {
                    servicesOfPod.remove(pod);
                }
            }
        }
        for (String pod : listed) {
            servicesOfPod.computeIfAbsent(pod, p -> new HashSet<>()).add(key);
        }
        if (listed.isEmpty()) {
            podsOfService.remove(key);
        } else {
            podsOfService.put(key, listed);
        }
    }

    private void refreshNetworks() {
        List<Cidr> cidrs = new ArrayList<>();
        for (Network n : networks.values()) {
            if (n.spec() == null) {
                continue;
            }
            for (String subnet : n.spec().subnets()) {
                try {
                    cidrs.add(Cidr.parse(subnet));
                } catch (IllegalArgumentException e) {
                    // validated by the API; an odd one only loses its reverse zone
                }
            }
        }
        networkCidrs = List.copyOf(cidrs);
    }

    private void changed() {
        serial = Math.max(serial, clock.instant().getEpochSecond());
        generation++;
    }

    private static Set<Map.Entry<InetAddress, ReverseTarget>> reverseOf(ServiceEntry entry) {
        if (entry == null) {
            return Set.of();
        }
        Set<Map.Entry<InetAddress, ReverseTarget>> out = new HashSet<>();
        for (InetAddress ip : entry.clusterIps()) {
            out.add(Map.entry(ip, new ReverseTarget(null, entry.name(), entry.namespace())));
        }
        for (ServiceEntry.EndpointEntry e : entry.endpoints()) {
            out.add(Map.entry(e.address(), new ReverseTarget(e.hostname(), entry.name(), entry.namespace())));
        }
        return out;
    }

    private static Set<InetAddress> addressesOf(Pod pod) {
        if (pod == null || pod.status() == null) {
            return Set.of();
        }
        Set<InetAddress> out = new HashSet<>();
        for (PodStatus.PodAddress a : pod.status().addresses()) {
            if (a.ip() != null && IpAddresses.isValid(a.ip())) {
                out.add(IpAddresses.parse(a.ip()));
            }
        }
        return out;
    }

    private static List<String> names(Pod pod) {
        return java.util.Arrays.asList(pod.metadata().annotations().get(PodNames.HOSTNAME),
                pod.metadata().annotations().get(PodNames.SUBDOMAIN));
    }

    private static <K> void increment(ConcurrentHashMap<K, Integer> counts, K key) {
        counts.merge(key, 1, Integer::sum);
    }

    private static <K> void decrement(ConcurrentHashMap<K, Integer> counts, K key) {
        counts.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
    }

    private static String key(Resource r) {
        return r.namespace() + "/" + r.name();
    }
}
