package io.drover.cli.probe;

import io.drover.agent.kernel.linux.LinuxKernel;
import io.drover.api.client.DroverClient;
import io.drover.cli.DroverCommand;
import io.drover.cli.lab.RootCheck;
import io.drover.cli.lab.LabConnection;
import io.drover.lab.net.Protocol;
import io.drover.lab.probe.ProbeOptions;
import io.drover.lab.probe.ProbeReport;
import io.drover.lab.probe.Prober;
import io.drover.model.ResourceKind;
import io.drover.model.pod.Pod;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code drover probe}: connects from every lab pod to every other on each port and protocol, from inside the pods'
 * namespaces (this process opens its sockets there), and prints one reachability matrix per protocol and port in
 * the format of the network policy conformance cases.
 */
@Command(name = "probe", mixinStandardHelpOptions = true,
        description = {"Probe who reaches whom among a lab's pods: a real connection from each pod to each other pod's"
                + " address, counted only when the pod meant answers.",
                "Prints one matrix per protocol and port: rows are clients, columns servers; '.' connected, 'X' blocked."})
public final class ProbeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--namespaces", split = ",", paramLabel = "NS[,NS...]", description = "Only pods of these namespaces. Default: all.")
    List<String> namespaces = List.of();

    @Option(names = "--ports", split = ",", paramLabel = "PORT[,PORT...]", description = "Ports to probe. Default: 80.")
    List<Integer> ports = List.of(80);

    @Option(names = "--protocols", split = ",", paramLabel = "PROTO[,PROTO...]",
            description = "Protocols: tcp, udp, sctp. Default: tcp.")
    List<String> protocols = List.of("tcp");

    @Option(names = "--timeout-ms", paramLabel = "MS",
            description = "How long one attempt may take before it counts as blocked. Default: 1000.")
    long timeoutMs = ProbeOptions.DEFAULT_TIMEOUT.toMillis();

    @Option(names = "--lab", paramLabel = "NAME", description = "The lab. Default: the one that is up.")
    String lab;

    @Option(names = "--server", paramLabel = "URL", description = "The API server. Default: the lab's.")
    String server;

    private final DroverCommand drover;

    public ProbeCommand(DroverCommand drover) {
        this.drover = drover;
    }

    /** The options as the prober takes them; a usage mistake becomes a parameter error. */
    ProbeOptions options() {
        try {
            return ProbeOptions.defaults()
                    .withPorts(ports)
                    .withProtocols(protocols.stream().map(Protocol::parse).toList())
                    .withNamespaces(new LinkedHashSet<>(namespaces))
                    .withTimeout(Duration.ofMillis(timeoutMs));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    @Override
    public Integer call() {
        ProbeOptions options = options();
        RootCheck.require("probe");
        LabConnection connection = LabConnection.resolve(drover, lab, server);
        List<Pod> pods;
        try (DroverClient client = new DroverClient(connection.server())) {
            pods = client.list(ResourceKind.POD, null, null).items().stream().map(Pod.class::cast)
                    .filter(p -> options.namespaces().isEmpty() || options.namespaces().contains(p.metadata().namespace()))
                    .toList();
        }
        ProbeTargets selected = ProbeTargets.of(connection.names(), pods);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        selected.notProbed().forEach(reason -> err.println("not probed: " + reason));
        err.flush();
        ProbeReport report;
        try (LinuxKernel kernel = new LinuxKernel()) {
            report = new Prober(kernel).probe(selected.targets(), options);
        }
        out.print(report.format());
        out.flush();
        return 0;
    }
}
