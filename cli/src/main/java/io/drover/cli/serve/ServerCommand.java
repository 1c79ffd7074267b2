package io.drover.cli.serve;

import io.drover.agent.kernel.linux.LinuxKernel;
import io.drover.cli.CliException;
import io.drover.cli.agent.AgentRun;
import io.drover.cli.agent.AgentSetup;
import io.drover.cli.dns.DnsFlags;
import io.drover.controllers.Controllers;
import io.drover.controllers.hostports.HostPortRange;
import io.drover.controllers.placement.PodPlacer;
import io.drover.dns.DnsOptions;
import io.drover.dns.transport.ListenException;
import io.drover.model.net.Cidr;
import io.drover.model.service.AddressPool;
import io.drover.model.service.NodePortRange;
import io.drover.model.service.ServiceNetworkOptions;
import io.drover.server.DroverServer;
import io.drover.server.ServerOptions;
import io.drover.store.StoreException;
import io.drover.store.etcd.EtcdStoreOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code drover server}: runs the API server, its controllers and store until SIGTERM or Ctrl-C; with
 * {@code --with-agent} also the node agent of the machine (the all-in-one deployment), with {@code --lab-placement}
 * the placement of pods that name no node (a lab's server). With {@code --store etcd} any number of servers share
 * one etcd cluster: the API answers on all, the controllers (and the placement) run on the elected leader.
 */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = {"Run the Drover API server with its controllers.",
                "Stops gracefully on SIGTERM or Ctrl-C: in-flight requests finish, acknowledged writes are durable.",
                "With --store etcd, run any number of servers on one etcd cluster: the API answers on all of them, "
                        + "the controllers run on one leader, elected through etcd (GET /readyz names it)."})
public final class ServerCommand implements Callable<Integer> {

    static final Path DEFAULT_DATA = Path.of(".drover/data");

    @Spec
    CommandSpec spec;

    @Option(names = "--store", defaultValue = ServerOptions.EMBEDDED, paramLabel = "KIND",
            description = "Where state lives: embedded (a durable SQLite file in --data; one server) or etcd (an etcd "
                    + "cluster at --etcd-endpoints; any number of servers). Default: ${DEFAULT-VALUE}.")
    String store;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Directory of the embedded store (--store embedded). Default: .drover/data")
    Path data;

    @Option(names = "--etcd-endpoints", paramLabel = "URLS",
            description = "With --store etcd: the client URLs of the etcd members, comma-separated, e.g. "
                    + "http://10.0.0.1:2379,http://10.0.0.2:2379 (https:// for TLS; a bare HOST:PORT is https when "
                    + "TLS files are given, else http).")
    String etcdEndpoints;

    @Option(names = "--etcd-cacert", paramLabel = "FILE",
            description = "With --store etcd: PEM file of the CA that signed the etcd members' certificates "
                    + "(default: the JVM's trusted CAs).")
    Path etcdCaCert;

    @Option(names = "--etcd-cert", paramLabel = "FILE",
            description = "With --store etcd: PEM client certificate to present to etcd (its --client-cert-auth); "
                    + "with --etcd-key.")
    Path etcdCert;

    @Option(names = "--etcd-key", paramLabel = "FILE",
            description = "With --store etcd: the client certificate's private key, unencrypted PEM PKCS#8 "
                    + "('BEGIN PRIVATE KEY'); with --etcd-cert.")
    Path etcdKey;

    @Option(names = "--listen", defaultValue = ServerOptions.DEFAULT_HOST + ":" + ServerOptions.DEFAULT_PORT, paramLabel = "HOST:PORT",
            description = "Address and port of the REST API. Default: ${DEFAULT-VALUE}.")
    String listen;

    @Option(names = "--with-agent",
            description = "Also run the node agent in this process, programming the network namespace the server runs in.")
    boolean withAgent;

    @Option(names = "--node", paramLabel = "NAME",
            description = "The node name of --with-agent's agent. Default: this machine's host name.")
    String node;

    @Option(names = "--lab-placement",
            description = "Place pods that name no node on the least-loaded Ready node (what a lab's server does; "
                    + "with several servers, the leader does).")
    boolean labPlacement;

    @Option(names = "--host-port-range", paramLabel = "FROM-TO",
            description = "The node ports that pods with publishAllPorts get their automatic host ports from "
                    + "(Docker's -P). Default: 32768-60999.")
    String hostPortRange;

    @Option(names = "--service-cidr", paramLabel = "CIDR", defaultValue = ServiceNetworkOptions.DEFAULT_SERVICE_CIDR,
            description = "The IPv4 CIDR services get their cluster IPs from. Every server on one store needs the same. "
                    + "Default: ${DEFAULT-VALUE}.")
    String serviceCidr;

    @Option(names = "--node-port-range", paramLabel = "FROM-TO", defaultValue = "30000-32767",
            description = "The ports NodePort and LoadBalancer services get on every node. Default: ${DEFAULT-VALUE}.")
    String nodePortRange;

    @Option(names = "--load-balancer-pool", paramLabel = "CIDR|FIRST-LAST",
            description = "Addresses LoadBalancer services get, e.g. 172.31.0.200/29 or 172.31.0.200-172.31.0.220; "
                    + "repeat for several pools, used in order. Without one, LoadBalancer services are refused.")
    List<String> loadBalancerPools = new ArrayList<>();

    @Option(names = "--dns", paramLabel = "ADDR:PORT",
            description = {"Also serve cluster DNS (the Kubernetes DNS schema) in this process, on UDP and TCP at "
                    + "ADDR:PORT, e.g. 127.0.0.1:1053 (port 0: a free one; port 53 needs root). Off unless given.",
                    "Its reverse zone is --service-cidr; see 'drover dns --help' for the schema."})
    String dns;

    @Option(names = "--dns-zone", paramLabel = "DOMAIN",
            description = "With --dns: the cluster domain. Default: cluster.local.")
    String dnsZone;

    @Option(names = "--dns-upstream", paramLabel = "IP[:PORT]",
            description = "With --dns: a resolver for names outside the cluster; repeat for several. Without one, "
                    + "such names are refused.")
    List<String> dnsUpstreams = new ArrayList<>();

    @Option(names = "--url-file", paramLabel = "PATH",
            description = "Write the server's URL to PATH once it listens (useful with --listen HOST:0, a free port).")
    Path urlFile;

    @Override
    public Integer call() throws Exception {
        HostPort address = HostPort.parse(listen, spec);
        Controllers.Options controllerOptions = Controllers.Options.DEFAULTS;
        if (hostPortRange != null) {
            try {
                controllerOptions = controllerOptions.withHostPorts(HostPortRange.parse(hostPortRange));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--host-port-range: " + e.getMessage());
            }
        }
        AgentSetup agentSetup = null;
        if (withAgent) {
            try {
                agentSetup = AgentSetup.of(node == null ? HostName.current() : node, null, null, AgentSetup.NO_CNI, null);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
        } else if (node != null) {
            throw new ParameterException(spec.commandLine(), "--node only goes with --with-agent");
        }
        ServerOptions serverOptions = serverOptions(address).withServiceNetwork(serviceNetwork()).withDns(dnsOptions());
        // The placement writes pods: leader-only, like the controllers, on the registry fenced by the leader's term.
        DroverServer.LeaderWork leaderWork = labPlacement ? registry -> {
            PodPlacer placer = new PodPlacer(registry);
            placer.start();
            return placer;
        } : DroverServer.LeaderWork.NONE;
        DroverServer server;
        try {
            server = DroverServer.start(serverOptions, controllerOptions, leaderWork);
        } catch (ListenException e) {
            throw new ParameterException(spec.commandLine(), "--dns: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        } catch (StoreException e) {
            throw new CliException(e.getMessage());
        }
        // Stopped in reverse order by the shutdown hook: the agent before the server it uses.
        List<AutoCloseable> running = new ArrayList<>();
        running.add(server);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> closeAll(running), "drover-shutdown"));
        try {
            if (agentSetup != null) {
                LinuxKernel kernel = new LinuxKernel();
                running.add(kernel);
                running.add(AgentRun.start(agentSetup, server.registry(), kernel, null,
                        java.util.List.of(serverOptions.serviceNetwork().serviceCidr())));
            }
        } catch (RuntimeException e) {
            closeAll(running);
            throw e;
        }
        String url = "http://" + (address.host().contains(":") ? "[" + address.host() + "]" : address.host()) + ":" + server.port();
        if (urlFile != null) {
            writeAtomically(urlFile, url + "\n");
        }
        spec.commandLine().getOut().printf("Drover server listening on %s (store: %s; %s%s%s). Stop with Ctrl-C.%n",
                url, serverOptions.describeStore(), server.isLeader() ? "the leader" : "not the leader",
                agentSetup == null ? "" : "; agent of node " + agentSetup.node(),
                server.dnsAddress().map(a -> "; DNS on " + (a.getAddress().getHostAddress().contains(":")
                        ? "[" + a.getAddress().getHostAddress() + "]" : a.getAddress().getHostAddress())
                        + ":" + a.getPort()).orElse(""));
        spec.commandLine().getOut().flush();
        server.awaitStop();
        return 0;
    }

    /** The store flags, checked together: each mistake names its flag and what to write instead. */
    ServerOptions serverOptions(HostPort address) {
        boolean tlsFiles = etcdCaCert != null || etcdCert != null || etcdKey != null;
        switch (store) {
            case ServerOptions.EMBEDDED -> {
                if (etcdEndpoints != null || tlsFiles) {
                    throw usage("--etcd-endpoints, --etcd-cacert, --etcd-cert and --etcd-key go with --store etcd; "
                            + "the embedded store keeps its state in --data DIR");
                }
                return ServerOptions.embedded(data == null ? DEFAULT_DATA : data, address.host(), address.port());
            }
            case ServerOptions.ETCD -> {
                if (data != null) {
                    throw usage("--data is the embedded store's directory; with --store etcd the state lives in etcd "
                            + "(--etcd-endpoints): leave --data out");
                }
                List<String> urls = etcdEndpoints == null ? List.of() : Arrays.stream(etcdEndpoints.split(","))
                        .map(String::strip).filter(u -> !u.isEmpty()).toList();
                if (urls.isEmpty()) {
                    throw usage("--store etcd needs --etcd-endpoints URLS: the client URLs of the etcd members, "
                            + "comma-separated, e.g. --etcd-endpoints http://10.0.0.1:2379,http://10.0.0.2:2379");
                }
                if ((etcdCert == null) != (etcdKey == null)) {
                    throw usage(etcdCert == null
                            ? "--etcd-key needs --etcd-cert: give the client certificate that goes with the key"
                            : "--etcd-cert needs --etcd-key: give the certificate's private key (PEM, PKCS#8)");
                }
                requireReadable("--etcd-cacert", etcdCaCert, "the PEM file of the CA that signed etcd's certificates");
                requireReadable("--etcd-cert", etcdCert, "the PEM client certificate");
                requireReadable("--etcd-key", etcdKey, "the PEM private key of the client certificate");
                List<String> endpoints = new ArrayList<>();
                for (String url : urls) {
                    if (tlsFiles && url.startsWith("http://")) {
                        throw usage("--etcd-endpoints: " + url + " is plain http, but TLS files are given "
                                + "(--etcd-cacert, --etcd-cert, --etcd-key): write https://"
                                + url.substring("http://".length()));
                    }
                    endpoints.add(url.contains("://") ? url : (tlsFiles ? "https://" : "http://") + url);
                }
                try {
                    EtcdStoreOptions etcd = EtcdStoreOptions.of(endpoints);
                    if (tlsFiles) {
                        etcd = etcd.withTls(etcdCaCert, etcdCert, etcdKey);
                    }
                    return ServerOptions.etcd(etcd, address.host(), address.port());
                } catch (IllegalArgumentException e) {
                    throw usage("--etcd-endpoints: " + e.getMessage());
                }
            }
            default -> throw usage("--store must be embedded or etcd (got \"" + store + "\")");
        }
    }

    /** The DNS flags; null without --dns (the zone and upstream flags need it). */
    DnsOptions dnsOptions() {
        if (dns == null) {
            if (dnsZone != null || !dnsUpstreams.isEmpty()) {
                throw usage("--dns-zone and --dns-upstream configure the DNS server, which runs only with --dns "
                        + "ADDR:PORT; add --dns, e.g. --dns 127.0.0.1:1053");
            }
            return null;
        }
        return DnsFlags.parse(spec, "--dns", dns, dnsZone, dnsUpstreams, null, null, serviceCidr, "--dns-zone",
                "--dns-upstream");
    }

    /** The service flags, each mistake naming its flag. */
    ServiceNetworkOptions serviceNetwork() {
        Cidr cidr = parsed("--service-cidr", () -> ServiceNetworkOptions.parseServiceCidr(serviceCidr));
        NodePortRange nodePorts = parsed("--node-port-range", () -> NodePortRange.parse(nodePortRange));
        List<AddressPool> pools = new ArrayList<>();
        for (String pool : loadBalancerPools) {
            pools.add(parsed("--load-balancer-pool", () -> AddressPool.parse(pool)));
        }
        return parsed("--service-cidr", () -> new ServiceNetworkOptions(cidr, nodePorts, pools));
    }

    private <T> T parsed(String flag, java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw usage(flag + ": " + e.getMessage());
        }
    }

    private void requireReadable(String flag, Path file, String what) {
        if (file != null && !Files.isReadable(file)) {
            throw usage(flag + ": cannot read " + file + " (" + (Files.exists(file) ? "permission denied" : "no such file")
                    + "); give " + what);
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private static synchronized void closeAll(List<AutoCloseable> running) {
        for (AutoCloseable c : running.reversed()) {
            try {
                c.close();
            } catch (Exception e) {
                System.err.println("stopping " + c.getClass().getSimpleName() + ": " + e);
            }
        }
        running.clear();
    }

    /** Readers (lab up) poll for the file: it appears whole or not at all. */
    private static void writeAtomically(Path file, String text) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".url-", ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    record HostPort(String host, int port) {
        static HostPort parse(String text, CommandSpec spec) {
            int colon = text.lastIndexOf(':');
            if (colon <= 0 || colon == text.length() - 1) {
                throw new ParameterException(spec.commandLine(), "--listen must be HOST:PORT, e.g. 127.0.0.1:7443 (got \"" + text + "\")");
            }
            String host = text.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            try {
                int port = Integer.parseInt(text.substring(colon + 1));
                if (port < 0 || port > 65535) {
                    throw new NumberFormatException();
                }
                return new HostPort(host, port);
            } catch (NumberFormatException e) {
                throw new ParameterException(spec.commandLine(), "--listen port must be a number from 0 to 65535 (got \"" + text.substring(colon + 1) + "\")");
            }
        }
    }
}
