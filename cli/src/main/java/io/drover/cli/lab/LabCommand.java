package io.drover.cli.lab;

import io.drover.cli.DroverCommand;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code drover lab}: a whole cluster on this machine, made of network namespaces. */
@Command(name = "lab", mixinStandardHelpOptions = true,
        description = {"Run a cluster on this machine, made of network namespaces: a fabric (the underlay), nodes each"
                + " with its agent, pods running the built-in echo server or their command. Needs root.",
                "Lab namespaces are named drl-NAME-*; nothing is changed outside them.",
                "Faults on purpose: lab node stop|start|cut|heal NODE, lab etcd stop|start MEMBER, lab server"
                        + " stop|start N."})
public final class LabCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    /** The {@code lab} verb with its subcommands, for {@code Main} to register. */
    public static CommandLine commandLine(DroverCommand drover) {
        CommandLine lab = new CommandLine(new LabCommand())
                .addSubcommand(new LabUpCommand(drover))
                .addSubcommand(new LabDownCommand(drover))
                .addSubcommand(new LabStatusCommand(drover))
                .addSubcommand(new LabExecCommand(drover));
        LabFaultCommands.commandLines(drover).forEach(lab::addSubcommand);
        return lab.addSubcommand(new LabRelayCommand()).addSubcommand(new LabResolverCommand());
    }

    /** {@code drover lab} alone: say which subcommands exist. */
    @Override
    public Integer call() {
        spec.commandLine().getErr().println("error: say what to do with the lab: up, down, status, exec, node, etcd or"
                + " server");
        spec.commandLine().usage(spec.commandLine().getErr());
        return 1;
    }
}
