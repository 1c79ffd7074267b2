package io.drover.cli.lab;

import io.drover.agent.kernel.linux.LinuxKernel;
import io.drover.cli.CliException;
import io.drover.cli.DroverCommand;
import io.drover.cli.Main;
import io.drover.lab.runtime.LabException;
import io.drover.lab.runtime.LabLauncher;
import io.drover.lab.runtime.LabNames;
import io.drover.lab.runtime.LabState;
import io.drover.lab.runtime.LabStateStore;
import io.drover.lab.runtime.LabTeardown;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code drover lab up}: builds a lab and waits until its server answers and every node is Ready. */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = {"Start a lab: the fabric and node namespaces, an API server on 127.0.0.1 and an agent per node;"
                + " with --store etcd, etcd members inside the lab; with --underlay routed, a router between two"
                + " segments.",
                "Afterwards every drover verb talks to the lab's server without --server."})
public final class LabUpCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--name", defaultValue = LabNames.DEFAULT_LAB, paramLabel = "NAME",
            description = "The lab's name (lowercase letters, digits, '-'). Default: ${DEFAULT-VALUE}.")
    String name;

    @Option(names = "--mode", defaultValue = "routed", paramLabel = "MODE",
            description = "How pods reach pods of other nodes: routed (host-gw) or vxlan. Default: ${DEFAULT-VALUE}.")
    String mode;

    @Option(names = "--nodes", defaultValue = "1", paramLabel = "N", description = "How many nodes. Default: ${DEFAULT-VALUE}.")
    int nodes;

    @Option(names = "--underlay", defaultValue = "flat", paramLabel = "KIND",
            description = {"The nodes' network: flat (one L2 segment, 172.31.0.0/24) or routed (two segments,"
                    + " 172.31.1.0/24 and 172.31.2.0/24, joined by router namespace drl-NAME-router; nodes alternate"
                    + " between them). Default: ${DEFAULT-VALUE}.",
                    "Routed mode needs the peers on the node's own segment: over a routed underlay only vxlan reaches"
                            + " every node (routed mode is allowed, and the agents report the peers they cannot reach)."})
    String underlay;

    @Option(names = "--store", defaultValue = "embedded", paramLabel = "KIND",
            description = "Where the lab's state lives: embedded (SQLite in the lab's directory, one server) or etcd"
                    + " (etcd members inside the lab, in its fabric namespace). Default: ${DEFAULT-VALUE}.")
    String store;

    @Option(names = "--etcd-members", paramLabel = "N",
            description = "With --store etcd: how many etcd members, 1, 3 or 5 (on 172.31.0.201 and up). Default: 1.")
    Integer etcdMembers;

    @Option(names = "--servers", defaultValue = "1", paramLabel = "N",
            description = "How many API servers (1 to 3; more than one needs --store etcd: they elect a leader through"
                    + " it). Default: ${DEFAULT-VALUE}.")
    int servers;

    @Option(names = "--dns", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = {"Run the cluster DNS (on by default; --no-dns leaves it out): service kube-system/kube-dns at"
                    + " 10.96.0.10, port 53 UDP and TCP, answered on every node; pods' resolv.conf names it (search"
                    + " NS.svc.cluster.local svc.cluster.local cluster.local, ndots:5), and so do CNI results.",
                    "Other names go to a resolver inside the lab that stands in for the outside world (zone"
                            + " example.com); nothing is asked outside the lab."})
    boolean dns;

    @Option(names = "--timeout", defaultValue = "60", paramLabel = "SECONDS",
            description = "How long the server and agents may take to come up. Default: ${DEFAULT-VALUE}.")
    int timeoutSeconds;

    private final DroverCommand drover;

    public LabUpCommand(DroverCommand drover) {
        this.drover = drover;
    }

    @Override
    public Integer call() {
        LabLauncher.Options options;
        try {
            options = LabLauncher.Options.of(name, nodes, Duration.ofSeconds(Math.max(1, timeoutSeconds)), mode, underlay,
                    store, etcdMembers, servers, dns);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        RootCheck.require("lab up");
        PrintWriter out = spec.commandLine().getOut();
        LabStateStore labs = LabDirectory.store(drover.context());
        out.printf("Starting lab %s with %d node%s (mode %s, underlay %s, store %s%s%s) ...%n", name, nodes,
                nodes == 1 ? "" : "s", options.mode(), options.underlay().label(), options.store(),
                options.etcdMembers() > 0 ? " with " + options.etcdMembers() + " member" + (options.etcdMembers() == 1
                        ? "" : "s") : "", options.servers() > 1 ? ", " + options.servers() + " servers" : "");
        for (String warning : options.warnings()) {
            out.println("  warning: " + warning);
        }
        out.flush();
        try (LinuxKernel kernel = new LinuxKernel()) {
            LabState state = upOrUndo(kernel, labs, options, out);
            printUsage(out, state);
            return 0;
        } catch (LabException e) {
            throw new CliException(e.getMessage());
        } finally {
            out.flush();
        }
    }

    /**
     * The launcher undoes a failed start itself; this also undoes one cut short by Ctrl-C, which ends the JVM
     * without unwinding it (only shutdown hooks run).
     */
    private static LabState upOrUndo(LinuxKernel kernel, LabStateStore store, LabLauncher.Options options, PrintWriter out) {
        AtomicBoolean finished = new AtomicBoolean();
        Thread undo = new Thread(() -> {
            if (!finished.get()) {
                new LabTeardown(kernel, store, Duration.ofSeconds(2)).tearDown(options.name());
            }
        }, "drover-lab-up-undo");
        Runtime.getRuntime().addShutdownHook(undo);
        try {
            LabLauncher launcher = new LabLauncher(kernel, store, LabLauncher.Launch.thisJvm(Main.class.getName()),
                    line -> {
                        out.println("  " + line);
                        out.flush();
                    });
            return launcher.up(options);
        } finally {
            finished.set(true);
            try {
                Runtime.getRuntime().removeShutdownHook(undo);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs now and finds the lab finished (or undone by the launcher)
            }
        }
    }

    private static void printUsage(PrintWriter out, LabState state) {
        String lab = state.name();
        List<String> servers = state.servers().stream().map(LabState.Server::url).toList();
        out.printf("Lab %s is up: %s %s, %s. The CLI uses %s by itself now:%n", lab,
                servers.size() == 1 ? "server" : "servers", String.join(", ", servers),
                state.nodes() == 1 ? "node node-1" : "nodes node-1 to node-" + state.nodes(),
                servers.size() == 1 ? "this server" : "the first of them that answers");
        out.println("  drover apply -f examples/lab.yaml            # networks and pods; pods that name no node are placed");
        out.println("  drover get pods -A -o wide");
        out.println("  drover probe                                 # who reaches whom: one matrix per port");
        out.println("  drover lab exec NAMESPACE/POD -- ip address  # a command inside a pod's network namespace");
        LabState.ClusterDnsRecord clusterDns = state.effectiveTopology().clusterDns();
        if (clusterDns != null) {
            out.println("  drover lab exec NAMESPACE/POD -- dig +search SVC   # the cluster DNS at " + clusterDns.clusterIp()
                    + " (needs dig on this machine: bind9-dnsutils)");
        }
        out.println("  drover lab node stop|start|cut|heal node-1   # faults: an agent stopped, a node cut off the underlay");
        if (!state.effectiveTopology().etcd().isEmpty()) {
            out.println("  drover lab etcd stop|start etcd-1            # an etcd member down and back");
        }
        out.println("  drover lab server stop|start 1               # an API server down and back");
        out.println("  drover lab status                            # members, servers and nodes, and which are up");
        out.println("  drover lab down --name " + lab + "    # removes everything the lab made");
    }
}
