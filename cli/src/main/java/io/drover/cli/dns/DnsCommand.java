package io.drover.cli.dns;

import io.drover.agent.kernel.linux.LinuxKernel;
import io.drover.api.client.DroverClient;
import io.drover.api.client.RemoteResourceRegistry;
import io.drover.api.client.ServerUrls;
import io.drover.cli.CliException;
import io.drover.cli.DroverCommand;
import io.drover.dns.DnsOptions;
import io.drover.dns.DnsServer;
import io.drover.dns.net.NetnsAddress;
import io.drover.dns.net.NetworkNamespaces;
import io.drover.dns.transport.ListenException;
import java.io.PrintWriter;
import java.net.URI;
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
 * {@code drover dns}: the cluster DNS server on its own, reading services, endpoints and pods from an API server
 * (lists and watches over REST) and answering the Kubernetes DNS schema over UDP and TCP.
 */
@Command(name = "dns", mixinStandardHelpOptions = true,
        description = {"Run the cluster DNS server: the Kubernetes DNS schema (services, endpoints, pods, SRV, PTR) "
                + "answered from memory, kept current by watches on the API server; other names forwarded to "
                + "--upstream resolvers with a cache, or refused without one.",
                "Stops on SIGTERM or Ctrl-C. To serve pods on port 53, run as root (or with CAP_NET_BIND_SERVICE) "
                        + "with --listen ADDR:53; the default port needs no privileges."})
public final class DnsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--server", paramLabel = "URL", description = {DroverCommand.SERVER_HELP_1, DroverCommand.SERVER_HELP_2})
    String server;

    @Option(names = "--listen", paramLabel = "[NETNS/]ADDR:PORT",
            description = {"Address and port for UDP and TCP ([v6]:PORT for IPv6; port 0: a free one); repeat for "
                    + "several. Default: " + DnsOptions.DEFAULT_LISTEN + ", loopback on an unprivileged port for a "
                    + "development run.",
                    "NETNS/ADDR:PORT listens inside network namespace NETNS (a name under /run/netns; needs root) "
                            + "while this process reaches the API server from its own: a lab's DNS listens so in "
                            + "its nodes."})
    List<String> listens = new ArrayList<>();

    @Option(names = "--zone", paramLabel = "DOMAIN", defaultValue = "cluster.local",
            description = "The cluster domain. Default: ${DEFAULT-VALUE}.")
    String zone;

    @Option(names = "--upstream", paramLabel = "[NETNS/]IP[:PORT]",
            description = "A resolver for names outside the cluster (port 53 when omitted; [v6]:PORT for IPv6; "
                    + "NETNS/ asks it from inside that network namespace); repeat for several, asked in order. "
                    + "Without one, such names are refused.")
    List<String> upstreams = new ArrayList<>();

    @Option(names = "--ttl", paramLabel = "SECONDS", defaultValue = "5",
            description = "TTL of the cluster's records and of negative answers, 0 to 3600. Default: ${DEFAULT-VALUE}"
                    + " (CoreDNS's).")
    String ttl;

    @Option(names = "--pods", paramLabel = "MODE", defaultValue = "verified",
            description = "Which a-b-c-d.NAMESPACE.pod.ZONE names answer: verified (addresses pods of that namespace "
                    + "have), insecure (any address) or disabled. Default: ${DEFAULT-VALUE}.")
    String pods;

    @Option(names = "--service-cidr", paramLabel = "CIDR",
            defaultValue = io.drover.model.service.ServiceNetworkOptions.DEFAULT_SERVICE_CIDR,
            description = "The servers' --service-cidr: reverse names in it are answered here (NXDOMAIN for an "
                    + "address no service has) rather than forwarded. Default: ${DEFAULT-VALUE}.")
    String serviceCidr;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
            description = "How many threads answer queries; 0 (the default): one per CPU.")
    int threads;

    private final DroverCommand drover;

    public DnsCommand(DroverCommand drover) {
        this.drover = drover;
    }

    @Override
    public Integer call() throws Exception {
        DnsOptions options = DnsFlags.parse(spec, "--listen", listens.isEmpty() ? List.of(DnsOptions.DEFAULT_LISTEN)
                : listens, zone, upstreams, ttl, pods, serviceCidr, "--zone", "--upstream");
        if (threads < 0) {
            throw new ParameterException(spec.commandLine(), "--threads " + threads + ": give 1 or more threads, or 0"
                    + " for one per CPU");
        }
        options = options.withThreads(threads);
        boolean namespaced = options.listen().stream().anyMatch(a -> a.netns() != null)
                || options.upstreams().stream().anyMatch(a -> a.netns() != null);
        // The kernel (threads that enter namespaces) only when a namespace is named: a plain run needs no root.
        LinuxKernel kernel = namespaced ? new LinuxKernel() : null;
        NetworkNamespaces namespaces = kernel == null ? NetworkNamespaces.NONE : new KernelNamespaces(kernel);
        URI url = drover.serverUrl(server);
        RemoteResourceRegistry registry = new RemoteResourceRegistry(new DroverClient(url));
        DnsServer dns;
        try {
            dns = DnsServer.start(registry, options, namespaces);
        } catch (ListenException e) {
            closeAll(registry, kernel);
            throw new ParameterException(spec.commandLine(), "--listen: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            closeAll(registry, kernel);
            throw new ParameterException(spec.commandLine(), e.getMessage());
        } catch (RuntimeException e) {
            closeAll(registry, kernel);
            throw new CliException("cannot read services from the API server at " + ServerUrls.display(url) + ": "
                    + e.getMessage());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                dns.close();
                closeAll(registry, kernel);
            } finally {
                stopped.countDown();
            }
        }, "drover-dns-shutdown"));
        PrintWriter out = spec.commandLine().getOut();
        out.printf("Drover DNS serving %s on %s (UDP and TCP; server %s; %s). Stop with Ctrl-C.%n",
                options.zone().name(), dns.describeAddresses(), ServerUrls.display(url),
                options.upstreams().isEmpty() ? "other names refused"
                        : "other names forwarded to " + describe(options));
        out.flush();
        stopped.await();
        return 0;
    }

    private static String describe(DnsOptions options) {
        return String.join(", ", options.upstreams().stream().map(NetnsAddress::toString).toList());
    }

    private static void closeAll(RemoteResourceRegistry registry, LinuxKernel kernel) {
        registry.close();
        if (kernel != null) {
            kernel.close();
        }
    }
}
