package io.drover.agent.desired;

import io.drover.agent.kernel.Address;
import io.drover.agent.kernel.NetNs;
import io.drover.agent.rules.BridgeNetwork;
import io.drover.agent.rules.FastPath;
import io.drover.agent.rules.NodeRules;
import io.drover.agent.rules.PolicyRules;
import io.drover.agent.rules.ServiceRules;
import io.drover.agent.rules.PortClash;
import io.drover.agent.rules.SpoofGuard;
import io.drover.agent.rules.PublishedPort;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Everything a node's data plane should be, computed from the store alone ({@link NodeCalculator#compute}): no
 * I/O, so it is unit tested without root and compared, not re-applied, by the reconciler.
 *
 * @param nodeNamespace        where the bridges and the node ends of the veths live
 * @param bridges              one per network that has a plumbed pod on this node, by network name
 * @param namespaces           the pod namespaces the agent creates, by name
 * @param interfaces           every pod interface, by pod and interface
 * @param sysctls              node-namespace sysctls (forwarding for the families in use)
 * @param ruleNetworks         the networks as the nftables rules see them (isolation, masquerade)
 * @param publishedPorts       the pods' published ports (DNAT from the node), free of clashes
 * @param refusedPorts         published ports left out because an older pod has the host port, with why
 * @param ownedNamespacePrefix the prefix of the namespaces the agent owns, or null when it creates none
 * @param waiting              pods not (fully) plumbed yet, and why
 * @param crossNode            how the pods of other nodes are reached ({@link DesiredCrossNode#NONE} on a single host)
 * @param policy               the NetworkPolicy chains and sets of this node's isolated pods ({@link PolicyCalculator})
 * @param services             the services this node balances ({@link ServiceCalculator})
 */
public record DesiredNode(
        String node,
        NetNs nodeNamespace,
        List<DesiredBridge> bridges,
        List<DesiredNamespace> namespaces,
        List<DesiredInterface> interfaces,
        Map<String, String> sysctls,
        List<BridgeNetwork> ruleNetworks,
        List<PublishedPort> publishedPorts,
        List<PortClash> refusedPorts,
        String ownedNamespacePrefix,
        List<Waiting> waiting,
        DesiredCrossNode crossNode,
        PolicyRules policy,
        ServiceRules services) {

    /** A node without network policy. */
    public DesiredNode(String node, NetNs nodeNamespace, List<DesiredBridge> bridges, List<DesiredNamespace> namespaces,
            List<DesiredInterface> interfaces, Map<String, String> sysctls, List<BridgeNetwork> ruleNetworks,
            List<PublishedPort> publishedPorts, List<PortClash> refusedPorts, String ownedNamespacePrefix,
            List<Waiting> waiting, DesiredCrossNode crossNode) {
        this(node, nodeNamespace, bridges, namespaces, interfaces, sysctls, ruleNetworks, publishedPorts, refusedPorts,
                ownedNamespacePrefix, waiting, crossNode, PolicyRules.NONE, ServiceRules.NONE);
    }

    public DesiredNode {
        bridges = List.copyOf(bridges);
        namespaces = List.copyOf(namespaces);
        interfaces = List.copyOf(interfaces);
        sysctls = Collections.unmodifiableSortedMap(new TreeMap<>(sysctls));
        ruleNetworks = List.copyOf(ruleNetworks);
        publishedPorts = List.copyOf(publishedPorts);
        refusedPorts = List.copyOf(refusedPorts);
        waiting = List.copyOf(waiting);
        crossNode = crossNode == null ? DesiredCrossNode.NONE : crossNode;
        policy = policy == null ? PolicyRules.NONE : policy;
        services = services == null ? ServiceRules.NONE : services;
    }

    /** This node with the given policy rules in place of its own. */
    public DesiredNode withPolicy(PolicyRules rules) {
        return new DesiredNode(node, nodeNamespace, bridges, namespaces, interfaces, sysctls, ruleNetworks, publishedPorts,
                refusedPorts, ownedNamespacePrefix, waiting, crossNode, rules, services);
    }

    /** This node with the given service rules in place of its own. */
    public DesiredNode withServices(ServiceRules rules) {
        return new DesiredNode(node, nodeNamespace, bridges, namespaces, interfaces, sysctls, ruleNetworks, publishedPorts,
                refusedPorts, ownedNamespacePrefix, waiting, crossNode, policy, rules);
    }

    /**
     * This node holding the given load-balancer addresses ({@link LoadBalancerAnnouncements}) on a bridge without
     * ports that exists only while it holds some: the node then answers ARP for them on its uplink.
     */
    public DesiredNode withAnnounced(List<Address> addresses) {
        List<DesiredBridge> withDevice = new java.util.ArrayList<>(bridges.stream()
                .filter(b -> !b.name().equals(LoadBalancerAnnouncements.DEVICE)).toList());
        if (!addresses.isEmpty()) {
            withDevice.add(new DesiredBridge(null, LoadBalancerAnnouncements.DEVICE, ANNOUNCE_MTU, addresses,
                    Ownership.ANNOUNCE_ALIAS, null));
        }
        return new DesiredNode(node, nodeNamespace, withDevice, namespaces, interfaces, sysctls, ruleNetworks,
                publishedPorts, refusedPorts, ownedNamespacePrefix, waiting, crossNode, policy, services);
    }

    /** The announcement device carries no traffic of its own; any MTU does. */
    private static final int ANNOUNCE_MTU = 1500;

    /**
     * Whether the kernel would be programmed the same for both: everything but the pods that wait and the ports
     * refused, which are reported, not programmed.
     */
    public boolean sameDataPlaneAs(DesiredNode other) {
        return other != null
                && node.equals(other.node)
                && nodeNamespace.equals(other.nodeNamespace)
                && bridges.equals(other.bridges)
                && namespaces.equals(other.namespaces)
                && interfaces.equals(other.interfaces)
                && sysctls.equals(other.sysctls)
                && ruleNetworks.equals(other.ruleNetworks)
                && publishedPorts.equals(other.publishedPorts)
                && java.util.Objects.equals(ownedNamespacePrefix, other.ownedNamespacePrefix)
                && crossNode.equals(other.crossNode)
                && policy.equals(other.policy)
                && services.equals(other.services);
    }

    public NodeRules rules() {
        // An interface without addresses yet needs no elements: its port sends nothing until it has them.
        return new NodeRules(ruleNetworks, publishedPorts, policy, new SpoofGuard(interfaces.stream()
                .filter(i -> !i.addresses().isEmpty())
                .map(i -> new SpoofGuard.GuardedPort(i.hostName(), i.mac(),
                        i.addresses().stream().map(io.drover.agent.kernel.Address::ip).toList(), i.pod()))
                .toList()), services, peerNodes(), fastPath());
    }

    /**
     * The fast path: every IPv4 pod port on a bridge, eligible unless network policy isolates its pod or the pod
     * publishes a port (both need the inet table's conntrack and chains on this node); the other nodes' blocks.
     * Service endpoints are kept off it by the rules themselves ({@link FastPath}).
     */
    private FastPath fastPath() {
        String device = crossNode.peerDevice();
        if (device == null) {
            return FastPath.NONE;
        }
        java.util.Set<String> isolated = policy.isolatedAddresses4();
        java.util.Set<java.net.InetAddress> publishing = new java.util.HashSet<>();
        publishedPorts.forEach(p -> publishing.add(p.podIp()));
        List<FastPath.Port> ports = new java.util.ArrayList<>();
        for (DesiredInterface i : interfaces) {
            if (i.bridge() == null) {
                continue;
            }
            for (io.drover.agent.kernel.Address a : i.addresses()) {
                if (a.ip() instanceof java.net.Inet4Address ip) {
                    boolean eligible = !isolated.contains(io.drover.model.net.IpAddresses.format(ip)) && !publishing.contains(ip);
                    ports.add(new FastPath.Port(i.hostName(), i.mac(), ip, i.bridge(), eligible, i.pod()));
                }
            }
        }
        Map<String, List<java.net.InetAddress>> gateways = new java.util.HashMap<>();
        bridges.forEach(b -> gateways.put(b.name(), b.addresses().stream().map(Address::ip).toList()));
        List<FastPath.Network> networks = ruleNetworks.stream()
                .map(n -> new FastPath.Network(n.bridge(), n.subnets(), gateways.get(n.bridge()))).toList();
        List<FastPath.NextHop> hops = crossNode.routes().stream()
                .filter(r -> r.gateway() != null)
                .map(r -> new FastPath.NextHop(r.destination(), r.gateway())).toList();
        return new FastPath(device, ports, networks, hops);
    }

    /**
     * The other nodes that route or tunnel to this one's pods: the next hops of the routes to their blocks. Their
     * packets may enter this node's networks (a service they balanced, masqueraded to their address).
     */
    private List<java.net.InetAddress> peerNodes() {
        return crossNode.routes().stream().map(io.drover.agent.kernel.Route::gateway)
                .filter(java.util.Objects::nonNull).distinct().toList();
    }

    /** The whole nftables table as one {@code nft -f} script. */
    public String nftScript() {
        return rules().nftScript();
    }

    public Optional<String> ownedPrefix() {
        return Optional.ofNullable(ownedNamespacePrefix);
    }

    public Optional<DesiredBridge> bridge(String name) {
        return bridges.stream().filter(b -> b.name().equals(name)).findFirst();
    }

    /** The interfaces of one pod ({@code <namespace>/<pod>}), eth0 first. */
    public List<DesiredInterface> interfacesOf(String pod) {
        return interfaces.stream().filter(i -> i.pod().equals(pod)).toList();
    }
}
