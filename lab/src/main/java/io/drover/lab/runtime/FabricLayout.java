package io.drover.lab.runtime;

import io.drover.agent.kernel.Address;
import io.drover.agent.kernel.NetNs;
import io.drover.model.net.Cidr;
import java.math.BigInteger;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The plan of a lab's underlay, computed from the lab name, the node count and the underlay's shape alone (pure).
 *
 * <p>A <em>flat</em> underlay (the default) is one L2 segment: the fabric namespace holds bridge {@code underlay}
 * with the fabric's own address (the subnet's last host, e.g. 172.31.0.254/24: where lab-wide services can
 * listen); node-N's namespace has uplink {@code eth0} with the N-th host address (172.31.0.N/24), the peer of veth
 * {@code node-N} on the bridge.
 *
 * <p>A <em>routed</em> underlay is two L2 segments joined by a router, so that nodes are not all L2-adjacent, as
 * racks behind a router are: bridges {@code underlay-1} (172.31.1.0/24) and {@code underlay-2} (172.31.2.0/24) in
 * the fabric namespace; namespace {@code drl-NAME-router} plugs into both (veths {@code router-1}/{@code router-2} on
 * the bridges, {@code eth1} 172.31.1.254/24 and {@code eth2} 172.31.2.254/24 inside) and forwards between them (IP
 * forwarding on in that namespace only). Nodes alternate between the segments (node-1 on 1, node-2 on 2, node-3 on
 * 1, ...), keep their number as host part (node-2 is 172.31.2.2/24) and have a default route via the router's
 * address on their segment. The fabric's own address is 172.31.1.253/24, with a route to 172.31.0.0/16 via the
 * router, so that the fabric reaches every node either way.
 *
 * <p>Lab-wide members that need an underlay address of their own (the etcd members) get host 201, 202, ... of the
 * first segment ({@link #memberAddress}), on the fabric's bridge.
 *
 * @param underlay      the underlay's addresses: the one subnet of a flat underlay, 172.31.0.0/16 for a routed one
 * @param fabric        the fabric namespace
 * @param bridge        the fabric's own bridge (the first segment's), where its address and the members' are
 * @param fabricAddress the fabric's own address
 * @param kind          flat or routed
 * @param segments      the L2 segments, one per bridge
 * @param router        the router between the segments; null for a flat underlay
 */
public record FabricLayout(
        String lab, Cidr underlay, FabricLayout.Namespace fabric, String bridge, Address fabricAddress, List<Node> nodes,
        Kind kind, List<Segment> segments, Router router) {

    public static final Cidr DEFAULT_UNDERLAY = Cidr.parse("172.31.0.0/24");
    /** The addresses of a routed underlay: its segments are 172.31.1.0/24 and 172.31.2.0/24. */
    public static final Cidr ROUTED_UNDERLAY = Cidr.parse("172.31.0.0/16");
    public static final int ROUTED_SEGMENTS = 2;
    public static final String BRIDGE = "underlay";
    /** A lab node's uplink has the name a real node's first NIC usually has. */
    public static final String UPLINK = "eth0";
    public static final int MTU = 1500;
    /** The host part of the first lab-wide member's address (etcd-1 is 172.31.0.201 in a flat underlay). */
    public static final int FIRST_MEMBER_HOST = 201;
    public static final int MAX_MEMBERS = 5;
    /** LoadBalancer addresses of a flat underlay: hosts 240 to 247 ({@link #loadBalancerPool}). */
    public static final int LOAD_BALANCER_FIRST_HOST = 240;
    public static final int LOAD_BALANCER_ADDRESSES = 8;

    /** The shape of the underlay. */
    public enum Kind {
        /** One L2 segment: every node is adjacent to every other. */
        FLAT,
        /** Two L2 segments joined by a router namespace: nodes of different segments reach each other through it. */
        ROUTED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Kind parse(String text) {
            for (Kind k : values()) {
                if (k.label().equals(text)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("--underlay " + text + ": a lab's underlay is flat (one L2 segment) or"
                    + " routed (two segments joined by a router)");
        }
    }

    /** A namespace by its name under /run/netns. */
    public record Namespace(String name) {
        public NetNs netns() {
            return NetNs.named(name);
        }
    }

    /**
     * @param name       the node's name (node-N), as the lab registers it
     * @param namespace  its namespace
     * @param fabricPort the veth end on the fabric bridge: setting it down cuts the node off the underlay
     * @param uplink     the veth end inside the node
     * @param address    the uplink's underlay address
     * @param bridge     the bridge (segment) its fabric port is on
     * @param gateway    its default route: the router's address on its segment, or in a flat underlay the fabric's
     *                   own address (the lab's way out, which leads nowhere further: as a real node's default route,
     *                   it makes the node route every destination, so that a service address without endpoints
     *                   meets the service rules' reject rather than "network unreachable")
     */
    public record Node(String name, Namespace namespace, String fabricPort, String uplink, Address address, String bridge,
            InetAddress gateway) {}

    /**
     * One L2 segment of the underlay.
     *
     * @param bridge the bridge in the fabric namespace
     * @param subnet its subnet
     * @param router the router's address on it, or null (a flat underlay has no router)
     */
    public record Segment(String bridge, Cidr subnet, Address router) {}

    /**
     * The router of a routed underlay: one veth pair per segment.
     *
     * @param namespace its namespace ({@code drl-NAME-router})
     * @param ports     per segment, in segment order
     */
    public record Router(Namespace namespace, List<RouterPort> ports) {
        public Router {
            ports = List.copyOf(ports);
        }
    }

    /**
     * @param fabricPort the veth end on the segment's bridge ({@code router-S})
     * @param name       the veth end inside the router ({@code ethS})
     * @param address    its address: the segment's gateway
     * @param bridge     the segment's bridge
     */
    public record RouterPort(String fabricPort, String name, Address address, String bridge) {}

    public FabricLayout {
        nodes = List.copyOf(nodes);
        segments = List.copyOf(segments);
    }

    public static FabricLayout plan(String lab, int nodeCount) {
        return plan(lab, nodeCount, DEFAULT_UNDERLAY);
    }

    public static FabricLayout plan(String lab, int nodeCount, Kind kind) {
        return kind == Kind.FLAT ? plan(lab, nodeCount, DEFAULT_UNDERLAY) : planRouted(lab, nodeCount);
    }

    /** A flat underlay on {@code underlay}. */
    public static FabricLayout plan(String lab, int nodeCount, Cidr underlay) {
        LabNames names = LabNames.of(lab);
        checkNodeCount(nodeCount);
        if (underlay.family() != io.drover.model.net.IpFamily.IPV4) {
            throw new IllegalArgumentException("the lab underlay is an IPv4 subnet, not " + underlay);
        }
        // Hosts 1..N for nodes, the last host for the fabric; the network and broadcast addresses stay unused.
        BigInteger needed = BigInteger.valueOf(nodeCount + 3L);
        if (underlay.size().compareTo(needed) < 0) {
            throw new IllegalArgumentException("underlay " + underlay + " is too small for " + nodeCount
                    + " nodes; use a larger subnet, e.g. " + DEFAULT_UNDERLAY);
        }
        int prefix = underlay.prefixLength();
        Address fabricAddress = new Address(underlay.address(underlay.size().subtract(BigInteger.TWO)), prefix);
        List<Node> nodes = new ArrayList<>();
        for (int n = 1; n <= nodeCount; n++) {
            nodes.add(new Node(LabNames.nodeName(n), new Namespace(names.nodeNamespace(n)), LabNames.nodeName(n),
                    UPLINK, new Address(underlay.address(BigInteger.valueOf(n)), prefix), BRIDGE, fabricAddress.ip()));
        }
        return new FabricLayout(lab, underlay, new Namespace(names.fabricNamespace()), BRIDGE, fabricAddress, nodes,
                Kind.FLAT, List.of(new Segment(BRIDGE, underlay, null)), null);
    }

    private static FabricLayout planRouted(String lab, int nodeCount) {
        LabNames names = LabNames.of(lab);
        checkNodeCount(nodeCount);
        List<Segment> segments = new ArrayList<>();
        List<RouterPort> ports = new ArrayList<>();
        for (int s = 1; s <= ROUTED_SEGMENTS; s++) {
            Cidr subnet = Cidr.parse("172.31." + s + ".0/24");
            Address gateway = new Address(subnet.address(BigInteger.valueOf(254)), 24);
            segments.add(new Segment(BRIDGE + "-" + s, subnet, gateway));
            ports.add(new RouterPort("router-" + s, "eth" + s, gateway, BRIDGE + "-" + s));
        }
        List<Node> nodes = new ArrayList<>();
        for (int n = 1; n <= nodeCount; n++) {
            Segment segment = segments.get((n - 1) % ROUTED_SEGMENTS);
            nodes.add(new Node(LabNames.nodeName(n), new Namespace(names.nodeNamespace(n)), LabNames.nodeName(n), UPLINK,
                    new Address(segment.subnet().address(BigInteger.valueOf(n)), 24), segment.bridge(),
                    segment.router().ip()));
        }
        Segment first = segments.getFirst();
        return new FabricLayout(lab, ROUTED_UNDERLAY, new Namespace(names.fabricNamespace()), first.bridge(),
                new Address(first.subnet().address(BigInteger.valueOf(253)), 24), nodes, Kind.ROUTED, segments,
                new Router(new Namespace(names.routerNamespace()), ports));
    }

    private static void checkNodeCount(int nodeCount) {
        if (nodeCount < 1 || nodeCount > LabNames.MAX_NODES) {
            throw new IllegalArgumentException("a lab has 1 to " + LabNames.MAX_NODES + " nodes, not " + nodeCount);
        }
    }

    /**
     * The addresses the lab's servers give LoadBalancer services: hosts 240 to 247 of a flat underlay, beside the
     * nodes, the members and the fabric's own address, so that a client on the fabric reaches them by ARP and the
     * node holding one answers (as MetalLB's layer-2 mode). None in a routed underlay: a node on the other segment
     * could not answer for an address of this one; nor in a lab of 240 nodes or more, whose nodes have those hosts.
     */
    public java.util.Optional<String> loadBalancerPool() {
        if (kind != Kind.FLAT || nodes.size() >= LOAD_BALANCER_FIRST_HOST) {
            return java.util.Optional.empty();
        }
        Cidr subnet = segments.getFirst().subnet();
        if (subnet.size().compareTo(BigInteger.valueOf(LOAD_BALANCER_FIRST_HOST + LOAD_BALANCER_ADDRESSES + 1)) < 0) {
            return java.util.Optional.empty();
        }
        InetAddress first = subnet.address(BigInteger.valueOf(LOAD_BALANCER_FIRST_HOST));
        InetAddress last = subnet.address(BigInteger.valueOf(LOAD_BALANCER_FIRST_HOST + LOAD_BALANCER_ADDRESSES - 1));
        return java.util.Optional.of(first.getHostAddress() + "-" + last.getHostAddress());
    }

    /** The fabric's route to the segments it is not on (through the router); null in a flat underlay. */
    public InetAddress fabricGateway() {
        return router == null ? null : segments.getFirst().router().ip();
    }

    /**
     * The underlay address of lab-wide member {@code i} (1-based; the etcd members): host 200+i of the first segment,
     * on the fabric's bridge. Nodes with those numbers would take the same addresses, so a lab with members has at
     * most {@link #FIRST_MEMBER_HOST} - 1 nodes.
     */
    public Address memberAddress(int i) {
        if (i < 1 || i > MAX_MEMBERS) {
            throw new IllegalArgumentException("lab members are numbered 1 to " + MAX_MEMBERS + ", not " + i);
        }
        Cidr subnet = segments.getFirst().subnet();
        BigInteger host = BigInteger.valueOf(FIRST_MEMBER_HOST - 1L + i);
        if (subnet.size().compareTo(host.add(BigInteger.TWO)) < 0) {
            throw new IllegalArgumentException("underlay " + subnet + " has no room for lab member " + i);
        }
        return new Address(subnet.address(host), subnet.prefixLength());
    }

    /** Every namespace of the plan, fabric first (then the router, then the nodes). */
    public List<String> namespaces() {
        List<String> all = new ArrayList<>();
        all.add(fabric.name());
        if (router != null) {
            all.add(router.namespace().name());
        }
        nodes.forEach(n -> all.add(n.namespace().name()));
        return all;
    }

    public Node node(String name) {
        return nodes.stream().filter(n -> n.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("lab " + lab + " has no node " + name));
    }
}
