package io.drover.cli.policy;

import io.drover.api.client.DroverClient;
import io.drover.cli.CliException;
import io.drover.cli.DroverCommand;
import io.drover.model.Resource;
import io.drover.model.ResourceKind;
import io.drover.model.firewall.FirewallPolicy;
import io.drover.model.firewall.FirewallService;
import io.drover.model.firewall.FirewallSettings;
import io.drover.model.firewall.SecurityGroup;
import io.drover.model.policy.NetworkPolicy;
import io.drover.model.pod.Pod;
import io.drover.model.tenant.Namespace;
import io.drover.policy.Endpoint;
import io.drover.policy.Firewall;
import io.drover.policy.PolicySnapshot;
import io.drover.policy.Verdict;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code drover policy explain}: the verdict on one connection and every policy and rule that decided it, computed
 * from the namespaces, pods, NetworkPolicies and the distributed firewall (security groups, firewall policies, the
 * settings' default action) the API server holds now. No packet is sent, so it also answers for pods that are not
 * running yet and before the data plane has caught up.
 */
@Command(name = "explain", description = {
        "Explain whether a connection is allowed and which firewall rules, NetworkPolicies and rules decide it: the"
                + " client's egress and the server's ingress, each through the firewall's tiers (emergency, security,"
                + " application), NetworkPolicy, the baseline tier and the default action, computed from the API's"
                + " objects without sending packets. Every firewall rule that selects the pair is listed.",
        "Exit status: 0 allowed, 3 blocked, 1 on errors."})
public final class PolicyExplainCommand implements Callable<Integer> {

    static final int BLOCKED = 3;

    @Spec
    CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--from", required = true, paramLabel = "NS/POD|IP", description = "The client: a pod or an address.")
    String from;

    @Option(names = "--to", required = true, paramLabel = "NS/POD|IP", description = "The server: a pod or an address.")
    String to;

    @Option(names = "--port", required = true, paramLabel = "PORT[/PROTO]",
            description = "The destination port and protocol (TCP, UDP or SCTP; default TCP), e.g. 80/TCP; or icmp.")
    String port;

    @Option(names = "--server", paramLabel = "URL", description = {DroverCommand.SERVER_HELP_1, DroverCommand.SERVER_HELP_2})
    String server;

    private final DroverCommand drover;

    PolicyExplainCommand(DroverCommand drover) {
        this.drover = drover;
    }

    @Override
    public Integer call() {
        // ICMP has no port; firewall rules can name it (services: [{protocol: ICMP}]).
        PortAndProtocol target = port.trim().equalsIgnoreCase(FirewallService.ICMP)
                ? new PortAndProtocol(0, FirewallService.ICMP)
                : PortAndProtocol.parse(port, this::usage);
        Endpoint client = endpoint("--from", from);
        Endpoint serverEnd = endpoint("--to", to);
        PolicySnapshot snapshot;
        try (DroverClient api = drover.client(server)) {
            Firewall firewall = Firewall.of(items(api, ResourceKind.SECURITY_GROUP, SecurityGroup.class),
                    items(api, ResourceKind.FIREWALL_POLICY, FirewallPolicy.class),
                    items(api, ResourceKind.FIREWALL_SETTINGS, FirewallSettings.class).stream()
                            .filter(s -> FirewallSettings.NAME.equals(s.name())).findFirst());
            snapshot = PolicySnapshot.of(items(api, ResourceKind.NAMESPACE, Namespace.class),
                    items(api, ResourceKind.POD, Pod.class), items(api, ResourceKind.NETWORK_POLICY, NetworkPolicy.class),
                    firewall);
        }
        requireKnown(snapshot, client, "--from");
        requireKnown(snapshot, serverEnd, "--to");
        Verdict verdict = snapshot.evaluate(client, serverEnd, target.protocol(), target.port());
        PrintWriter out = spec.commandLine().getOut();
        out.print(verdict.render());
        out.flush();
        return verdict.allowed() ? 0 : BLOCKED;
    }

    private static <T extends Resource> List<T> items(DroverClient api, ResourceKind kind, Class<T> type) {
        return api.list(kind, null, null).items().stream().map(type::cast).toList();
    }

    private Endpoint endpoint(String option, String text) {
        try {
            return Endpoint.parse(text);
        } catch (IllegalArgumentException e) {
            throw usage(option + " " + text + " is neither NAMESPACE/POD nor an IP address (" + e.getMessage() + ")");
        }
    }

    private static void requireKnown(PolicySnapshot snapshot, Endpoint endpoint, String option) {
        if (endpoint instanceof Endpoint.PodEndpoint p && !snapshot.pods().contains(p.pod())) {
            throw new CliException("pod \"" + p.pod().name() + "\" not found in namespace \"" + p.pod().namespace()
                    + "\" (" + option + "); list the pods with: drover get pods -n " + p.pod().namespace());
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
