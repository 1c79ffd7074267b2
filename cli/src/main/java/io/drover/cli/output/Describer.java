package io.drover.cli.output;

import io.drover.model.Resource;
import io.drover.model.meta.ObjectMeta;
import io.drover.model.firewall.FirewallPolicy;
import io.drover.model.firewall.FirewallSettings;
import io.drover.model.firewall.SecurityGroup;
import io.drover.model.network.Network;
import io.drover.model.net.IpAddresses;
import io.drover.model.net.IpFamily;
import io.drover.model.network.NetworkSpec;
import io.drover.model.node.Node;
import io.drover.model.pod.HostPorts;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodPort;
import io.drover.model.pod.PodStatus;
import io.drover.model.policy.NetworkPolicy;
import io.drover.model.service.Service;
import io.drover.model.service.ServiceEndpoints;
import io.drover.model.tenant.Namespace;
import io.drover.model.tenant.Tenant;
import io.drover.policy.FirewallRuleRef;
import io.drover.policy.GroupMembers;
import io.drover.policy.NamespacedName;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The multi-line, kubectl-like description of one object: its metadata, then what matters for its kind. */
public final class Describer {

    private static final String FIRST_INTERFACE = io.drover.model.pod.PodSpec.interfaceName(0);

    private final Instant now;

    public Describer(Instant now) {
        this.now = now;
    }

    public String describe(Resource resource) {
        return description(resource).render();
    }

    /**
     * A security group with its members now, computed from the pods and namespaces there are: what its definition
     * does not show.
     */
    public String describe(SecurityGroup group, GroupMembers members) {
        Description d = description(group);
        d.field("Pods Now", members.pods().stream().map(NamespacedName::toString).toList());
        d.field("Addresses Now", members.addresses().stream().map(Object::toString).toList());
        return d.render();
    }

    /** A service with its endpoints, each with its readiness, health and the last check's output. */
    public String describe(Service service, ServiceEndpoints endpoints) {
        Description d = description(service);
        d.table("Endpoints", ServiceText.endpoints(endpoints), endpoints == null
                ? "<none> (no ServiceEndpoints object yet: the endpoints controller has not written one)"
                : "<none> (no pod matches the selector)");
        return d.render();
    }

    private Description description(Resource resource) {
        Description d = new Description();
        metadata(d, resource);
        switch (resource) {
            case Pod pod -> pod(d, pod);
            case Network network -> network(d, network);
            case Node node -> node(d, node);
            case Namespace namespace -> d.field("Tenant", namespace.spec().tenantOrDefault());
            case Tenant tenant -> d.field("Description", tenant.spec().description());
            case io.drover.model.ipam.Block block -> {
                d.field("Network", block.spec().network());
                d.field("CIDR", block.spec().cidr());
                d.field("Node", block.spec().node());
            }
            case NetworkPolicy policy -> policy(d, policy);
            case SecurityGroup group -> d.field("Members", FirewallText.spec(group).members().stream()
                    .map(FirewallText::peer).toList());
            case FirewallPolicy policy -> firewallPolicy(d, policy);
            case FirewallSettings settings -> {
                d.field("Default Action", FirewallText.defaultActionMeaning(settings));
                d.field("Logging", FirewallText.spec(settings).logged() ? "the default action's decisions are logged" : "off");
            }
            case Service service -> service(d, service);
            case ServiceEndpoints endpoints -> d.table("Endpoints", ServiceText.endpoints(endpoints), Labels.NONE);
        }
        return d;
    }

    private static void service(Description d, Service service) {
        var spec = service.spec();
        d.field("Type", ServiceText.type(service));
        d.field("Selector", ServiceText.selector(service));
        d.field("Cluster IP", ServiceText.clusterIp(service));
        if (spec.externalName() != null) {
            d.field("External Name", spec.externalName());
        }
        d.field("External IPs", ServiceText.externalIp(service));
        d.field("Ports", ServiceText.portLines(service));
        d.field("Load Balancing", service.loadBalancing().annotationValue());
        d.field("Session Affinity", ServiceText.affinity(service));
        d.field("External Traffic", spec.externalTrafficLocal() ? "Local" : "Cluster");
        d.field("Internal Traffic", spec.internalTrafficLocal() ? "Local" : "Cluster");
        if (!spec.sourceRangeList().isEmpty()) {
            d.field("Source Ranges", spec.sourceRangeList());
        }
        if (spec.publishesNotReadyAddresses()) {
            d.field("Not Ready Addresses", "published");
        }
        d.field("Health Check", ServiceText.healthCheck(service));
    }

    /** Where it stands among the tiers, where it is enforced, and its rules in order with their counter ids. */
    private static void firewallPolicy(Description d, FirewallPolicy policy) {
        d.field("Tier", FirewallText.tierPlace(policy));
        d.field("Priority", FirewallText.priority(policy) + " (lower first within the tier)");
        d.field("Applied To", FirewallText.appliedTo(policy));
        d.table("Rules", FirewallText.rules(policy), "none (the policy matches nothing)");
        List<String> ids = new ArrayList<>();
        for (var rule : FirewallText.spec(policy).ruleList()) {
            if (rule != null && rule.name() != null && policy.name() != null) {
                ids.add(rule.name() + ": " + FirewallRuleRef.idOf(policy.name(), rule.name()));
            }
        }
        if (!ids.isEmpty()) {
            d.field("Counter IDs", ids);
        }
    }

    private void metadata(Description d, Resource resource) {
        ObjectMeta meta = resource.metadata() == null ? ObjectMeta.named(null) : resource.metadata();
        d.field("Name", meta.name());
        if (resource.resourceKind().namespaced()) {
            d.field("Namespace", meta.namespace());
        }
        d.field("Labels", Labels.lines(meta.labels()));
        d.field("Annotations", Labels.lines(meta.annotations()));
        d.field("UID", meta.uid());
        d.field("Resource Version", meta.resourceVersion());
        d.field("Created", created(meta.creationTimestamp()));
    }

    private String created(String timestamp) {
        String age = Age.since(timestamp, now);
        return age.equals(Age.UNKNOWN) ? Age.UNKNOWN : timestamp + " (" + age + " ago)";
    }

    private static void pod(Description d, Pod pod) {
        d.field("Node", pod.spec().node());
        d.field("Network Mode", pod.spec().effectiveNetworkMode());
        d.field("Networks", ResourceTables.joined(pod.spec().networks()));
        d.field("Command", pod.spec().command().isEmpty() ? "<built-in echo server>" : String.join(" ", pod.spec().command()));
        d.table("Ports", ports(pod), Labels.NONE);
        if (pod.spec().publishAllPorts() != null) {
            d.field("Publish All Ports", pod.spec().publishAllPorts().toString());
        }
        if (!pod.spec().effectiveNetworkMode().equals("host") && !pod.spec().ports().isEmpty()) {
            d.field("Published", published(pod));
        }
        List<PodStatus.PodAddress> addresses = pod.status() == null ? List.of() : pod.status().addresses();
        d.table("Addresses", addresses(addresses), ResourceTables.addresses(pod));
        d.field("Status", ResourceTables.phase(pod));
        d.field("Message", pod.status() == null ? null : pod.status().message());
    }

    private static Table ports(Pod pod) {
        List<PodPort> automatic = pod.spec().automaticPorts();
        return new Table(List.of("NAME", "PORT", "PROTOCOL", "HOST PORT", "HOST IP"), pod.spec().ports().stream()
                .map(p -> List.of(
                        ResourceTables.orNone(p.name()),
                        text(p.port()),
                        p.effectiveProtocol(),
                        automatic.contains(p) ? HostPorts.assigned(pod, p).map(a -> a.hostPort() + " (automatic)")
                                .orElse(ResourceTables.PENDING_ADDRESS) : text(p.hostPort()),
                        ResourceTables.orNone(p.hostIP())))
                .toList());
    }

    /**
     * The published ports as {@code docker ps} shows them, {@code 0.0.0.0:32768->80/tcp}: declared and automatic
     * host ports alike, once per address family of the pod's first network ({@code 0.0.0.0} every IPv4 address of
     * the node, {@code [::]} every IPv6 one), or on the one address {@code hostIP} names.
     */
    static List<String> published(Pod pod) {
        Set<IpFamily> families = EnumSet.noneOf(IpFamily.class);
        String first = pod.spec().networks().isEmpty() ? null : pod.spec().networks().getFirst();
        for (PodStatus.PodAddress a : pod.status() == null ? List.<PodStatus.PodAddress>of() : pod.status().addresses()) {
            if ((FIRST_INTERFACE.equals(a.interfaceName()) || a.interfaceName() == null && a.network() != null
                    && a.network().equals(first)) && a.ip() != null && IpAddresses.isValid(a.ip())) {
                families.add(IpFamily.of(IpAddresses.parse(a.ip())));
            }
        }
        if (families.isEmpty()) {
            families.add(IpFamily.IPV4); // not addressed yet, or the address of another pod (container mode)
        }
        List<String> out = new ArrayList<>();
        for (PodPort p : HostPorts.ports(pod)) {
            String target = "->" + p.port() + "/" + p.effectiveProtocol().toLowerCase(Locale.ROOT);
            InetAddress hostIp = p.hostIP() == null || p.hostIP().isEmpty() || !IpAddresses.isValid(p.hostIP())
                    ? null : IpAddresses.parse(p.hostIP());
            if (hostIp != null && !hostIp.isAnyLocalAddress()) {
                out.add(bracketed(IpAddresses.format(hostIp)) + ":" + p.hostPort() + target);
                continue;
            }
            for (IpFamily family : families) {
                if (hostIp == null || IpFamily.of(hostIp) == family) {
                    out.add((family == IpFamily.IPV4 ? "0.0.0.0" : "[::]") + ":" + p.hostPort() + target);
                }
            }
        }
        return out;
    }

    private static String bracketed(String ip) {
        return ip.contains(":") ? "[" + ip + "]" : ip;
    }

    private static Table addresses(List<PodStatus.PodAddress> addresses) {
        return new Table(List.of("NETWORK", "INTERFACE", "IP/PREFIX", "GATEWAY"), addresses.stream()
                .map(a -> List.of(
                        ResourceTables.orNone(a.network()),
                        ResourceTables.orNone(a.interfaceName()),
                        ResourceTables.orNone(a.ip()) + (a.prefix() == null ? "" : "/" + a.prefix()),
                        ResourceTables.orNone(a.gateway())))
                .toList());
    }

    private static void network(Description d, Network network) {
        NetworkSpec spec = NetworkSubnets.spec(network);
        d.table("Subnets", new Table(List.of("SUBNET", "GATEWAY", "BLOCK SIZE"), NetworkSubnets.of(network).stream()
                .map(s -> List.of(s.cidr(), s.gateway(), s.blockSize()))
                .toList()), Labels.NONE);
        d.field("NAT Outgoing", String.valueOf(spec.natOutgoingEnabled()));
        d.field("MTU", String.valueOf(spec.effectiveMtu()));
        boolean reported = network.status() != null;
        d.field("Allocated Addresses", reported ? text(network.status().allocatedAddresses()) : Age.UNKNOWN);
        d.field("Allocated Blocks", reported ? text(network.status().blocks()) : Age.UNKNOWN);
    }

    /** Whom it applies to, then per direction whether it isolates and what each rule allows. */
    private static void policy(Description d, NetworkPolicy policy) {
        d.field("Pod Selector", PolicyText.selector(PolicyText.spec(policy).podSelector()));
        d.field("Policy Types", PolicyText.types(policy));
        d.field("Ingress", PolicyText.direction(policy, true));
        d.field("Egress", PolicyText.direction(policy, false));
    }

    private static void node(Description d, Node node) {
        d.field("Address", node.spec().address());
        d.field("Ready", ResourceTables.ready(node));
        d.field("Last Heartbeat", node.status() == null ? null : node.status().lastHeartbeat());
        d.field("Message", node.status() == null ? null : node.status().message());
        if (node.status() != null && !node.status().warnings().isEmpty()) {
            d.field("Warnings", node.status().warnings());
        }
    }

    private static String text(Object value) {
        return value == null ? Labels.NONE : value.toString();
    }
}
