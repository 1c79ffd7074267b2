package io.drover.lab.runtime;

import io.drover.agent.kernel.Kernel;
import io.drover.api.client.DroverClient;
import io.drover.api.client.ServerUrls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The faults a lab can be put through on purpose, and their repair: a node's agent stopped and started again
 * ({@code lab node stop|start}), a node cut off the underlay and joined again ({@code lab node cut|heal}), an etcd
 * member or an API server stopped and started again ({@code lab etcd|server stop|start}).
 *
 * <p>A stopped process keeps its record in the lab state, marked stopped, and is started again with the very
 * command it had (its log appended to), so that {@code lab status} tells a fault made on purpose from a crash and
 * {@code lab down} still finds everything. A process is only ever signalled by its recorded PID and start time.
 * A cut is the node's port on the fabric bridge set down (in the fabric namespace): the node keeps its interfaces,
 * addresses and routes, and works again as soon as the port is up; its agent still reaches the server, which runs
 * beside it on this machine's loopback, so a cut is a partition of the data plane only.
 *
 * <p>Each method returns what it did, in lines for the CLI to print; a name the lab does not have is an error that
 * lists the names it has.
 */
public final class LabFaults {

    private static final Pattern NUMBERED = Pattern.compile("(?:([a-z]+)-)?([1-9][0-9]*)");
    private static final Duration AGENT_GRACE = Duration.ofSeconds(5);
    private static final Duration SERVER_GRACE = Duration.ofSeconds(10);
    private static final Duration ETCD_GRACE = Duration.ofSeconds(5);

    private final Kernel kernel;
    private final LabStateStore store;
    private final Duration timeout;

    /** @param timeout how long a process started again may take to be ready */
    public LabFaults(Kernel kernel, LabStateStore store, Duration timeout) {
        this.kernel = kernel;
        this.store = store;
        this.timeout = timeout;
    }

    /**
     * The lab a fault verb acts on: the named one, or the only one that has a state file on this machine (a lab
     * whose servers are all stopped is not "up", but still has faults to repair).
     */
    public static LabState choose(LabStateStore store, String name) {
        if (name != null) {
            String problem = LabNames.validate(name);
            if (problem != null) {
                throw new LabException(problem);
            }
            return store.load(name).orElseThrow(() -> new LabException("there is no lab " + name + " on this machine"
                    + others(store.labs()) + "; start it with 'drover lab up --name " + name + "'"));
        }
        List<String> labs = store.labs();
        if (labs.isEmpty()) {
            throw new LabException("no lab is on this machine; start one with 'drover lab up'");
        }
        if (labs.size() > 1) {
            throw new LabException("several labs are on this machine (" + String.join(", ", labs)
                    + "); say which one with --lab NAME");
        }
        return store.load(labs.getFirst()).orElseThrow(() -> new LabException("lab " + labs.getFirst()
                + " went away meanwhile"));
    }

    private static String others(List<String> labs) {
        return labs.isEmpty() ? "" : " (labs here: " + String.join(", ", labs) + ")";
    }

    // Nodes.

    /** Stops a node's agent (SIGTERM, then SIGKILL after a grace period). */
    public List<String> nodeStop(LabState lab, String nodeArg) {
        String node = node(lab, nodeArg);
        LabState.ProcessRecord agent = recorded(lab, LabLauncher.agentRole(node), "the agent of " + node);
        if (!agent.identity().isRunning()) {
            markStopped(lab, agent);
            return List.of("the agent of " + node + " is not running" + (agent.stopped() ? " (stopped before)" : "")
                    + "; start it with 'drover lab node start " + node + labOption(lab) + "'");
        }
        new LabProcesses(store, lab).stopKeepingRecord(agent, AGENT_GRACE);
        return List.of("stopped the agent of " + node + " (pid " + agent.pid() + ")",
                "its data plane stays as it is (interfaces, routes, rules): pods' connections keep flowing; the echo"
                        + " servers of its pods live in the agent and stop with it, pods' commands keep running",
                "start it again with 'drover lab node start " + node + labOption(lab) + "'");
    }

    /** Starts a node's agent again with its recorded command and waits until it runs (has synced its node). */
    public List<String> nodeStart(LabState lab, String nodeArg) {
        String node = node(lab, nodeArg);
        LabState.ProcessRecord agent = recorded(lab, LabLauncher.agentRole(node), "the agent of " + node);
        if (agent.identity().isRunning()) {
            return List.of("the agent of " + node + " is running already (pid " + agent.pid() + ")");
        }
        long logSize = size(Path.of(agent.log()));
        LabState.ProcessRecord started = new LabProcesses(store, lab).restart(agent, env());
        long deadline = System.nanoTime() + timeout.toNanos();
        String running = "Drover agent of node " + node + " running";
        while (!logSince(Path.of(started.log()), logSize).contains(running)) {
            LabLauncher.checkRunning(started, "the agent of " + node);
            LabLauncher.checkDeadline(deadline, "the agent of " + node + " did not start", started);
            LabLauncher.sleep();
        }
        return List.of("started the agent of " + node + " again (pid " + started.pid() + "): it adopted its node's"
                + " data plane and runs its pods' echo servers again");
    }

    /** Cuts a node off the underlay: its port on the fabric bridge goes down. */
    public List<String> nodeCut(LabState lab, String nodeArg) {
        String node = node(lab, nodeArg);
        FabricLayout layout = layout(lab);
        FabricLayout.Node n = layout.node(node);
        new LabFabric(kernel).setNodeLink(layout, node, false);
        store.update(lab.name(), lab, s -> s.withCut(node, true));
        return List.of("cut " + node + " off the underlay (its port " + n.fabricPort() + " on bridge " + n.bridge()
                        + " in " + layout.fabric().name() + " is down): its pods cannot reach or be reached from other"
                        + " nodes; its agent still reaches the server",
                "join it again with 'drover lab node heal " + node + labOption(lab) + "'");
    }

    /** Joins a cut node to the underlay again: its port on the fabric bridge goes up. */
    public List<String> nodeHeal(LabState lab, String nodeArg) {
        String node = node(lab, nodeArg);
        FabricLayout layout = layout(lab);
        FabricLayout.Node n = layout.node(node);
        new LabFabric(kernel).setNodeLink(layout, node, true);
        store.update(lab.name(), lab, s -> s.withCut(node, false));
        return List.of("healed " + node + " (its port " + n.fabricPort() + " on bridge " + n.bridge() + " is up again):"
                + " its pods reach other nodes as before, with nothing else to repair");
    }

    // etcd members.

    public List<String> etcdStop(LabState lab, String memberArg) {
        LabState.EtcdMember member = member(lab, memberArg);
        LabState.ProcessRecord process = recorded(lab, member.name(), "etcd member " + member.name());
        List<String> lines = new ArrayList<>();
        if (!process.identity().isRunning()) {
            markStopped(lab, process);
            lines.add("etcd member " + member.name() + " is not running" + (process.stopped() ? " (stopped before)" : ""));
        } else {
            new LabProcesses(store, lab).stopKeepingRecord(process, ETCD_GRACE);
            lines.add("stopped etcd member " + member.name() + " (pid " + process.pid() + "); its data stays in "
                    + member.dataDir());
        }
        LabState now = store.load(lab.name()).orElse(lab);
        List<LabState.EtcdMember> members = now.effectiveTopology().etcd();
        long up = members.stream().filter(m -> runs(now, m.name())).count();
        int quorum = members.size() / 2 + 1;
        lines.add(up + " of " + members.size() + " members run" + (up >= quorum
                ? ": a majority, so the cluster still serves"
                : ": no majority (" + quorum + " needed), so the cluster serves nobody until another member starts"));
        lines.add("start it again with 'drover lab etcd start " + member.name() + labOption(lab) + "'");
        return lines;
    }

    public List<String> etcdStart(LabState lab, String memberArg) {
        LabState.EtcdMember member = member(lab, memberArg);
        LabState.ProcessRecord process = recorded(lab, member.name(), "etcd member " + member.name());
        if (process.identity().isRunning()) {
            return List.of("etcd member " + member.name() + " is running already (pid " + process.pid() + ")");
        }
        LabState.ProcessRecord started = new LabProcesses(store, lab).restart(process, env());
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            LabLauncher.awaitEtcdHealthy(member, started, deadline);
        } catch (LabException e) {
            if (!started.identity().isRunning()) {
                throw e;
            }
            throw new LabException(e.getMessage() + "\n(it runs, pid " + started.pid() + "; a member is healthy only"
                    + " while a majority of the cluster runs: see 'drover lab status')");
        }
        return List.of("started etcd member " + member.name() + " again (pid " + started.pid() + "): it rejoined the"
                + " cluster and is healthy");
    }

    // Servers.

    public List<String> serverStop(LabState lab, String serverArg) {
        LabState.Server server = server(lab, serverArg);
        LabState.ProcessRecord process = recorded(lab, server.role(), server.name());
        List<String> lines = new ArrayList<>();
        if (!process.identity().isRunning()) {
            markStopped(lab, process);
            lines.add(server.name() + " is not running" + (process.stopped() ? " (stopped before)" : ""));
        } else {
            new LabProcesses(store, lab).stopKeepingRecord(process, SERVER_GRACE);
            lines.add("stopped " + server.name() + " (pid " + process.pid() + ", " + server.url() + ")");
        }
        LabState now = store.load(lab.name()).orElse(lab);
        List<String> running = RunningLabs.runningServerUrls(now);
        lines.add(running.isEmpty()
                ? "no server of lab " + lab.name() + " runs now: the CLI cannot reach the lab until one starts"
                : "the CLI and the agents use " + String.join(", ", running) + " meanwhile");
        lines.add("start it again with 'drover lab server start " + server.name() + labOption(lab) + "'");
        return lines;
    }

    public List<String> serverStart(LabState lab, String serverArg) {
        LabState.Server server = server(lab, serverArg);
        LabState.ProcessRecord process = recorded(lab, server.role(), server.name());
        if (process.identity().isRunning()) {
            return List.of(server.name() + " is running already (pid " + process.pid() + ")");
        }
        LabState.ProcessRecord started = new LabProcesses(store, lab).restart(process, env());
        long deadline = System.nanoTime() + timeout.toNanos();
        try (DroverClient client = new DroverClient(ServerUrls.parse(server.url()))) {
            LabLauncher.awaitHealthy(client, started, deadline);
        }
        return List.of("started " + server.name() + " again (pid " + started.pid() + ", " + server.url() + ")");
    }

    // Names.

    /** {@code node-2} or {@code 2}: a node of the lab, by its name. */
    static String node(LabState lab, String arg) {
        int n = number(arg, "node");
        if (n < 1 || n > lab.nodes()) {
            throw new LabException("lab " + lab.name() + " has no node " + arg + ": its nodes are "
                    + (lab.nodes() == 1 ? "node-1" : "node-1 to node-" + lab.nodes()));
        }
        return LabNames.nodeName(n);
    }

    static LabState.EtcdMember member(LabState lab, String arg) {
        List<LabState.EtcdMember> members = lab.effectiveTopology().etcd();
        if (members.isEmpty()) {
            throw new LabException("lab " + lab.name() + " has no etcd members: it keeps its state in the "
                    + lab.effectiveTopology().store() + " store (a lab on etcd: 'drover lab up --store etcd')");
        }
        int n = number(arg, "etcd");
        if (n < 1 || n > members.size()) {
            throw new LabException("lab " + lab.name() + " has no etcd member " + arg + ": its members are "
                    + String.join(", ", members.stream().map(LabState.EtcdMember::name).toList()));
        }
        return members.get(n - 1);
    }

    static LabState.Server server(LabState lab, String arg) {
        List<LabState.Server> servers = lab.servers();
        int n = number(arg, "server");
        if (n < 1 || n > servers.size()) {
            throw new LabException("lab " + lab.name() + " has no server " + arg + ": its servers are "
                    + String.join(", ", servers.stream().map(LabState.Server::name).toList()) + " (or their numbers)");
        }
        LabState.Server server = servers.get(n - 1);
        if (server.url() == null) {
            throw new LabException(server.name() + " of lab " + lab.name() + " never started listening; see its log");
        }
        return server;
    }

    /** The number in {@code KIND-N} or {@code N}. */
    private static int number(String arg, String kind) {
        Matcher m = NUMBERED.matcher(arg == null ? "" : arg);
        if (!m.matches() || (m.group(1) != null && !m.group(1).equals(kind))) {
            throw new LabException("'" + arg + "' is not a " + kind + ": write " + kind + "-N or N, e.g. " + kind + "-1");
        }
        try {
            return Integer.parseInt(m.group(2));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static LabState.ProcessRecord recorded(LabState lab, String role, String what) {
        return lab.process(role).orElseThrow(() -> new LabException(what + " of lab " + lab.name() + " has no"
                + " recorded process (did 'drover lab up' finish?); 'drover lab status' shows what the lab has"));
    }

    private void markStopped(LabState lab, LabState.ProcessRecord record) {
        if (!record.stopped()) {
            store.update(lab.name(), lab, s -> s.withProcessReplaced(record.asStopped()));
        }
    }

    private static boolean runs(LabState state, String role) {
        return state.process(role).map(p -> p.identity().isRunning()).orElse(false);
    }

    private static FabricLayout layout(LabState lab) {
        return FabricLayout.plan(lab.name(), lab.nodes(), lab.effectiveTopology().underlayKind());
    }

    private String labOption(LabState lab) {
        return store.labs().size() > 1 ? " --lab " + lab.name() : "";
    }

    private Map<String, String> env() {
        return Map.of(LabLauncher.LAB_DIR_ENV, store.dir().toString());
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    /** What a log gained after {@code offset}. */
    private static String logSince(Path file, long offset) {
        try {
            byte[] all = Files.readAllBytes(file);
            return offset >= all.length ? "" : new String(all, (int) offset, all.length - (int) offset, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
