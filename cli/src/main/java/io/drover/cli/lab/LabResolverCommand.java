package io.drover.cli.lab;

import io.drover.dns.DnsOptions;
import io.drover.dns.net.NetnsAddress;
import io.drover.dns.transport.DnsTransports;
import io.drover.dns.transport.ListenException;
import io.drover.lab.resolver.ZoneFiles;
import io.drover.lab.resolver.ZoneResolver;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code drover lab resolver}: the lab's outside resolver (started by {@code lab up} inside the lab's fabric
 * namespace, not by people): an authoritative server for the zone files it is given, standing in for the DNS of the
 * world beyond the lab, where the cluster DNS forwards names that are not the cluster's. Runs until SIGTERM.
 */
@Command(name = "resolver", hidden = true, mixinStandardHelpOptions = true,
        description = "Serve zone files over DNS (run by 'drover lab up' in the lab's fabric namespace).")
public final class LabResolverCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--listen", required = true, paramLabel = "ADDR:PORT", description = "Where to answer, UDP and TCP.")
    String listen;

    @Option(names = "--zone", required = true, paramLabel = "ORIGIN=FILE",
            description = "A zone and its master file; repeat for several.")
    List<String> zones;

    @Override
    public Integer call() throws Exception {
        ZoneResolver resolver;
        NetnsAddress address;
        try {
            address = DnsOptions.parseListen(listen);
            if (address.netns() != null) {
                throw new IllegalArgumentException("--listen " + listen + ": the resolver runs inside its namespace"
                        + " (ip netns exec); give ADDR:PORT without a namespace");
            }
            resolver = new ZoneResolver(ZoneFiles.read(zones));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        DnsTransports transports;
        try {
            transports = DnsTransports.bind(address.address(), resolver);
        } catch (ListenException e) {
            throw new ParameterException(spec.commandLine(), "--listen: " + e.getMessage());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            transports.close();
            stopped.countDown();
        }, "drover-resolver-shutdown"));
        PrintWriter out = spec.commandLine().getOut();
        out.println("resolver serving " + String.join(", ", resolver.origins()) + " on "
                + NetnsAddress.display(transports.address()) + " (UDP and TCP, authoritative, no recursion)");
        out.flush();
        stopped.await();
        return 0;
    }
}
