package io.drover.lab.dns;

import io.drover.agent.kernel.Kernel;
import io.drover.api.client.ApiError;
import io.drover.api.client.DroverClient;
import io.drover.lab.resolver.OutsideZone;
import io.drover.lab.runtime.FabricLayout;
import io.drover.lab.runtime.LabException;
import io.drover.lab.runtime.LabLauncher;
import io.drover.lab.runtime.LabProcesses;
import io.drover.lab.runtime.LabState;
import io.drover.model.Resource;
import io.drover.model.net.IpAddresses;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * Brings up a lab's cluster DNS as {@link ClusterDnsPlan} lays it out: the DNS service and its endpoints in the API
 * (before the agents start, so that their first sync balances it), the outside resolver in the fabric namespace and
 * the DNS server beside the agents (both recorded lab processes, which {@code lab down} stops), and waits until each
 * node's listener and the resolver answer from where pods and the DNS server ask them.
 */
public final class LabClusterDns {

    private static final Duration PROBE_TIMEOUT = Duration.ofMillis(300);

    private final Kernel kernel;
    private final LabProcesses processes;
    private final LabLauncher.Launch launch;
    private final ClusterDnsPlan plan;

    public LabClusterDns(Kernel kernel, LabProcesses processes, LabLauncher.Launch launch, ClusterDnsPlan plan) {
        this.kernel = kernel;
        this.processes = processes;
        this.launch = launch;
        this.plan = plan;
    }

    /** Writes the namespace, the service and its endpoints (an object that is already there is left as it is). */
    public void register(DroverClient client) {
        for (Resource r : List.<Resource>of(plan.namespace(), plan.service(), plan.endpoints())) {
            try {
                client.create(r);
            } catch (ApiError e) {
                if (e.code() != 409) {
                    throw new LabException("cannot create " + r.kind() + " " + (r.namespace() == null ? "" : r.namespace()
                            + "/") + r.name() + " for the lab's cluster DNS: " + e.getMessage());
                }
            }
        }
    }

    /** The running DNS server and outside resolver, to await. */
    public record Started(LabState.ProcessRecord resolver, LabState.ProcessRecord dns) {}

    /**
     * Starts the outside resolver (zone file in {@code labDir}) and the DNS server, which reaches the API at
     * {@code serverUrl}; returns without waiting.
     */
    public Started start(Path labDir, String serverUrl, Map<String, String> env) {
        Path zone = OutsideZone.write(labDir.resolve("resolver"));
        LabState.ProcessRecord resolver = processes.start(ClusterDnsPlan.RESOLVER_ROLE, plan.layout().fabric().name(),
                launch.verb("lab", "resolver", "--listen", plan.resolverAddress(), "--zone",
                        OutsideZone.ORIGIN + "=" + zone), env);
        LabState.ProcessRecord dns = processes.start(ClusterDnsPlan.DNS_ROLE, null,
                launch.verb(plan.dnsArguments(serverUrl).toArray(String[]::new)), env);
        return new Started(resolver, dns);
    }

    /** Waits until the resolver and every node's DNS listener answer; throws what went wrong with the log's end. */
    public void await(Started started, long deadline, Consumer<String> progress) {
        FabricLayout layout = plan.layout();
        InetSocketAddress resolverAddress = new InetSocketAddress(layout.fabricAddress().ip(), ClusterDnsPlan.PORT);
        awaitAnswer(started.resolver(), "the lab's outside resolver", layout.fabric().name(), resolverAddress,
                OutsideZone.ORIGIN, Type.SOA, deadline);
        List<String> nodes = new ArrayList<>();
        for (FabricLayout.Node node : layout.nodes()) {
            awaitAnswer(started.dns(), "the cluster DNS on " + node.name(), node.namespace().name(),
                    new InetSocketAddress(node.address().ip(), ClusterDnsPlan.PORT), "dns-version." + plan.domain() + ".",
                    Type.TXT, deadline);
            nodes.add(node.name() + " " + IpAddresses.format(node.address().ip()) + ":" + ClusterDnsPlan.PORT);
        }
        progress.accept("cluster DNS: service " + ClusterDnsPlan.NAMESPACE + "/" + ClusterDnsPlan.SERVICE + " at "
                + plan.clusterIp() + ":53 (UDP, TCP), zone " + plan.domain() + ", served on " + String.join(", ", nodes)
                + " (pid " + started.dns().pid() + "); other names go to the outside resolver "
                + plan.resolverAddress() + " in " + layout.fabric().name() + " (pid " + started.resolver().pid()
                + ", zone example.com)");
    }

    private void awaitAnswer(LabState.ProcessRecord process, String what, String netns, InetSocketAddress server,
            String name, int type, long deadline) {
        DnsProbe probe = new DnsProbe(kernel);
        while (true) {
            if (probe.ask(netns, server, name, type, PROBE_TIMEOUT).filter(m -> m.getRcode() == Rcode.NOERROR).isPresent()) {
                return;
            }
            LabLauncher.checkRunning(process, what);
            LabLauncher.checkDeadline(deadline, what + " did not answer on " + netns + "/" + server.getAddress()
                    .getHostAddress() + ":" + server.getPort(), process);
            LabLauncher.sleep();
        }
    }
}
