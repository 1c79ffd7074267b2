package io.drover.cli.agent;

import io.drover.agent.cni.ClusterDns;
import io.drover.agent.kernel.Kernel;
import io.drover.agent.kernel.linux.LinuxKernel;
import io.drover.api.client.DroverClient;
import io.drover.api.client.RemoteResourceRegistry;
import io.drover.api.client.ServerUrls;
import io.drover.cli.DroverCommand;
import io.drover.cli.lab.LabDirectory;
import io.drover.lab.runtime.LabNames;
import io.drover.lab.runtime.LabStateStore;
import io.drover.lab.runtime.NodeScopedKernel;
import java.io.PrintWriter;
import java.net.URI;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code drover agent}: the node agent, talking to the API server over REST. The process may run outside the node's
 * namespace ({@code --netns}): it programs that namespace through the kernel, which is how the lab runs its agents
 * (beside the server on this machine's loopback, programming only lab namespaces).
 */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = {"Run the node agent: keep this node's pods plumbed (interfaces, addresses, routes, rules) as the"
                + " API server says.",
                "Stops gracefully on SIGTERM or Ctrl-C; the data plane stays as it is for the next agent to adopt."})
public final class AgentCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--node", required = true, paramLabel = "NAME", description = "This node's name, as pods name it in spec.node.")
    String node;

    @Option(names = "--server", paramLabel = "URL", description = {DroverCommand.SERVER_HELP_1, DroverCommand.SERVER_HELP_2})
    String server;

    @Option(names = "--netns", paramLabel = "NAME",
            description = "The node's network namespace (a name under /run/netns). Default: the agent's own.")
    String netns;

    @Option(names = "--pod-netns-prefix", paramLabel = "PREFIX",
            description = "Name prefix of the pod namespaces the agent makes. Default: drover-NODE-.")
    String podNetnsPrefix;

    @Option(names = "--cni-socket", paramLabel = "PATH",
            description = {"Where to serve CNI for container runtimes, or '" + AgentSetup.NO_CNI + "'.",
                    "Default: /run/drover/agent.sock; none with --lab."})
    String cniSocket;

    @Option(names = "--lab", paramLabel = "NAME",
            description = "Run as a node of lab NAME: lab names for the node's and pods' namespaces, and each pod runs"
                    + " its command or the built-in echo server.")
    String lab;

    @Option(names = "--cross-node", paramLabel = "MODE", defaultValue = "none",
            description = {"How pods reach pods of other nodes: routed (host-gw: every node on one L2 segment), vxlan"
                    + " (an overlay over any IP underlay) or none (a single host). Default: ${DEFAULT-VALUE}."})
    String crossNode;

    @Option(names = "--address", paramLabel = "IP",
            description = "The node's underlay address, through which other nodes reach it. A lab node has its own.")
    String address;

    @Option(names = "--vni", paramLabel = "N", description = "The VXLAN network identifier of the pod overlay."
            + " Default: " + io.drover.agent.desired.CrossNodeConfig.DEFAULT_VNI + ", the same on every node.")
    Integer vni;

    @Option(names = "--service-cidr", paramLabel = "CIDR",
            defaultValue = io.drover.model.service.ServiceNetworkOptions.DEFAULT_SERVICE_CIDR,
            description = "The range the servers allocate cluster IPs from (their --service-cidr): addresses in it"
                    + " that no service holds are dropped. Default: ${DEFAULT-VALUE}.")
    String serviceCidr;

    @Option(names = "--cluster-dns", paramLabel = "IP", split = ",",
            description = {"The cluster DNS address(es) that CNI results give attached containers, with Kubernetes'"
                    + " search path for the pod's namespace and ndots:5 (as the kubelet's --cluster-dns).",
                    "Default: none (results carry no DNS)."})
    java.util.List<String> clusterDns;

    @Option(names = "--cluster-domain", paramLabel = "DOMAIN", defaultValue = ClusterDns.DEFAULT_DOMAIN,
            description = "The cluster's DNS domain, for the search path of --cluster-dns. Default: ${DEFAULT-VALUE}.")
    String clusterDomain;

    private final DroverCommand drover;

    public AgentCommand(DroverCommand drover) {
        this.drover = drover;
    }

    @Override
    public Integer call() throws Exception {
        AgentSetup setup;
        io.drover.model.net.Cidr services;
        try {
            setup = AgentSetup.of(node, netns, podNetnsPrefix, cniSocket, lab).withCrossNode(crossNode, address, vni)
                    .withClusterDns(clusterDns, clusterDomain);
            services = io.drover.model.service.ServiceNetworkOptions.parseServiceCidr(serviceCidr);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        URI url = drover.serverUrl(server);
        LabStateStore labStore = LabDirectory.store(drover.context());
        LinuxKernel linux = new LinuxKernel();
        RemoteResourceRegistry registry = new RemoteResourceRegistry(new DroverClient(url));
        Kernel kernel = setup.inLab()
                ? new NodeScopedKernel(linux, LabNames.of(setup.lab()), labStore.labDir(setup.lab()), setup.node())
                : linux;
        AgentRun run;
        try {
            run = AgentRun.start(setup, registry, kernel, labStore, java.util.List.of(services));
        } catch (RuntimeException e) {
            registry.close();
            linux.close();
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            run.close();
            registry.close();
            linux.close();
        }, "drover-agent-shutdown"));
        PrintWriter out = spec.commandLine().getOut();
        out.printf("Drover agent of node %s running (namespace %s, server %s%s). Stop with Ctrl-C.%n", setup.node(),
                setup.namespaces().nodeNamespace(), ServerUrls.display(url),
                setup.cniSocket().map(s -> ", CNI on " + s).orElse(""));
        out.flush();
        run.awaitStop();
        return 0;
    }
}
