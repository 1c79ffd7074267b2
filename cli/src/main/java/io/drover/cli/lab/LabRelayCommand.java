package io.drover.cli.lab;

import io.drover.agent.kernel.NetNs;
import io.drover.agent.kernel.linux.LinuxKernel;
import io.drover.lab.relay.TcpRelay;
import io.drover.lab.runtime.LabNames;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code drover lab relay}: the relay a lab on etcd runs (started by {@code lab up}, not by people): loopback ports
 * forwarded to the etcd members inside the lab's fabric namespace, and with several servers the API front. Only the
 * lab's own namespaces may be targets. Runs until SIGTERM.
 */
@Command(name = "relay", hidden = true, mixinStandardHelpOptions = true,
        description = "Forward loopback ports into a lab's namespaces (run by 'drover lab up' for a lab on etcd).")
public final class LabRelayCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--lab", required = true, paramLabel = "NAME", description = "The lab whose namespaces targets are in.")
    String lab;

    @Option(names = "--forward", required = true, paramLabel = "NAME=PORT=TARGET[,TARGET...]",
            description = "A listener on 127.0.0.1:PORT (0: any) and its targets, [NAMESPACE/]HOST:PORT, tried in order;"
                    + " or NAME=PORT=@FILE, targets read from FILE at every connection.")
    List<String> forwards;

    @Option(names = "--ports-file", paramLabel = "FILE", description = "Where to write 'NAME PORT' once listening.")
    Path portsFile;

    @Override
    public Integer call() throws Exception {
        String problem = LabNames.validate(lab);
        if (problem != null) {
            throw new ParameterException(spec.commandLine(), problem);
        }
        LabNames names = LabNames.of(lab);
        List<TcpRelay.Forward> parsed = new ArrayList<>();
        try {
            for (String f : forwards) {
                TcpRelay.Forward forward = TcpRelay.Forward.parse(f);
                for (TcpRelay.Target t : forward.targets()) {
                    if (t.namespace() != null && !names.owns(t.namespace())) {
                        throw new IllegalArgumentException("target " + t + " is not in a namespace of lab " + lab
                                + ": the relay only reaches into its lab");
                    }
                }
                parsed.add(forward);
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        LinuxKernel kernel = new LinuxKernel();
        TcpRelay.SocketOpener opener = namespace -> {
            if (namespace == null) {
                return SocketChannel.open();
            }
            if (!names.owns(namespace)) {
                throw new java.io.IOException(namespace + " is not a namespace of lab " + lab);
            }
            // A socket belongs to the namespace it was made in, whichever thread connects it later.
            return kernel.inNamespace(NetNs.named(namespace), SocketChannel::open);
        };
        TcpRelay relay = new TcpRelay(opener, InetAddress.getLoopbackAddress(), parsed);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            relay.close();
            kernel.close();
            stopped.countDown();
        }, "drover-relay-shutdown"));
        relay.start();
        if (portsFile != null) {
            relay.writePorts(portsFile);
        }
        PrintWriter out = spec.commandLine().getOut();
        relay.ports().forEach((name, port) -> out.println("relay " + name + ": 127.0.0.1:" + port + " -> "
                + parsed.stream().filter(f -> f.name().equals(name)).findFirst()
                        .map(f -> f.targetsFile() != null ? "the targets in " + f.targetsFile()
                                : String.join(", ", f.targets().stream().map(Object::toString).toList()))
                        .orElse("?")));
        out.flush();
        stopped.await();
        return 0;
    }
}
