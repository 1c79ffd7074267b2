package io.drover.lab.runtime;

import io.drover.agent.kernel.Kernel;
import io.drover.api.client.ApiError;
import io.drover.api.client.DroverClient;
import io.drover.api.client.ServerUrls;
import io.drover.lab.dns.ClusterDnsPlan;
import io.drover.lab.dns.LabClusterDns;
import io.drover.lab.relay.TcpRelay;
import io.drover.model.ResourceKind;
import io.drover.model.meta.ObjectMeta;
import io.drover.model.net.IpAddresses;
import io.drover.model.node.Node;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@code drover lab up}: builds a lab and starts it. In order: the fabric, router (a routed underlay) and node
 * namespaces ({@link LabFabric}); for a lab on etcd, the relay and the etcd members (in the fabric namespace, each on
 * an underlay address of its own, data in the lab's directory); the {@code drover server}s (in this process's
 * namespace, on 127.0.0.1 and free ports, placing pods that name no node; on etcd through the relay, since the lab
 * has no link to this namespace); the lab's nodes registered as Nodes with their underlay addresses; one
 * {@code drover agent --lab} per node (also in this namespace: it programs its node's namespace through the kernel
 * and reaches the server over loopback, through the relay's API front when there are several servers). It returns
 * once every agent has synced and reported its node ready, and records everything in the lab state as it goes, so
 * that {@code lab down} undoes a lab even when this was interrupted. All or nothing: when a step fails, what was
 * made is torn down before the error is thrown.
 *
 * <p>The servers, agents and relay are the same program as the command that starts the lab: {@link Launch} says how
 * to run it (the same java, class path and main class).
 */
public final class LabLauncher {

    /** The environment variable (and its use in children) that points at a lab state directory other than the default. */
    public static final String LAB_DIR_ENV = "DROVER_LAB_DIR";

    /**
     * How to run {@code drover VERB ...} as a process.
     *
     * @param command the java executable, its options, the class path and the main class; the verb follows
     */
    public record Launch(List<String> command) {
        public Launch {
            command = List.copyOf(command);
        }

        /** The java of this process, with this class path and main class. */
        public static Launch thisJvm(String mainClass) {
            String java = ProcessHandle.current().info().command().orElse(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString());
            // Native access for the kernel calls (FFM); the launcher's small-footprint flags, as labs run several JVMs.
            return new Launch(List.of(java, "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp", System.getProperty("java.class.path"), mainClass));
        }

        public List<String> verb(String... args) {
            List<String> full = new ArrayList<>(command);
            full.addAll(List.of(args));
            return full;
        }
    }

    /**
     * What {@code lab up} builds.
     *
     * @param name        the lab's name
     * @param nodes       how many nodes
     * @param timeout     how long the members, servers and agents may take to come up
     * @param mode        how pods reach pods of other nodes: {@code routed} (host-gw) or {@code vxlan}
     * @param underlay    one L2 segment ({@code flat}) or two joined by a router ({@code routed})
     * @param store       {@code embedded} (SQLite in the lab's directory; one server) or {@code etcd}
     * @param etcdMembers how many etcd members (1, 3 or 5) with {@code etcd}; 0 with {@code embedded}
     * @param servers     how many API servers (1 to 3; more than one needs etcd)
     * @param dns         whether the lab runs the cluster DNS ({@link ClusterDnsPlan}) and gives its pods a resolver
     *                    configuration naming it
     */
    public record Options(String name, int nodes, Duration timeout, String mode, FabricLayout.Kind underlay, String store,
            int etcdMembers, int servers, boolean dns) {
        public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
        public static final String ROUTED = "routed";
        public static final String VXLAN = "vxlan";
        public static final String EMBEDDED = LabState.Topology.EMBEDDED;
        public static final String ETCD = LabState.Topology.ETCD;
        public static final int MAX_SERVERS = 3;

        public Options(String name, int nodes, Duration timeout) {
            this(name, nodes, timeout, ROUTED);
        }

        public Options(String name, int nodes, Duration timeout, String mode) {
            this(name, nodes, timeout, mode, FabricLayout.Kind.FLAT, EMBEDDED, 0, 1, true);
        }

        /**
         * The options as {@code lab up} takes them: {@code etcdMembers} null means the default (1 with etcd), and
         * {@code underlay} is a word.
         */
        public static Options of(String name, int nodes, Duration timeout, String mode, String underlay, String store,
                Integer etcdMembers, int servers) {
            return of(name, nodes, timeout, mode, underlay, store, etcdMembers, servers, true);
        }

        /** As above; {@code dns} false leaves the cluster DNS out (a lab that does not need names starts faster). */
        public static Options of(String name, int nodes, Duration timeout, String mode, String underlay, String store,
                Integer etcdMembers, int servers, boolean dns) {
            String s = store == null ? EMBEDDED : store;
            if (!s.equals(EMBEDDED) && !s.equals(ETCD)) {
                throw new IllegalArgumentException("--store " + s + ": a lab keeps its state in the embedded store"
                        + " (SQLite, one server) or in etcd (members inside the lab, any number of servers)");
            }
            if (s.equals(EMBEDDED) && etcdMembers != null) {
                throw new IllegalArgumentException("--etcd-members goes with --store etcd; the embedded store has no"
                        + " members (add --store etcd)");
            }
            int members = s.equals(ETCD) ? (etcdMembers == null ? 1 : etcdMembers) : 0;
            return new Options(name, nodes, timeout, mode,
                    FabricLayout.Kind.parse(underlay == null ? FabricLayout.Kind.FLAT.label() : underlay), s, members,
                    servers, dns);
        }

        public Options {
            mode = mode == null ? ROUTED : mode;
            underlay = underlay == null ? FabricLayout.Kind.FLAT : underlay;
            store = store == null ? EMBEDDED : store;
            if (!mode.equals(ROUTED) && !mode.equals(VXLAN)) {
                throw new IllegalArgumentException("--mode " + mode + ": a lab routes between its nodes in routed"
                        + " (host-gw) or vxlan mode");
            }
            String problem = LabNames.validate(name);
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
            if (nodes < 1 || nodes > LabNames.MAX_NODES) {
                throw new IllegalArgumentException("a lab has 1 to " + LabNames.MAX_NODES + " nodes, not " + nodes);
            }
            if (!store.equals(EMBEDDED) && !store.equals(ETCD)) {
                throw new IllegalArgumentException("--store " + store + ": a lab keeps its state in the embedded store"
                        + " or in etcd");
            }
            if (store.equals(EMBEDDED)) {
                if (etcdMembers != 0) {
                    throw new IllegalArgumentException("--etcd-members goes with --store etcd");
                }
                if (servers != 1) {
                    throw new IllegalArgumentException("--servers " + servers + " needs --store etcd: the embedded store"
                            + " is a file of one server; several servers share an etcd cluster (add --store etcd)");
                }
            } else {
                if (etcdMembers != 1 && etcdMembers != 3 && etcdMembers != 5) {
                    throw new IllegalArgumentException("--etcd-members " + etcdMembers + ": an etcd cluster has 1, 3 or"
                            + " 5 members (an odd number: a majority must agree)");
                }
                if (nodes >= FabricLayout.FIRST_MEMBER_HOST) {
                    throw new IllegalArgumentException("a lab on etcd has at most " + (FabricLayout.FIRST_MEMBER_HOST - 1)
                            + " nodes, not " + nodes + ": the members take underlay addresses ."
                            + FabricLayout.FIRST_MEMBER_HOST + " and up");
                }
            }
            if (servers < 1 || servers > MAX_SERVERS) {
                throw new IllegalArgumentException("--servers " + servers + ": a lab has 1 to " + MAX_SERVERS + " servers");
            }
        }

        /** What works differently than one might expect, for {@code lab up} to say before it starts. */
        public List<String> warnings() {
            if (mode.equals(ROUTED) && underlay == FabricLayout.Kind.ROUTED && nodes > 1) {
                return List.of("routed mode over a routed underlay: host-gw routes need the peer on the node's own L2"
                        + " segment, so pods reach pods of nodes on the same segment only; each agent reports the"
                        + " others as a warning in its Node's status (drover describe node NODE). Use --mode vxlan to"
                        + " reach every node through the router.");
            }
            return List.of();
        }
    }

    public static final String SERVER_ROLE = "server";
    public static final String RELAY_ROLE = "relay";
    public static final String ETCD_ROLE_PREFIX = "etcd-";
    public static final int ETCD_CLIENT_PORT = 2379;
    public static final int ETCD_PEER_PORT = 2380;
    /** The etcd binary: {@code $DROVER_ETCD}, else Debian's (package etcd-server). */
    public static final String ETCD_ENV = "DROVER_ETCD";
    public static final Path DEFAULT_ETCD = Path.of("/usr/bin/etcd");
    private static final Duration POLL = Duration.ofMillis(50);

    private final Kernel kernel;
    private final LabStateStore store;
    private final Launch launch;
    private final Consumer<String> progress;

    /** @param progress told one line per step, e.g. to print while the lab comes up */
    public LabLauncher(Kernel kernel, LabStateStore store, Launch launch, Consumer<String> progress) {
        this.kernel = kernel;
        this.store = store;
        this.launch = launch;
        this.progress = progress;
    }

    public static String agentRole(String node) {
        return "agent-" + node;
    }

    /** The process role of server {@code n} (1-based): {@code server} for the first, {@code server-N} for others. */
    public static String serverRole(int n) {
        return n == 1 ? SERVER_ROLE : SERVER_ROLE + "-" + n;
    }

    public static boolean isServerRole(String role) {
        return role.equals(SERVER_ROLE) || role.matches(SERVER_ROLE + "-[0-9]+");
    }

    public static String etcdName(int i) {
        return ETCD_ROLE_PREFIX + i;
    }

    /** The etcd binary this machine has, or an error that says how to get one. */
    public static Path etcdExecutable() {
        String configured = System.getenv(ETCD_ENV);
        Path etcd = configured == null || configured.isBlank() ? DEFAULT_ETCD : Path.of(configured);
        if (!Files.isExecutable(etcd)) {
            throw new LabException("a lab on etcd needs the etcd binary, which is not at " + etcd + ": install it"
                    + " (apt-get install etcd-server) or name it in $" + ETCD_ENV);
        }
        return etcd;
    }

    /** Builds and starts the lab; returns its state (with the server's URL). */
    public LabState up(Options options) {
        LabNames names = LabNames.of(options.name());
        if (options.store().equals(Options.ETCD)) {
            etcdExecutable();
        }
        refuseExisting(names);
        LabState initial = LabState.create(options.name(), options.nodes())
                .withTopology(new LabState.Topology(options.mode(), options.underlay().label(), options.store(),
                        List.of(), List.of(), null));
        store.save(initial);
        try {
            return start(names, initial, options);
        } catch (RuntimeException e) {
            try {
                new LabTeardown(kernel, store, Duration.ofSeconds(5)).tearDown(options.name());
            } catch (RuntimeException undo) {
                e.addSuppressed(undo);
            }
            throw e;
        }
    }

    private void refuseExisting(LabNames names) {
        boolean leftovers = kernel.namespaces().stream().anyMatch(names::owns);
        if (store.load(names.lab()).isPresent() || leftovers) {
            throw new LabException("lab " + names.lab() + " already exists" + (leftovers ? " (its namespaces are there)" : "")
                    + "; run 'drover lab down --name " + names.lab() + "' first, or choose another --name");
        }
    }

    private LabState start(LabNames names, LabState initial, Options options) {
        long deadline = System.nanoTime() + options.timeout().toNanos();
        String lab = options.name();
        FabricLayout layout = FabricLayout.plan(lab, options.nodes(), options.underlay());
        new LabFabric(kernel).create(layout, options.etcdMembers(), ns -> store.update(lab, initial, s -> s.withNamespace(ns)));
        progress.accept(describeFabric(layout));

        LabProcesses processes = new LabProcesses(store, initial);
        Map<String, String> env = Map.of(LAB_DIR_ENV, store.dir().toString());
        Path labDir = store.labDir(lab);

        List<String> etcdEndpoints = List.of();
        Path apiTargets = labDir.resolve("api.targets");
        Map<String, Integer> relayPorts = Map.of();
        if (options.store().equals(Options.ETCD)) {
            relayPorts = startRelay(processes, layout, options, apiTargets, env, deadline);
            etcdEndpoints = startEtcd(processes, layout, options, relayPorts, env, deadline);
        }

        // The servers: started together (each JVM takes a moment), then awaited one by one.
        Path data = labDir.resolve("data");
        List<LabState.ProcessRecord> serverProcesses = new ArrayList<>();
        for (int n = 1; n <= options.servers(); n++) {
            List<String> args = new ArrayList<>(List.of("server"));
            if (options.store().equals(Options.EMBEDDED)) {
                args.addAll(List.of("--data", data.toString()));
            } else {
                args.addAll(List.of("--store", "etcd", "--etcd-endpoints", String.join(",", etcdEndpoints)));
            }
            args.addAll(List.of("--listen", "127.0.0.1:0", "--lab-placement", "--url-file",
                    serverUrlFile(labDir, n).toString()));
            layout.loadBalancerPool().ifPresent(pool -> args.addAll(List.of("--load-balancer-pool", pool)));
            serverProcesses.add(processes.start(serverRole(n), null, launch.verb(args.toArray(String[]::new)), env));
        }
        List<LabState.Server> servers = new ArrayList<>();
        for (int n = 1; n <= options.servers(); n++) {
            LabState.ProcessRecord server = serverProcesses.get(n - 1);
            URI url = awaitServerUrl(server, serverUrlFile(labDir, n), deadline);
            // Started again ('lab server start'), a server listens where it did: agents and the API front know it there.
            List<String> fixedPort = server.command().stream()
                    .map(a -> a.equals("127.0.0.1:0") ? url.getHost() + ":" + url.getPort() : a).toList();
            servers.add(new LabState.Server("server-" + n, server.role(), url.toString()));
            List<LabState.Server> known = List.copyOf(servers);
            store.update(lab, initial, s -> s.withProcessReplaced(server.withCommand(fixedPort))
                    .withTopology(s.effectiveTopology().withServers(known)));
        }
        URI url = ServerUrls.parse(servers.getFirst().url());
        store.update(lab, initial, s -> s.withServer(url.toString(),
                options.store().equals(Options.EMBEDDED) ? data.toString() : null));
        String agentServer = url.toString();
        if (options.servers() > 1) {
            TcpRelay.writeTargets(apiTargets, servers.stream()
                    .map(s -> new TcpRelay.Target(null, URI.create(s.url()).getHost(), URI.create(s.url()).getPort()))
                    .toList());
            agentServer = "http://127.0.0.1:" + relayPorts.get(API_FORWARD);
            String front = agentServer;
            store.update(lab, initial, s -> s.withTopology(s.effectiveTopology().withApiUrl(front)));
        }
        for (int n = 1; n <= options.servers(); n++) {
            try (DroverClient client = new DroverClient(ServerUrls.parse(servers.get(n - 1).url()))) {
                awaitHealthy(client, serverProcesses.get(n - 1), deadline);
            }
        }
        progress.accept((servers.size() == 1 ? "server: " : "servers: ") + String.join(", ", servers.stream()
                .map(s -> s.name() + " " + ServerUrls.display(URI.create(s.url()))).toList())
                + " (pid" + (servers.size() == 1 ? " " : "s ") + String.join(", ", serverProcesses.stream()
                        .map(p -> Long.toString(p.pid())).toList()) + ", "
                + (options.store().equals(Options.EMBEDDED) ? "data in " + data : "store etcd") + ")"
                + (options.servers() > 1 ? "; agents reach them through the API front " + agentServer : ""));

        ClusterDnsPlan dnsPlan = options.dns() ? ClusterDnsPlan.of(layout) : null;
        LabClusterDns dns = dnsPlan == null ? null : new LabClusterDns(kernel, processes, launch, dnsPlan);
        try (DroverClient client = new DroverClient(url)) {
            for (FabricLayout.Node node : layout.nodes()) {
                register(client, node);
            }
            if (dns != null) {
                // Before the agents: their first sync balances the DNS service, so pods can ask it at once.
                dns.register(client);
                store.update(lab, initial, s -> s.withTopology(s.effectiveTopology().withClusterDns(
                        new LabState.ClusterDnsRecord(dnsPlan.clusterIp(), dnsPlan.domain()))));
            }
            List<LabState.ProcessRecord> agents = new ArrayList<>();
            for (FabricLayout.Node node : layout.nodes()) {
                List<String> args = new ArrayList<>(List.of("agent", "--lab", lab, "--node", node.name(), "--server",
                        agentServer, "--cross-node", options.mode(), "--address", IpAddresses.format(node.address().ip())));
                if (dnsPlan != null) {
                    args.addAll(List.of("--cluster-dns", dnsPlan.clusterIp(), "--cluster-domain", dnsPlan.domain()));
                }
                agents.add(processes.start(agentRole(node.name()), null, launch.verb(args.toArray(String[]::new)), env));
            }
            LabClusterDns.Started dnsProcesses = dns == null ? null : dns.start(labDir, agentServer, env);
            for (int i = 0; i < agents.size(); i++) {
                awaitReady(client, layout.nodes().get(i).name(), agents.get(i), deadline);
            }
            progress.accept("agents: " + String.join(", ", layout.nodes().stream().map(FabricLayout.Node::name).toList())
                    + " ready (pids " + String.join(", ", agents.stream().map(a -> Long.toString(a.pid())).toList()) + ")");
            if (dns != null) {
                dns.await(dnsProcesses, deadline, progress);
            }
        }
        return store.load(lab).orElseThrow(() -> new LabException("the state of lab " + lab
                + " disappeared while it started; was 'drover lab down' run at the same time?"));
    }

    static final String API_FORWARD = "api";

    static Path serverUrlFile(Path labDir, int n) {
        return labDir.resolve(serverRole(n) + ".url");
    }

    private static String describeFabric(FabricLayout layout) {
        String nodes = String.join(", ", layout.nodes().stream()
                .map(n -> n.name() + " " + n.namespace().name() + " " + n.address()).toList());
        if (layout.router() == null) {
            return "fabric: namespace " + layout.fabric().name() + " with bridge " + layout.bridge() + " ("
                    + layout.fabricAddress() + "); nodes: " + nodes;
        }
        return "fabric: namespace " + layout.fabric().name() + " with bridges " + String.join(", ", layout.segments()
                .stream().map(s -> s.bridge() + " (" + s.subnet() + ")").toList()) + ", router "
                + layout.router().namespace().name() + " (" + String.join(", ", layout.router().ports().stream()
                        .map(p -> p.address().toString()).toList()) + "); nodes: " + nodes;
    }

    /**
     * The lab's relay (a lab on etcd): one loopback port per etcd member, forwarded into the fabric namespace where
     * the members listen on their lab addresses, and with several servers the API front. Returns its ports by name.
     */
    private Map<String, Integer> startRelay(LabProcesses processes, FabricLayout layout, Options options, Path apiTargets,
            Map<String, String> env, long deadline) {
        Path portsFile = store.labDir(options.name()).resolve("relay.ports");
        List<String> args = new ArrayList<>(List.of("lab", "relay", "--lab", options.name(), "--ports-file",
                portsFile.toString()));
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= options.etcdMembers(); i++) {
            names.add(etcdName(i));
            args.addAll(List.of("--forward", etcdName(i) + "=0=" + layout.fabric().name() + "/"
                    + IpAddresses.format(layout.memberAddress(i).ip()) + ":" + ETCD_CLIENT_PORT));
        }
        if (options.servers() > 1) {
            names.add(API_FORWARD);
            args.addAll(List.of("--forward", API_FORWARD + "=0=@" + apiTargets));
        }
        LabState.ProcessRecord relay = processes.start(RELAY_ROLE, null, launch.verb(args.toArray(String[]::new)), env);
        while (true) {
            Map<String, Integer> ports = TcpRelay.readPorts(portsFile);
            if (ports.keySet().containsAll(names)) {
                return ports;
            }
            checkRunning(relay, "the lab's relay");
            checkDeadline(deadline, "the lab's relay did not start listening", relay);
            sleep();
        }
    }

    /** Starts the etcd members in the fabric namespace and waits until each is healthy; returns their relay URLs. */
    private List<String> startEtcd(LabProcesses processes, FabricLayout layout, Options options,
            Map<String, Integer> relayPorts, Map<String, String> env, long deadline) {
        String lab = options.name();
        Path etcd = etcdExecutable();
        List<String> peers = new ArrayList<>();
        for (int i = 1; i <= options.etcdMembers(); i++) {
            peers.add(etcdName(i) + "=http://" + IpAddresses.format(layout.memberAddress(i).ip()) + ":" + ETCD_PEER_PORT);
        }
        List<LabState.EtcdMember> members = new ArrayList<>();
        List<LabState.ProcessRecord> started = new ArrayList<>();
        Map<String, String> etcdEnv = new java.util.HashMap<>(env);
        String arch = System.getProperty("os.arch", "");
        if (!arch.equals("amd64") && !arch.equals("x86_64") && !arch.equals("ppc64le")) {
            etcdEnv.put("ETCD_UNSUPPORTED_ARCH", arch.equals("aarch64") ? "arm64" : arch);
        }
        for (int i = 1; i <= options.etcdMembers(); i++) {
            String name = etcdName(i);
            String ip = IpAddresses.format(layout.memberAddress(i).ip());
            String client = "http://" + ip + ":" + ETCD_CLIENT_PORT;
            String peer = "http://" + ip + ":" + ETCD_PEER_PORT;
            Path dataDir = store.labDir(lab).resolve("etcd").resolve(name);
            try {
                Files.createDirectories(dataDir.getParent());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create " + dataDir.getParent(), e);
            }
            List<String> command = List.of(etcd.toString(), "--name", name, "--data-dir", dataDir.toString(),
                    "--listen-client-urls", client, "--advertise-client-urls", client,
                    "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                    "--initial-cluster", String.join(",", peers), "--initial-cluster-state", "new",
                    "--initial-cluster-token", "drover-lab-" + lab, "--logger", "zap", "--log-outputs", "stderr");
            String relayUrl = "http://127.0.0.1:" + relayPorts.get(name);
            members.add(new LabState.EtcdMember(name, client, peer, relayUrl, dataDir.toString()));
            List<LabState.EtcdMember> known = List.copyOf(members);
            started.add(processes.start(name, layout.fabric().name(), command, etcdEnv));
            store.update(lab, LabState.create(lab, options.nodes()), s -> s.withTopology(s.effectiveTopology().withEtcd(known)));
        }
        for (int i = 0; i < members.size(); i++) {
            awaitEtcdHealthy(members.get(i), started.get(i), deadline);
        }
        progress.accept("etcd: " + String.join(", ", members.stream().map(m -> m.name() + " " + m.clientUrl()).toList())
                + " in " + layout.fabric().name() + " (pids " + String.join(", ", started.stream()
                        .map(p -> Long.toString(p.pid())).toList()) + "), reached from this machine through the relay ("
                + String.join(", ", members.stream().map(LabState.EtcdMember::relayUrl).toList()) + ")");
        return members.stream().map(LabState.EtcdMember::relayUrl).toList();
    }

    /** Waits until an etcd member answers {@code /health} with health true (it has a leader). */
    static void awaitEtcdHealthy(LabState.EtcdMember member, LabState.ProcessRecord process, long deadline) {
        String last = "no answer yet";
        while (true) {
            EtcdHealth health = EtcdHealth.of(member.relayUrl());
            if (health.healthy()) {
                return;
            }
            last = health.text();
            checkRunning(process, "etcd member " + member.name());
            checkDeadline(deadline, "etcd member " + member.name() + " did not report healthy (" + last + ")", process);
            sleep();
        }
    }

    private static void register(DroverClient client, FabricLayout.Node node) {
        Node wanted = Node.of(ObjectMeta.named(node.name()), new Node.NodeSpec(IpAddresses.format(node.address().ip())));
        try {
            client.create(wanted);
        } catch (ApiError e) {
            if (e.code() != 409) {
                throw e;
            }
        }
    }

    /** The server writes its URL to a file once it listens (it picks a free port, so nothing else could tell). */
    static URI awaitServerUrl(LabState.ProcessRecord server, Path urlFile, long deadline) {
        while (true) {
            Optional<String> url = readIfPresent(urlFile);
            if (url.isPresent()) {
                return ServerUrls.parse(url.get());
            }
            checkRunning(server, "the lab's server");
            checkDeadline(deadline, "the lab's server did not start listening", server);
            sleep();
        }
    }

    static void awaitHealthy(DroverClient client, LabState.ProcessRecord server, long deadline) {
        while (!client.healthy()) {
            checkRunning(server, "the lab's server");
            checkDeadline(deadline, "the lab's server does not answer on " + client.server(), server);
            sleep();
        }
    }

    /** A node is ready when its agent has synced it once and said so in the Node's status. */
    private static void awaitReady(DroverClient client, String node, LabState.ProcessRecord agent, long deadline) {
        while (true) {
            Optional<Node> current = client.find(ResourceKind.NODE, null, node).map(Node.class::cast);
            if (current.map(n -> n.status() != null && Boolean.TRUE.equals(n.status().ready())).orElse(false)) {
                return;
            }
            checkRunning(agent, "the agent of " + node);
            checkDeadline(deadline, "the agent of " + node + " did not report its node ready", agent);
            sleep();
        }
    }

    public static void checkRunning(LabState.ProcessRecord process, String what) {
        if (!process.identity().isRunning()) {
            throw new LabException(what + " exited" + LabProcesses.tail(Path.of(process.log())));
        }
    }

    public static void checkDeadline(long deadline, String what, LabState.ProcessRecord process) {
        if (System.nanoTime() - deadline > 0) {
            throw new LabException(what + " in time" + LabProcesses.tail(Path.of(process.log())));
        }
    }

    private static Optional<String> readIfPresent(Path file) {
        try {
            String text = Files.readString(file).trim();
            return text.isEmpty() ? Optional.empty() : Optional.of(text);
        } catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    public static void sleep() {
        try {
            Thread.sleep(POLL);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while the lab was starting");
        }
    }
}
