package io.drover.cli.output;

import io.drover.model.Resource;
import io.drover.model.ResourceKind;
import io.drover.model.firewall.FirewallPolicy;
import io.drover.model.firewall.FirewallSettings;
import io.drover.model.firewall.SecurityGroup;
import io.drover.model.network.Network;
import io.drover.model.node.Node;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodStatus;
import io.drover.model.policy.NetworkPolicy;
import io.drover.model.service.Service;
import io.drover.model.service.ServiceEndpoints;
import io.drover.model.tenant.Namespace;
import io.drover.model.tenant.Tenant;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The columns {@code drover get} shows for each kind, plain and {@code -o wide}. */
public final class ResourceTables {

    public static final String NONE = Labels.NONE;
    public static final String PENDING_ADDRESS = "<pending>";

    private record Column(String header, Function<Resource, String> cell) {}

    private final Instant now;
    private final Map<String, ServiceEndpoints> endpoints;

    /** @param now the instant ages are computed against (a parameter so that tests see fixed ages) */
    public ResourceTables(Instant now) {
        this(now, List.of());
    }

    /** @param endpoints the services' endpoints, for the ENDPOINTS column of services (0/0 for a service without) */
    public ResourceTables(Instant now, List<ServiceEndpoints> endpoints) {
        this.now = now;
        this.endpoints = endpoints.stream().collect(java.util.stream.Collectors.toMap(
                e -> e.namespace() + "/" + e.name(), e -> e, (a, b) -> a));
    }

    /**
     * A table of objects of one kind. {@code withNamespace} (from {@code -A}) puts a NAMESPACE column first for
     * namespaced kinds; cluster-scoped kinds have none to show.
     */
    public Table table(ResourceKind kind, List<? extends Resource> items, boolean wide, boolean withNamespace) {
        List<Column> columns = new ArrayList<>();
        if (withNamespace && kind.namespaced()) {
            columns.add(new Column("NAMESPACE", r -> orNone(r.namespace())));
        }
        columns.add(new Column("NAME", Resource::name));
        columns.addAll(columns(kind));
        columns.add(new Column("AGE", r -> Age.since(r.metadata() == null ? null : r.metadata().creationTimestamp(), now)));
        if (wide) {
            columns.addAll(wideColumns(kind));
        }
        List<List<String>> rows = items.stream()
                .map(item -> columns.stream().map(c -> c.cell().apply(item)).toList())
                .toList();
        return new Table(columns.stream().map(Column::header).toList(), rows);
    }

    private List<Column> columns(ResourceKind kind) {
        return switch (kind) {
            case POD -> List.of(
                    pod("NODE", p -> orNone(p.spec().node())),
                    pod("ADDRESSES", ResourceTables::addresses),
                    pod("STATUS", ResourceTables::phase));
            case NETWORK -> List.of(
                    network("SUBNETS", n -> joined(NetworkSubnets.spec(n).subnets())),
                    network("NAT", n -> String.valueOf(NetworkSubnets.spec(n).natOutgoingEnabled())),
                    network("MTU", n -> String.valueOf(NetworkSubnets.spec(n).effectiveMtu())));
            case NODE -> List.of(
                    node("ADDRESS", n -> orNone(n.spec().address())),
                    node("READY", ResourceTables::ready));
            case NAMESPACE -> List.of(namespace("TENANT", n -> n.spec().tenantOrDefault()));
            case TENANT -> List.of(tenant("DESCRIPTION", t -> orNone(t.spec().description())));
            case BLOCK -> List.of(
                    block("NETWORK", b -> orNone(b.spec().network())),
                    block("CIDR", b -> orNone(b.spec().cidr())),
                    block("NODE", b -> orNone(b.spec().node())));
            case NETWORK_POLICY -> List.of(
                    policy("POD-SELECTOR", p -> PolicyText.selector(PolicyText.spec(p).podSelector())),
                    policy("TYPES", PolicyText::types));
            case SECURITY_GROUP -> List.of(group("MEMBERS", FirewallText::members));
            case FIREWALL_POLICY -> List.of(
                    firewall("TIER", FirewallText::tier),
                    firewall("PRIORITY", FirewallText::priority),
                    firewall("APPLIED-TO", FirewallText::appliedTo),
                    firewall("RULES", p -> Integer.toString(FirewallText.spec(p).ruleList().size())));
            case FIREWALL_SETTINGS -> List.of(
                    settings("DEFAULT-ACTION", FirewallText::defaultAction),
                    settings("LOGGING", s -> String.valueOf(FirewallText.spec(s).logged())));
            case SERVICE -> List.of(
                    service("TYPE", ServiceText::type),
                    service("CLUSTER-IP", ServiceText::clusterIp),
                    service("EXTERNAL-IP", ServiceText::externalIp),
                    service("PORT(S)", ServiceText::ports),
                    service("ENDPOINTS", s -> ServiceText.readyOfTotal(endpoints.get(s.namespace() + "/" + s.name()))));
            case SERVICE_ENDPOINTS -> List.of(
                    serviceEndpoints("READY", ServiceText::readyOfTotal),
                    serviceEndpoints("ENDPOINTS", ServiceText::readyAddresses));
        };
    }

    private static List<Column> wideColumns(ResourceKind kind) {
        return switch (kind) {
            case POD -> List.of(
                    pod("NETWORKS", p -> joined(p.spec().networks())),
                    pod("MODE", p -> p.spec().effectiveNetworkMode()),
                    pod("LABELS", p -> Labels.inline(p.metadata() == null ? null : p.metadata().labels())));
            case NETWORK -> List.of(
                    network("GATEWAYS", n -> joined(NetworkSubnets.of(n).stream().map(NetworkSubnets.Subnet::gateway).toList())),
                    network("BLOCK SIZES", n -> joined(NetworkSubnets.of(n).stream().map(NetworkSubnets.Subnet::blockSize).toList())));
            case FIREWALL_POLICY -> List.of(firewall("ACTIONS", FirewallText::ruleActions));
            case SERVICE -> List.of(service("SELECTOR", s -> s.spec().hasSelector()
                    ? Labels.inline(s.spec().selectorLabels()) : NONE));
            case NODE, NAMESPACE, TENANT, BLOCK, NETWORK_POLICY, SECURITY_GROUP, FIREWALL_SETTINGS, SERVICE_ENDPOINTS ->
                    List.of();
        };
    }

    /**
     * The IPs of every interface, comma-joined; {@code <pending>} until IPAM has allocated one. Pods outside bridge
     * mode get no addresses of their own, so they say whose network they use instead of looking stuck.
     */
    public static String addresses(Pod pod) {
        List<String> ips = pod.status() == null ? List.of()
                : pod.status().addresses().stream().map(PodStatus.PodAddress::ip).filter(ip -> ip != null && !ip.isEmpty()).toList();
        if (!ips.isEmpty()) {
            return String.join(",", ips);
        }
        String mode = pod.spec().effectiveNetworkMode();
        if (mode.startsWith("container:")) {
            return "<shares " + mode.substring("container:".length()) + ">";
        }
        return switch (mode) {
            case "host" -> "<node's>";
            case "none" -> "<loopback only>";
            default -> PENDING_ADDRESS;
        };
    }

    /** The IPAM phase; pods outside bridge mode have nothing to allocate, so they have no phase to wait for. */
    public static String phase(Pod pod) {
        String phase = pod.status() == null ? null : pod.status().phase();
        if (phase != null && !phase.isEmpty()) {
            return phase;
        }
        return pod.spec().joinsNetworks() ? PodStatus.PENDING : NONE;
    }

    /** True/False as the agent last reported, Unknown before it ever did. */
    public static String ready(Node node) {
        Boolean ready = node.status() == null ? null : node.status().ready();
        return ready == null ? "Unknown" : ready ? "True" : "False";
    }

    static String orNone(String value) {
        return value == null || value.isEmpty() ? NONE : value;
    }

    static String joined(List<String> values) {
        return values.isEmpty() ? NONE : String.join(",", values);
    }

    private static Column pod(String header, Function<Pod, String> cell) {
        return new Column(header, r -> cell.apply((Pod) r));
    }

    private static Column network(String header, Function<Network, String> cell) {
        return new Column(header, r -> cell.apply((Network) r));
    }

    private static Column node(String header, Function<Node, String> cell) {
        return new Column(header, r -> cell.apply((Node) r));
    }

    private static Column block(String header, Function<io.drover.model.ipam.Block, String> cell) {
        return new Column(header, r -> cell.apply((io.drover.model.ipam.Block) r));
    }

    private static Column policy(String header, Function<NetworkPolicy, String> cell) {
        return new Column(header, r -> cell.apply((NetworkPolicy) r));
    }

    private static Column group(String header, Function<SecurityGroup, String> cell) {
        return new Column(header, r -> cell.apply((SecurityGroup) r));
    }

    private static Column firewall(String header, Function<FirewallPolicy, String> cell) {
        return new Column(header, r -> cell.apply((FirewallPolicy) r));
    }

    private static Column settings(String header, Function<FirewallSettings, String> cell) {
        return new Column(header, r -> cell.apply((FirewallSettings) r));
    }

    private static Column service(String header, Function<Service, String> cell) {
        return new Column(header, r -> cell.apply((Service) r));
    }

    private static Column serviceEndpoints(String header, Function<ServiceEndpoints, String> cell) {
        return new Column(header, r -> cell.apply((ServiceEndpoints) r));
    }

    private static Column namespace(String header, Function<Namespace, String> cell) {
        return new Column(header, r -> cell.apply((Namespace) r));
    }

    private static Column tenant(String header, Function<Tenant, String> cell) {
        return new Column(header, r -> cell.apply((Tenant) r));
    }
}
