package io.drover.model;

import io.drover.model.firewall.FirewallPolicy;
import io.drover.model.firewall.FirewallSettings;
import io.drover.model.firewall.SecurityGroup;
import io.drover.model.ipam.Block;
import io.drover.model.network.Network;
import io.drover.model.node.Node;
import io.drover.model.pod.Pod;
import io.drover.model.policy.NetworkPolicy;
import io.drover.model.service.Service;
import io.drover.model.service.ServiceEndpoints;
import io.drover.model.tenant.Namespace;
import io.drover.model.tenant.Tenant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The kinds Drover serves: their names, the REST plural, short names for the CLI and their scope. */
public enum ResourceKind {
    TENANT("Tenant", "tenants", List.of("tenant", "tn"), false, Tenant.class),
    NAMESPACE("Namespace", "namespaces", List.of("namespace", "ns", "project", "projects"), false, Namespace.class),
    NETWORK("Network", "networks", List.of("network", "net", "nets"), false, Network.class),
    NODE("Node", "nodes", List.of("node", "no"), false, Node.class),
    POD("Pod", "pods", List.of("pod", "po"), true, Pod.class),
    BLOCK("Block", "blocks", List.of("block", "blk"), false, Block.class),
    NETWORK_POLICY("NetworkPolicy", "networkpolicies", List.of("networkpolicy", "netpol", "netpols"), true,
            NetworkPolicy.class, NetworkPolicy.API_VERSION),
    // The distributed firewall: cluster-scoped, as NSX's groups and rules and Antrea's cluster network policies.
    SECURITY_GROUP("SecurityGroup", "securitygroups", List.of("securitygroup", "sg", "sgs"), false, SecurityGroup.class),
    FIREWALL_POLICY("FirewallPolicy", "firewallpolicies", List.of("firewallpolicy", "fwp", "fwps", "fwpolicy",
            "fwpolicies"), false, FirewallPolicy.class),
    FIREWALL_SETTINGS("FirewallSettings", "firewallsettings", List.of("fwsettings"), false, FirewallSettings.class),
    SERVICE("Service", "services", List.of("service", "svc"), true, Service.class, Service.API_VERSION),
    // Derived from a service by a controller, under the service's namespace and name.
    SERVICE_ENDPOINTS("ServiceEndpoints", "serviceendpoints", List.of("endpoints", "ep"), true, ServiceEndpoints.class);

    public static final String API_VERSION = "drover.io/v1";

    private final String kind;
    private final String plural;
    private final List<String> aliases;
    private final boolean namespaced;
    private final Class<? extends Resource> type;
    private final String apiVersion;

    ResourceKind(String kind, String plural, List<String> aliases, boolean namespaced, Class<? extends Resource> type) {
        this(kind, plural, aliases, namespaced, type, API_VERSION);
    }

    ResourceKind(String kind, String plural, List<String> aliases, boolean namespaced, Class<? extends Resource> type,
            String apiVersion) {
        this.apiVersion = apiVersion;
        this.kind = kind;
        this.plural = plural;
        this.aliases = aliases;
        this.namespaced = namespaced;
        this.type = type;
    }

    public String kind() {
        return kind;
    }

    public String plural() {
        return plural;
    }

    public boolean namespaced() {
        return namespaced;
    }

    public Class<? extends Resource> type() {
        return type;
    }

    /** {@code drover.io/v1} for Drover's own kinds; the Kubernetes group's version for kinds taken from Kubernetes. */
    public String apiVersion() {
        return apiVersion;
    }

    /** Finds a kind by its name, plural or short name, ignoring case ("Pod", "pods", "po"). */
    public static Optional<ResourceKind> find(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String wanted = name.toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(k -> k.kind.toLowerCase(Locale.ROOT).equals(wanted) || k.plural.equals(wanted) || k.aliases.contains(wanted))
                .findFirst();
    }

    public static ResourceKind of(Class<?> type) {
        for (ResourceKind k : values()) {
            if (k.type == type) {
                return k;
            }
        }
        throw new IllegalArgumentException("not a resource type: " + type);
    }

    /** "Namespace, Network, Node, Pod, Tenant": for error messages that list what is known. */
    public static String knownKinds() {
        return Arrays.stream(values()).map(ResourceKind::kind).sorted().collect(Collectors.joining(", "));
    }
}
