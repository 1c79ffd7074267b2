package io.drover.cli.lab;

import io.drover.agent.kernel.linux.LinuxKernel;
import io.drover.cli.CliException;
import io.drover.cli.DroverCommand;
import io.drover.lab.runtime.LabException;
import io.drover.lab.runtime.LabFaults;
import io.drover.lab.runtime.LabState;
import io.drover.lab.runtime.LabStateStore;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The lab's fault verbs: {@code drover lab node stop|start|cut|heal NODE}, {@code drover lab etcd stop|start MEMBER}
 * and {@code drover lab server stop|start SERVER}. Each acts on one part of a lab ({@link LabFaults}), records what
 * it did in the lab's state (so that {@code lab status} shows it and {@code lab down} still removes everything) and
 * says how to undo it.
 */
public final class LabFaultCommands {

    private LabFaultCommands() {}

    /** {@code lab node}, {@code lab etcd} and {@code lab server} by name, for {@link LabCommand} to register. */
    static java.util.Map<String, CommandLine> commandLines(DroverCommand drover) {
        java.util.Map<String, CommandLine> groups = new java.util.LinkedHashMap<>();
        groups.put("node", group("node", "stop, start, cut or heal",
                "Faults of a lab node: its agent stopped and started again, the node cut off the underlay and healed.",
                new NodeStop(drover), new NodeStart(drover), new NodeCut(drover), new NodeHeal(drover)));
        groups.put("etcd", group("etcd", "stop or start", "Faults of a lab on etcd: a member stopped and started again.",
                new EtcdStop(drover), new EtcdStart(drover)));
        groups.put("server", group("server", "stop or start", "Faults of a lab's API servers: one stopped and started"
                + " again.", new ServerStop(drover), new ServerStart(drover)));
        return groups;
    }

    private static CommandLine group(String name, String verbs, String description, FaultVerb... subcommands) {
        CommandLine line = new CommandLine(new Group(name, verbs));
        line.setCommandName(name);
        line.getCommandSpec().usageMessage().description(description);
        for (FaultVerb verb : subcommands) {
            line.addSubcommand(verb);
        }
        return line;
    }

    /** {@code lab node|etcd|server} alone: say which subcommands exist. */
    @Command(mixinStandardHelpOptions = true)
    static final class Group implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        private final String name;
        private final String verbs;

        Group(String name, String verbs) {
            this.name = name;
            this.verbs = verbs;
        }

        @Override
        public Integer call() {
            spec.commandLine().getErr().println("error: say what to do with the " + name + ": " + verbs);
            spec.commandLine().usage(spec.commandLine().getErr());
            return 1;
        }
    }

    /** What every fault verb shares: the lab, the timeout, the root check, errors and printing. */
    abstract static class FaultVerb implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--lab", paramLabel = "NAME", description = "The lab. Default: the only lab on this machine.")
        String lab;

        @Option(names = "--timeout", defaultValue = "60", paramLabel = "SECONDS",
                description = "How long a process started again may take to be ready. Default: ${DEFAULT-VALUE}.")
        int timeoutSeconds;

        private final DroverCommand drover;

        FaultVerb(DroverCommand drover) {
            this.drover = drover;
        }

        abstract String target();

        abstract List<String> act(LabFaults faults, LabState state, String target);

        @Override
        public Integer call() {
            RootCheck.require("lab " + spec.parent().name() + " " + spec.name());
            PrintWriter out = spec.commandLine().getOut();
            LabStateStore store = LabDirectory.store(drover.context());
            try (LinuxKernel kernel = new LinuxKernel()) {
                LabState state = LabFaults.choose(store, lab);
                LabFaults faults = new LabFaults(kernel, store, Duration.ofSeconds(Math.max(1, timeoutSeconds)));
                act(faults, state, target()).forEach(out::println);
                return 0;
            } catch (LabException e) {
                throw new CliException(e.getMessage());
            } finally {
                out.flush();
            }
        }
    }

    abstract static class NodeVerb extends FaultVerb {
        @Parameters(index = "0", paramLabel = "NODE", description = "The node: node-N (or N).")
        String node;

        NodeVerb(DroverCommand drover) {
            super(drover);
        }

        @Override
        String target() {
            return node;
        }
    }

    abstract static class EtcdVerb extends FaultVerb {
        @Parameters(index = "0", paramLabel = "MEMBER", description = "The etcd member: etcd-N (or N).")
        String member;

        EtcdVerb(DroverCommand drover) {
            super(drover);
        }

        @Override
        String target() {
            return member;
        }
    }

    abstract static class ServerVerb extends FaultVerb {
        @Parameters(index = "0", paramLabel = "SERVER", description = "The API server: N (or server-N).")
        String server;

        ServerVerb(DroverCommand drover) {
            super(drover);
        }

        @Override
        String target() {
            return server;
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true,
            description = {"Stop a node's agent (SIGTERM, SIGKILL after 5 s), as a crashed or upgraded agent would be.",
                    "Its data plane stays: pods' established connections keep flowing. The echo servers of its pods"
                            + " live in the agent and stop with it."})
    static final class NodeStop extends NodeVerb {
        NodeStop(DroverCommand drover) {
            super(drover);
        }

        @Override
        List<String> act(LabFaults faults, LabState state, String target) {
            return faults.nodeStop(state, target);
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Start a node's agent again, with the command it had; waits until it has synced its node.")
    static final class NodeStart extends NodeVerb {
        NodeStart(DroverCommand drover) {
            super(drover);
        }

        @Override
        List<String> act(LabFaults faults, LabState state, String target) {
            return faults.nodeStart(state, target);
        }
    }

    @Command(name = "cut", mixinStandardHelpOptions = true,
            description = {"Cut a node off the underlay: its port on the fabric bridge goes down.",
                    "Its pods can reach no other node and no other node theirs; its agent still reaches the server."})
    static final class NodeCut extends NodeVerb {
        NodeCut(DroverCommand drover) {
            super(drover);
        }

        @Override
        List<String> act(LabFaults faults, LabState state, String target) {
            return faults.nodeCut(state, target);
        }
    }

    @Command(name = "heal", mixinStandardHelpOptions = true,
            description = "Join a cut node to the underlay again: its port on the fabric bridge goes up.")
    static final class NodeHeal extends NodeVerb {
        NodeHeal(DroverCommand drover) {
            super(drover);
        }

        @Override
        List<String> act(LabFaults faults, LabState state, String target) {
            return faults.nodeHeal(state, target);
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true,
            description = "Stop an etcd member of a lab on etcd (SIGTERM); its data stays. Says whether a majority runs.")
    static final class EtcdStop extends EtcdVerb {
        EtcdStop(DroverCommand drover) {
            super(drover);
        }

        @Override
        List<String> act(LabFaults faults, LabState state, String target) {
            return faults.etcdStop(state, target);
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Start an etcd member again on its data; waits until it is healthy (rejoined the cluster).")
    static final class EtcdStart extends EtcdVerb {
        EtcdStart(DroverCommand drover) {
            super(drover);
        }

        @Override
        List<String> act(LabFaults faults, LabState state, String target) {
            return faults.etcdStart(state, target);
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true,
            description = {"Stop an API server of the lab (SIGTERM: graceful; a leader hands over its leadership).",
                    "The CLI uses the lab's next server meanwhile; with several servers the agents do too."})
    static final class ServerStop extends ServerVerb {
        ServerStop(DroverCommand drover) {
            super(drover);
        }

        @Override
        List<String> act(LabFaults faults, LabState state, String target) {
            return faults.serverStop(state, target);
        }
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Start an API server again, on its port, with the command it had; waits until it answers.")
    static final class ServerStart extends ServerVerb {
        ServerStart(DroverCommand drover) {
            super(drover);
        }

        @Override
        List<String> act(LabFaults faults, LabState state, String target) {
            return faults.serverStart(state, target);
        }
    }
}
