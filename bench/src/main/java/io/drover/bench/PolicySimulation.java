package io.drover.bench;

import io.drover.agent.NodeAgent;
import io.drover.agent.desired.PolicyCalculator;
import io.drover.agent.rules.PolicyRules;
import io.drover.api.ResourceEvent;
import io.drover.api.ResourceList;
import io.drover.api.ResourceRegistry;
import io.drover.api.ResourceWatcher;
import io.drover.api.registry.StoreResourceRegistry;
import io.drover.model.Resource;
import io.drover.model.ResourceKind;
import io.drover.model.codec.ResourceCodec;
import io.drover.model.meta.ObjectMeta;
import io.drover.model.network.Network;
import io.drover.model.network.NetworkSpec;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodPort;
import io.drover.model.pod.PodSpec;
import io.drover.model.pod.PodStatus;
import io.drover.model.policy.NetworkPolicy;
import io.drover.model.tenant.Namespace;
import io.drover.policy.Firewall;
import io.drover.policy.NamespacedName;
import io.drover.policy.PolicySnapshot;
import io.drover.store.Watch;
import io.drover.store.sqlite.SqliteKeyValueStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Part 3 of {@code bench/run policy}: how long one NetworkPolicy change takes to reach the desired state of every
 * node of a large cluster, without data planes.
 *
 * <p>The real server-side path: the embedded SQLite store and {@link StoreResourceRegistry}, as {@code drover server
 * --store embedded} wires them (in-process, no HTTP). The cluster: {@code NAMESPACES} namespaces, {@code PODS} pods
 * with addresses in their status (written through the registry as IPAM would: create, then status), spread so that
 * every node holds one pod of every namespace ({@code pod k}: namespace {@code k % NAMESPACES}, node {@code (k /
 * NAMESPACES) % NODES}), and {@code POLICIES} NetworkPolicies of four shapes in turn (pod peers in the namespace,
 * pod peers in other namespaces by namespace label, ipBlock egress, and a namespace-wide ingress rule).
 *
 * <p>Each simulated node is an agent without a data plane: its own NetworkPolicy watch (list, then watch from the
 * list's revision, as the agent's mirror does), so the change fans out through {@code NODES} separate watches; pods
 * and namespaces, which the measurement does not change, come from one feed shared by all simulated nodes (a
 * separate copy of 50,000 pods per node would not fit this machine). A change wakes the node, which waits the agent's
 * settle time ({@link NodeAgent.Options#DEFAULTS}) and then computes its rules with a {@link PolicyCalculator} of its
 * own, as the agent does (it keeps the rules of pods whose policy did not change), on a pool of one thread per core:
 * on this machine the nodes share its cores, where a real cluster gives each its own.
 *
 * <p>The change: policy {@code sim-0/change} (podSelector {@code {}}, so it selects the namespace's pod on every
 * node) gets a new ingress port, by {@code replace}. Measured from just before the write to the moment the last node
 * has computed rules from a policy list that holds the new version (and the rules must differ from the node's
 * previous ones). The anchor in the same run: from the same start to the moment the last of the {@code NODES}
 * watches has delivered the change (the fan-out alone).
 *
 * <p>When computing every node, {@code REPEATS + 1} times, would take longer than {@code --sim-limit} (one node's
 * computation is timed first), only an evenly spread sample of the nodes computes, every node still watching; the
 * figure for all nodes is then estimated (fan-out + settle + nodes x one node's computation / threads) and printed
 * as such. Where one node's time goes is printed too ({@code policy.sim_breakdown_*}).
 */
final class PolicySimulation {

    record Sizes(int nodes, int pods, int policies, int namespaces, int repeats, Duration limit) {
        Sizes {
            if (nodes < 1 || pods < nodes || policies < 1 || namespaces < 1 || repeats < 1) {
                throw new IllegalArgumentException("sizes: nodes >= 1, pods >= nodes, policies >= 1, namespaces >= 1");
            }
        }
    }

    private static final String NETWORK = "sim";
    private static final String CHANGED_NAMESPACE = "sim-0";
    private static final String CHANGED_POLICY = "change";
    private static final int WRITERS = 16;
    private static final int APPS = 10;
    private static final int TEAMS = 5;

    private final Sizes sizes;
    private final Path work;
    private final int threads = Runtime.getRuntime().availableProcessors();
    private final Duration settle = NodeAgent.Options.DEFAULTS.settle();

    PolicySimulation(Sizes sizes, Path work) {
        this.sizes = sizes;
        this.work = work;
    }

    private static void progress(String line) {
        System.err.println("policy sim: " + line);
    }

    /** Prints the {@code policy.sim_*} lines. */
    Result run() throws Exception {
        System.out.printf("policy.sim_nodes = %d%n", sizes.nodes());
        System.out.printf("policy.sim_pods = %d%n", sizes.pods());
        System.out.printf("policy.sim_policies = %d%n", sizes.policies());
        System.out.printf("policy.sim_namespaces = %d%n", sizes.namespaces());
        System.out.printf("policy.sim_compute_threads = %d  (the simulated nodes share this machine's cores)%n", threads);
        System.out.printf("policy.sim_feeds = one NetworkPolicy watch per node (%d watches); pods and namespaces from"
                + " one watch shared by all nodes%n", sizes.nodes());
        try (SqliteKeyValueStore store = SqliteKeyValueStore.open(work.resolve("sim-store"))) {
            StoreResourceRegistry registry = new StoreResourceRegistry(store);
            registry.ensureDefaults();
            long start = System.nanoTime();
            populate(registry);
            progress(String.format(Locale.ROOT, "cluster written in %.1f s", (System.nanoTime() - start) / 1e9));
            return simulate(registry);
        }
    }

    // ---- the cluster ---------------------------------------------------------------------------------------------

    private void populate(ResourceRegistry registry) throws Exception {
        registry.create(Network.of(ObjectMeta.named(NETWORK), NetworkSpec.of("10.0.0.0/8")));
        for (int n = 0; n < sizes.namespaces(); n++) {
            registry.create(Namespace.of(ObjectMeta.named(namespaceName(n)).withLabels(Map.of("team", "t" + n % TEAMS)),
                    null));
        }
        AtomicInteger written = new AtomicInteger();
        parallel(sizes.pods(), k -> {
            Pod created = registry.create(pod(k));
            registry.replaceStatus(new Pod(created.apiVersion(), created.kind(), created.metadata(), created.spec(),
                    new PodStatus(PodStatus.ALLOCATED, List.of(new PodStatus.PodAddress(NETWORK, "eth0", address(k), 8,
                            "10.0.0.1")), null)));
            int done = written.incrementAndGet();
            if (done % 10_000 == 0) {
                progress(done + "/" + sizes.pods() + " pods");
            }
        });
        parallel(sizes.policies(), j -> registry.create(j == 0 ? changedPolicy(8000) : policy(j)));
    }

    private interface Task {
        void run(int index) throws Exception;
    }

    /** Runs {@code task(0..count-1)} on {@link #WRITERS} threads, as concurrent API clients would. */
    private static void parallel(int count, Task task) throws Exception {
        AtomicInteger next = new AtomicInteger();
        try (ExecutorService pool = Executors.newFixedThreadPool(WRITERS)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                futures.add(pool.submit(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < count) {
                        task.run(i);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        }
    }

    private static String namespaceName(int n) {
        return "sim-" + n;
    }

    private String nodeName(int n) {
        return "node-" + (n + 1);
    }

    private Pod pod(int k) {
        int namespace = k % sizes.namespaces();
        int slot = k / sizes.namespaces();
        Map<String, String> labels = Map.of("app", "app-" + slot % APPS, "tier", "tier-" + slot % 3);
        return Pod.of(ObjectMeta.named(namespaceName(namespace), "pod-" + k).withLabels(labels),
                new PodSpec(nodeName(slot % sizes.nodes()), null, List.of(NETWORK),
                        List.of(new PodPort("http", 8080, null, null, null)), List.of()));
    }

    /** 10.0.0.2 onwards: pod k's address. */
    private static String address(int k) {
        int a = k + 2;
        return "10." + (a >>> 16 & 255) + "." + (a >>> 8 & 255) + "." + (a & 255);
    }

    /** Policy j (j >= 1) of the cluster: one of four common shapes, in the namespaces in turn. */
    private NetworkPolicy policy(int j) {
        String namespace = namespaceName(j % sizes.namespaces());
        String app = "app-" + j % APPS;
        String peer = "app-" + (j + 1) % APPS;
        String json = switch (j % 4) {
            case 0 -> """
                    {"metadata":{"name":"p-%1$d","namespace":"%2$s"},"spec":{"podSelector":{"matchLabels":{"app":"%3$s"}},
                     "ingress":[{"from":[{"podSelector":{"matchLabels":{"app":"%4$s"}}}],"ports":[{"port":8080}]}]}}"""
                    .formatted(j, namespace, app, peer);
            case 1 -> """
                    {"metadata":{"name":"p-%1$d","namespace":"%2$s"},"spec":{"podSelector":{"matchLabels":{"app":"%3$s"}},
                     "ingress":[{"from":[{"namespaceSelector":{"matchLabels":{"team":"t%5$d"}},
                                          "podSelector":{"matchLabels":{"app":"%4$s"}}}],"ports":[{"port":8080}]}]}}"""
                    .formatted(j, namespace, app, peer, j % TEAMS);
            case 2 -> """
                    {"metadata":{"name":"p-%1$d","namespace":"%2$s"},"spec":{"podSelector":{"matchLabels":{"tier":"tier-%3$d"}},
                     "policyTypes":["Egress"],"egress":[{"to":[%4$s],"ports":[{"port":443}]}]}}"""
                    .formatted(j, namespace, j % 3, ipBlocks(j, 10));
            default -> """
                    {"metadata":{"name":"p-%1$d","namespace":"%2$s"},"spec":{"podSelector":{},
                     "ingress":[{"from":[{"podSelector":{"matchLabels":{"app":"%3$s"}}}],"ports":[{"port":9000}]}]}}"""
                    .formatted(j, namespace, peer);
        };
        return ResourceCodec.fromJson(json.getBytes(StandardCharsets.UTF_8), ResourceKind.NETWORK_POLICY);
    }

    /** The changed policy: every pod of its namespace, one on every node, takes ingress on {@code port} from app-1. */
    private static NetworkPolicy changedPolicy(int port) {
        String json = """
                {"metadata":{"name":"%s","namespace":"%s"},"spec":{"podSelector":{},
                 "ingress":[{"from":[{"podSelector":{"matchLabels":{"app":"app-1"}}}],"ports":[{"port":%d}]}]}}"""
                .formatted(CHANGED_POLICY, CHANGED_NAMESPACE, port);
        return ResourceCodec.fromJson(json.getBytes(StandardCharsets.UTF_8), ResourceKind.NETWORK_POLICY);
    }

    private static String ipBlocks(int j, int count) {
        List<String> blocks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int n = j * count + i;
            blocks.add("{\"ipBlock\":{\"cidr\":\"172." + (16 + (n >>> 16 & 15)) + "." + (n >>> 8 & 255) + "."
                    + (n & 255) + "/32\"}}");
        }
        return String.join(",", blocks);
    }

    // ---- the simulated nodes -------------------------------------------------------------------------------------

    /** One feed of a kind shared by every simulated node: listed, then watched; every change wakes every node. */
    private static final class SharedFeed<T extends Resource> implements AutoCloseable {
        private final Map<String, T> items = new HashMap<>();
        private volatile List<T> snapshot;
        private final Watch watch;

        SharedFeed(ResourceRegistry registry, ResourceKind kind, Runnable onChange) {
            ResourceList<T> list = registry.list(kind, null, null);
            list.items().forEach(i -> items.put(key(i), i));
            snapshot = List.copyOf(items.values());
            watch = registry.watch(kind, null, null, list.resourceVersion(), new ResourceWatcher() {
                @Override
                public void onEvents(List<ResourceEvent> events) {
                    synchronized (SharedFeed.this) {
                        for (ResourceEvent e : events) {
                            @SuppressWarnings("unchecked")
                            T item = (T) e.object();
                            if (e.type() == ResourceEvent.Type.DELETED) {
                                items.remove(key(item));
                            } else {
                                items.put(key(item), item);
                            }
                        }
                        snapshot = List.copyOf(items.values());
                    }
                    onChange.run();
                }

                @Override
                public void onExpired(String message) {
                    throw new IllegalStateException("the shared watch expired: " + message);
                }
            });
        }

        List<T> items() {
            return snapshot;
        }

        @Override
        public void close() {
            watch.close();
        }
    }

    /** A node without a data plane: its own policy watch and mirror, and the rules it computed last. */
    private final class SimNode implements AutoCloseable {
        final String name;
        private final Map<String, NetworkPolicy> policies = new HashMap<>();
        private long revision;
        private boolean queued;
        private Watch watch;
        /** The policy revision the last finished computation started from, and when it finished. */
        volatile long computedRevision = -1;
        volatile long computedAt;
        volatile long computeNanos;
        volatile PolicyRules rules;
        volatile PolicyRules previousRules;
        /** When the watch last delivered an event, and the revision it carried. */
        volatile long deliveredAt;
        volatile long deliveredRevision;
        /** Whether this node computes its rules (all, or a sample when all would take too long). */
        volatile boolean computes;
        /** As the agent's: it keeps what it rendered for pods whose policy did not change. */
        private final PolicyCalculator calculator = new PolicyCalculator();

        SimNode(String name) {
            this.name = name;
        }

        synchronized void seed(ResourceList<NetworkPolicy> list) {
            list.items().forEach(p -> policies.put(key(p), p));
            revision = list.resourceVersion();
        }

        void watch(ResourceRegistry registry, long from) {
            watch = registry.watch(ResourceKind.NETWORK_POLICY, null, null, from, new ResourceWatcher() {
                @Override
                public void onEvents(List<ResourceEvent> events) {
                    synchronized (SimNode.this) {
                        for (ResourceEvent e : events) {
                            NetworkPolicy p = (NetworkPolicy) e.object();
                            if (e.type() == ResourceEvent.Type.DELETED) {
                                policies.remove(key(p));
                            } else {
                                policies.put(key(p), p);
                            }
                            revision = Math.max(revision, e.revision());
                        }
                        deliveredRevision = revision;
                    }
                    deliveredAt = System.nanoTime();
                    changed();
                }

                @Override
                public void onExpired(String message) {
                    throw new IllegalStateException("the policy watch of " + name + " expired: " + message);
                }
            });
        }

        /** As the agent: a change marks the node dirty; the sync runs after the settle time. */
        void changed() {
            synchronized (this) {
                if (!computes || queued) {
                    return;
                }
                queued = true;
            }
            scheduler.schedule(this::compute, settle.toNanos(), TimeUnit.NANOSECONDS);
        }

        void compute() {
            List<NetworkPolicy> list;
            long from;
            synchronized (this) {
                queued = false;
                list = List.copyOf(policies.values());
                from = revision;
            }
            long start = System.nanoTime();
            PolicyRules computed = calculator.calculate(name, namespaces.items(), pods.items(), list, Firewall.NONE);
            long end = System.nanoTime();
            previousRules = rules;
            rules = computed;
            computeNanos = end - start;
            computedAt = end;
            computedRevision = from;
            computations.incrementAndGet();
        }

        @Override
        public void close() {
            if (watch != null) {
                watch.close();
            }
        }
    }

    private ScheduledThreadPoolExecutor scheduler;
    private SharedFeed<Pod> pods;
    private SharedFeed<Namespace> namespaces;
    private final AtomicLong computations = new AtomicLong();

    /** What the simulation found: the figure, whether it was measured end to end or estimated, and a summary. */
    record Result(double millis, boolean measured, String summary) {}

    private Result simulate(StoreResourceRegistry registry) throws Exception {
        scheduler = new ScheduledThreadPoolExecutor(threads, Thread.ofPlatform().name("sim-node-", 0).daemon().factory());
        List<SimNode> nodes = new ArrayList<>();
        try {
            for (int n = 0; n < sizes.nodes(); n++) {
                nodes.add(new SimNode(nodeName(n)));
            }
            namespaces = new SharedFeed<>(registry, ResourceKind.NAMESPACE, () -> nodes.forEach(SimNode::changed));
            pods = new SharedFeed<>(registry, ResourceKind.POD, () -> nodes.forEach(SimNode::changed));
            ResourceList<NetworkPolicy> policies = registry.list(ResourceKind.NETWORK_POLICY, null, null);
            for (SimNode node : nodes) {
                node.seed(policies);
                node.watch(registry, policies.resourceVersion());
            }
            double warm = breakdown(nodes.getFirst().name, policies.items());

            // Every node computes when the estimate fits the limit; else an evenly spread sample does, and the figure
            // for all nodes is estimated from it (every node still watches: the fan-out is measured in full).
            double estimate = warm * sizes.nodes() / threads * (sizes.repeats() + 1);
            int computing = estimate <= sizes.limit().toNanos() ? sizes.nodes()
                    : (int) Math.max(threads, Math.min(sizes.nodes(),
                            sizes.limit().toNanos() * threads / warm / (sizes.repeats() + 1)));
            List<SimNode> sample = new ArrayList<>();
            for (int i = 0; i < computing; i++) {
                SimNode node = nodes.get((int) ((long) i * sizes.nodes() / computing));
                node.computes = true;
                sample.add(node);
            }
            boolean all = computing == sizes.nodes();
            if (!all) {
                System.out.printf(Locale.ROOT, "policy.sim_sampled_nodes = %d  (of %d: one node computes in %.0f ms, so"
                        + " all of them, %d times, would take about %.0f s > --sim-limit %d s; the other nodes only"
                        + " watch)%n", computing, sizes.nodes(), warm / 1e6, sizes.repeats() + 1, estimate / 1e9,
                        sizes.limit().toSeconds());
            }

            // The first computation of every computing node (the agents starting).
            long start = System.nanoTime();
            sample.forEach(SimNode::changed);
            awaitComputed(sample, policies.resourceVersion(), start);
            System.out.printf(Locale.ROOT, "policy.sim_first_sync_ms = %.0f  (the first computation of %d nodes, %d"
                    + " threads)%n", (sample.stream().mapToLong(n -> n.computedAt).max().orElseThrow() - start) / 1e6,
                    computing, threads);

            long[] took = new long[sizes.repeats()];
            long[] fanout = new long[sizes.repeats()];
            long[] compute = new long[sizes.repeats()];
            for (int r = 0; r < sizes.repeats(); r++) {
                NetworkPolicy current = registry.get(NetworkPolicy.class, CHANGED_NAMESPACE, CHANGED_POLICY).orElseThrow();
                NetworkPolicy next = changedPolicy(8001 + r).withMetadata(current.metadata());
                long before = computations.get();
                long t0 = System.nanoTime();
                NetworkPolicy written = registry.replace(next);
                long revision = Long.parseLong(written.metadata().resourceVersion());
                awaitComputed(sample, revision, t0);
                awaitDelivered(nodes, revision, t0);
                took[r] = sample.stream().mapToLong(n -> n.computedAt).max().orElseThrow() - t0;
                fanout[r] = nodes.stream().mapToLong(n -> n.deliveredAt).max().orElseThrow() - t0;
                compute[r] = (long) BenchStats.median(sample.stream().mapToLong(n -> n.computeNanos).toArray());
                long changed = sample.stream().filter(n -> !n.rules.equals(n.previousRules)).count();
                progress(String.format(Locale.ROOT, "change %d/%d: %d nodes computed after %.0f ms (one node %.0f ms;"
                                + " last of %d watches delivered after %.0f ms; %d computations; rules changed on %d"
                                + " nodes)", r + 1, sizes.repeats(), computing, took[r] / 1e6, compute[r] / 1e6,
                        sizes.nodes(), fanout[r] / 1e6, computations.get() - before, changed));
                if (changed != computing) {
                    throw new IllegalStateException("the change altered the rules of " + changed + " nodes, not all "
                            + computing + ": the benchmark's cluster is not what it means to be");
                }
            }
            double fanoutMs = BenchStats.median(fanout) / 1e6;
            double computeMs = BenchStats.median(compute) / 1e6;
            double measured = BenchStats.median(took) / 1e6;
            System.out.printf(Locale.ROOT, "policy.sim_node_compute_p50_ms = %.1f  (one node's PolicyCalculator.compute"
                    + " after the change)%n", computeMs);
            System.out.printf(Locale.ROOT, "policy.sim_samples_ms = %s  (write -> the last of %d computing nodes done)%n",
                    BenchStats.millis(took), computing);
            System.out.printf(Locale.ROOT, "policy.sim_anchor_watch_fanout_ms = %.1f  (write -> the last of %d policy"
                    + " watches delivered it)%n", fanoutMs, sizes.nodes());
            System.out.printf(Locale.ROOT, "policy.sim_own_cores_ms = %.0f  (fan-out + settle %d ms + one node's"
                    + " computation: nodes with a core each, as in a real cluster)%n",
                    fanoutMs + settle.toMillis() + computeMs, settle.toMillis());
            double figure = all ? measured : fanoutMs + settle.toMillis() + computeMs * sizes.nodes() / threads;
            String summary = all
                    ? String.format(Locale.ROOT, "%.0f  (measured: %d nodes on %d threads; target <= 1000; anchor"
                            + " watch fan-out %.1f ms, ratio %.1f)", measured, sizes.nodes(), threads, fanoutMs,
                            measured / fanoutMs)
                    : String.format(Locale.ROOT, "%.0f  (ESTIMATED: %d nodes x %.0f ms per node / %d threads, from %d"
                            + " sampled nodes; target <= 1000; anchor watch fan-out %.1f ms, ratio %.0f)", figure,
                            sizes.nodes(), computeMs, threads, computing, fanoutMs, figure / fanoutMs);
            System.out.printf(Locale.ROOT, "policy.sim_ratio = %.1f  (sim / anchor)%n", figure / fanoutMs);
            return new Result(figure, all, summary);
        } finally {
            nodes.forEach(SimNode::close);
            if (pods != null) {
                pods.close();
            }
            if (namespaces != null) {
                namespaces.close();
            }
            scheduler.shutdownNow();
            scheduler.awaitTermination(30, TimeUnit.SECONDS);
        }
    }

    /** Waits until every node has computed from a policy list at {@code revision} or later, at most the limit. */
    private void awaitComputed(List<SimNode> nodes, long revision, long start) throws InterruptedException {
        long deadline = start + waitLimit().toNanos();
        long lastReport = System.nanoTime();
        while (true) {
            long done = nodes.stream().filter(n -> n.computedRevision >= revision).count();
            if (done == nodes.size()) {
                return;
            }
            long now = System.nanoTime();
            if (now - deadline >= 0) {
                throw new IllegalStateException(String.format(Locale.ROOT, "only %d of %d simulated nodes computed"
                        + " within %d s (twice --sim-limit, and a minute)", done, nodes.size(), waitLimit().toSeconds()));
            }
            if (now - lastReport > TimeUnit.SECONDS.toNanos(10)) {
                progress(done + "/" + nodes.size() + " nodes computed");
                lastReport = now;
            }
            Thread.sleep(1);
        }
    }

    /** How long one change may take to reach the computing nodes before the run gives up: the limit is a budget. */
    private Duration waitLimit() {
        return sizes.limit().multipliedBy(2).plusMinutes(1);
    }

    private void awaitDelivered(List<SimNode> nodes, long revision, long start) throws InterruptedException {
        long deadline = start + waitLimit().toNanos();
        while (nodes.stream().anyMatch(n -> n.deliveredRevision < revision)) {
            if (System.nanoTime() - deadline >= 0) {
                throw new IllegalStateException("not every policy watch delivered the change within "
                        + waitLimit().toSeconds() + " s");
            }
            Thread.sleep(1);
        }
    }

    /** Where one node's computation goes: the snapshot of the cluster, each pod's compilation, the rules. */
    private double breakdown(String node, List<NetworkPolicy> policies) {
        List<Namespace> ns = namespaces.items();
        List<Pod> all = pods.items();
        List<Pod> mine = all.stream().filter(p -> node.equals(p.spec().node())).toList();
        long[] snapshotNanos = new long[3];
        long[] compileNanos = new long[3];
        long[] totalNanos = new long[3];
        for (int i = 0; i < 3; i++) {
            long t = System.nanoTime();
            PolicySnapshot snapshot = PolicySnapshot.of(ns, all, policies);
            snapshotNanos[i] = System.nanoTime() - t;
            t = System.nanoTime();
            for (Pod p : mine) {
                snapshot.compile(NamespacedName.of(p));
            }
            compileNanos[i] = System.nanoTime() - t;
            t = System.nanoTime();
            PolicyCalculator.compute(node, ns, all, policies);
            totalNanos[i] = System.nanoTime() - t;
        }
        System.out.printf(Locale.ROOT, "policy.sim_breakdown_snapshot_ms = %.1f  (PolicySnapshot.of: all %d pods, %d"
                + " policies)%n", BenchStats.median(snapshotNanos) / 1e6, all.size(), policies.size());
        System.out.printf(Locale.ROOT, "policy.sim_breakdown_compile_ms = %.1f  (PolicySnapshot.compile of the node's %d"
                + " pods)%n", BenchStats.median(compileNanos) / 1e6, mine.size());
        System.out.printf(Locale.ROOT, "policy.sim_breakdown_node_total_ms = %.1f  (PolicyCalculator.compute from nothing, warm)%n",
                BenchStats.median(totalNanos) / 1e6);
        return BenchStats.median(totalNanos);
    }

    private static String key(Resource r) {
        return r.namespace() == null ? r.name() : r.namespace() + "/" + r.name();
    }
}
