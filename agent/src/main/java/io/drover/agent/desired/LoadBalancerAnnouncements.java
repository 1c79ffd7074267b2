package io.drover.agent.desired;

import io.drover.agent.kernel.Address;
import io.drover.model.net.IpAddresses;
import io.drover.model.node.Node;
import io.drover.model.service.Service;
import io.drover.model.service.ServiceEndpoint;
import io.drover.model.service.ServiceEndpoints;
import io.drover.model.service.ServiceType;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which load-balancer addresses this node answers for on its network, as MetalLB's layer-2 mode does on premises:
 * for each address exactly one node holds it (so the fabric's ARP for it gets one answer), and traffic for it enters
 * the cluster there, where the service rules balance it. The node holds the address on a device of its own
 * ({@link #DEVICE}), so that it answers ARP for it on its uplink and takes the packets in; nothing else changes.
 *
 * <p>Every agent computes the same choice from what it watches, with no election: rendezvous hashing of the address
 * over the candidate nodes, so an address moves only when its node stops being a candidate. Candidates are the ready
 * nodes, and for a service with {@code externalTrafficPolicy: Local} only those with a ready endpoint of it (traffic
 * stays on the node it enters, and the client's address is kept); with no candidate, nobody answers. A single host
 * (no node objects watched) is the only candidate for every address. IPv4 only, as the service rules.
 *
 * <p>Nodes must be on one layer-2 segment with the clients for this to reach them, as with MetalLB's layer-2 mode.
 */
public final class LoadBalancerAnnouncements {

    /** The device that holds the addresses this node answers for. */
    public static final String DEVICE = "drover-lb";

    private LoadBalancerAnnouncements() {}

    /**
     * @param nodes every node of the cluster, or null on a single host
     * @return the addresses this node holds, as /32s, in address order
     */
    public static List<Address> of(String nodeName, Collection<Service> services, Collection<ServiceEndpoints> endpoints,
            Collection<Node> nodes) {
        Set<String> ready = new TreeSet<>();
        if (nodes == null) {
            ready.add(nodeName);
        } else {
            nodes.stream().filter(LoadBalancerAnnouncements::isReady).forEach(n -> ready.add(n.metadata().name()));
        }
        // Indexed only when a service needs it (the Local policy): this runs on every sync, over every service.
        Map<String, ServiceEndpoints> endpointsByService = new HashMap<>();

        Set<InetAddress> mine = new TreeSet<>(LoadBalancerAnnouncements::compare);
        for (Service service : services) {
            if (service.spec() == null || service.spec().effectiveType() != ServiceType.LOAD_BALANCER) {
                continue;
            }
            Set<String> candidates = ready;
            if (service.spec().externalTrafficLocal()) {
                if (endpointsByService.isEmpty()) {
                    endpoints.forEach(e -> endpointsByService.put(key(e.metadata().namespace(), e.metadata().name()), e));
                }
                candidates = nodesWithReadyEndpoints(
                        endpointsByService.get(key(service.metadata().namespace(), service.metadata().name())));
                candidates.retainAll(ready);
            }
            for (String ip : service.loadBalancerIps()) {
                InetAddress address = ipv4(ip);
                if (address != null && nodeName.equals(owner(address, candidates))) {
                    mine.add(address);
                }
            }
        }
        List<Address> out = new ArrayList<>();
        mine.forEach(a -> out.add(new Address(a, 32)));
        return out;
    }

    /** The candidate with the highest score for the address; null when there is none. */
    static String owner(InetAddress address, Set<String> candidates) {
        String ip = IpAddresses.format(address);
        String best = null;
        long bestScore = Long.MIN_VALUE;
        for (String node : candidates) {
            long score = score(ip, node);
            if (best == null || score > bestScore || (score == bestScore && node.compareTo(best) < 0)) {
                best = node;
                bestScore = score;
            }
        }
        return best;
    }

    private static String key(String namespace, String name) {
        return namespace + "/" + name;
    }

    private static boolean isReady(Node node) {
        return node.status() != null && Boolean.TRUE.equals(node.status().ready());
    }

    private static Set<String> nodesWithReadyEndpoints(ServiceEndpoints endpoints) {
        Set<String> out = new TreeSet<>();
        if (endpoints != null) {
            for (ServiceEndpoint e : endpoints.endpoints()) {
                if (e.readyForTraffic() && e.node() != null) {
                    out.add(e.node());
                }
            }
        }
        return out;
    }

    private static InetAddress ipv4(String ip) {
        try {
            InetAddress a = IpAddresses.parse(ip);
            return a instanceof Inet4Address ? a : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * A hash every agent computes alike (not String.hashCode, whose use here would tie the choice to one JVM's
     * implementation): FNV-1a over the UTF-8 bytes, finished with SplitMix64's mixer so that similar names and
     * addresses spread. Cheap, because every sync scores every load-balancer address against every node.
     */
    static long score(String address, String node) {
        long h = 0xcbf29ce484222325L;
        for (byte b : (address + "|" + node).getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
        h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }

    private static int compare(InetAddress a, InetAddress b) {
        return java.util.Arrays.compareUnsigned(a.getAddress(), b.getAddress());
    }
}
