package io.drover.api.registry;

import io.drover.api.ApiException;
import io.drover.model.net.Cidr;
import io.drover.model.net.IpAddresses;
import io.drover.model.service.AddressPool;
import io.drover.model.service.NodePortRange;
import io.drover.model.service.Service;
import io.drover.model.service.ServiceNetworkOptions;
import io.drover.model.service.ServicePort;
import io.drover.model.service.ServiceSpec;
import io.drover.model.service.ServiceStatus;
import io.drover.model.service.ServiceType;
import io.drover.store.KeyValue;
import io.drover.store.KeyValueStore;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongFunction;
import java.util.stream.Collectors;

/**
 * Gives a service what the Kubernetes API server gives it at admission: a cluster IP from the service CIDR, a node
 * port per port (NodePort and LoadBalancer) from the node-port range, an address from a load balancer pool
 * (LoadBalancer), or checks the ones it asks for. Each is a claim key taken in the transaction that writes the
 * service, only when absent, so that servers sharing a store never hand out one twice; claims the service no longer
 * needs are deleted in the same transaction, and all of them when it is deleted.
 */
final class ServiceAdmission {

    /** Random probes before listing every claim: in a sparse range the first probe is almost always free. */
    private static final int RANDOM_PROBES = 8;

    private final KeyValueStore store;
    private final ServiceNetworkOptions options;

    ServiceAdmission(KeyValueStore store, ServiceNetworkOptions options) {
        this.store = store;
        this.options = options;
    }

    ServiceNetworkOptions options() {
        return options;
    }

    /**
     * The service as it will be stored, and the guards that take its new claims and release the ones it dropped.
     *
     * @param stored the service before this write; null for a create
     * @throws ApiException Invalid when something asked for is outside its range or taken, or a range is exhausted
     */
    Allocation allocate(Service candidate, Service stored) {
        Plan plan = new Plan(candidate, stored);
        ServiceSpec spec = candidate.spec();
        String clusterIp = plan.clusterIp();
        List<ServicePort> ports = plan.nodePorts();
        ServiceStatus status = plan.loadBalancer();
        ServiceSpec completed = spec.toBuilder()
                .clusterIP(clusterIp)
                .clusterIPs(clusterIp == null ? null : List.of(clusterIp))
                .ports(spec.ports() == null ? null : ports)
                .build();
        return new Allocation(candidate.withSpec(completed).withStatus(status), plan.guards());
    }

    /** The guards of deleting a service: every claim it holds is let go. */
    List<Guard> releasesOnDelete(Service stored) {
        return claimsOf(stored).stream().map(c -> c.release(store)).toList();
    }

    /** What a stored service holds, read from its own fields (which were written with the claims). */
    static List<ServiceClaim> claimsOf(Service service) {
        List<ServiceClaim> claims = new ArrayList<>();
        ServiceSpec spec = service.spec();
        if (spec.effectiveType() != ServiceType.EXTERNAL_NAME) {
            spec.clusterAddress().ifPresent(ip -> claims.add(ServiceClaim.clusterIp(ip, "spec.clusterIP")));
        }
        if (spec.allocatesNodePorts()) {
            List<ServicePort> ports = spec.portList();
            for (int i = 0; i < ports.size(); i++) {
                Integer nodePort = ports.get(i).nodePort();
                if (nodePort != null && nodePort != 0) {
                    claims.add(ServiceClaim.nodePort(nodePort, "spec.ports[" + i + "].nodePort"));
                }
            }
        }
        if (spec.effectiveType() == ServiceType.LOAD_BALANCER) {
            service.loadBalancerIps().forEach(ip -> claims.add(ServiceClaim.loadBalancerIp(ip, "spec.loadBalancerIP")));
        }
        return claims;
    }

    /** The allocation of one write: what the service holds already, what it will hold, and the guards to get there. */
    private final class Plan {
        private final Service candidate;
        private final Service stored;
        private final String holder;
        private final Map<String, ServiceClaim> held = new LinkedHashMap<>();
        private final Set<String> wanted = new HashSet<>();
        private final List<Guard> takes = new ArrayList<>();

        Plan(Service candidate, Service stored) {
            this.candidate = candidate;
            this.stored = stored;
            this.holder = candidate.namespace() + "/" + candidate.name();
            if (stored != null) {
                claimsOf(stored).forEach(c -> held.put(c.key(), c));
            }
        }

        List<Guard> guards() {
            List<Guard> guards = new ArrayList<>(takes);
            held.values().stream().filter(c -> !wanted.contains(c.key())).forEach(c -> guards.add(c.release(store)));
            return guards;
        }

        /** The cluster IP: kept on update (immutable, as Kubernetes), the requested one, or a free one; null for ExternalName. */
        String clusterIp() {
            ServiceSpec spec = candidate.spec();
            if (spec.effectiveType() == ServiceType.EXTERNAL_NAME) {
                return null;
            }
            String requested = spec.clusterIP() == null || spec.clusterIP().isEmpty() ? null : spec.clusterIP();
            String previous = stored == null || stored.spec().effectiveType() == ServiceType.EXTERNAL_NAME
                    ? null : stored.spec().clusterIP();
            if (previous != null && !previous.isEmpty()) {
                if (requested == null) {
                    requested = previous;
                } else if (!requested.equals(previous)) {
                    throw Problems.invalid(candidate, "spec.clusterIP", "field is immutable (it is " + previous
                            + "); write clusterIP: " + previous + " or leave it out, or delete the service and create "
                            + "it again to get another address");
                }
            }
            if (ServiceSpec.HEADLESS.equals(requested)) {
                return requested;
            }
            return requested != null ? requestedClusterIp(IpAddresses.format(IpAddresses.parse(requested)))
                    : freeClusterIp();
        }

        private String requestedClusterIp(String ip) {
            Cidr cidr = options.serviceCidr();
            var address = IpAddresses.parse(ip);
            if (!cidr.contains(address)) {
                throw Problems.invalid(candidate, "spec.clusterIP", ip + " is outside the service CIDR " + cidr
                        + "; choose an address in it, or leave clusterIP out to have one allocated");
            }
            BigInteger offset = cidr.offsetOf(address);
            if (offset.signum() == 0 || offset.equals(cidr.size().subtract(BigInteger.ONE))) {
                throw Problems.invalid(candidate, "spec.clusterIP", ip + " is the " + (offset.signum() == 0 ? "network"
                        : "broadcast") + " address of the service CIDR " + cidr + ", which no service gets; choose "
                        + "another, or leave clusterIP out");
            }
            take(ServiceClaim.clusterIp(ip, "spec.clusterIP"), true, "leave clusterIP out to have a free one allocated");
            return ip;
        }

        private String freeClusterIp() {
            Cidr cidr = options.serviceCidr();
            long size = cidr.size().longValueExact();
            // The network and broadcast addresses are never handed out.
            Optional<ServiceClaim> free = free(RegistryKeys.SERVICE_IP_CLAIMS, 1, size - 2,
                    offset -> ServiceClaim.clusterIp(IpAddresses.format(cidr.address(BigInteger.valueOf(offset))),
                            "spec.clusterIP"));
            ServiceClaim claim = free.orElseThrow(() -> Problems.invalid(candidate, "spec.clusterIP", "the service "
                    + "CIDR " + cidr + " is exhausted: all " + (size - 2) + " addresses are taken; delete services you "
                    + "no longer need, or start the servers with a larger --service-cidr"));
            take(claim, false, "");
            return claim.key().substring(RegistryKeys.SERVICE_IP_CLAIMS.length());
        }

        /** Each port's node port: the one asked for, the one it had, or a free one; the ports unchanged for types without. */
        List<ServicePort> nodePorts() {
            ServiceSpec spec = candidate.spec();
            List<ServicePort> ports = spec.portList();
            if (!spec.allocatesNodePorts()) {
                return ports;
            }
            NodePortRange range = options.nodePorts();
            List<ServicePort> completed = new ArrayList<>();
            for (int i = 0; i < ports.size(); i++) {
                ServicePort port = ports.get(i);
                String field = "spec.ports[" + i + "].nodePort";
                Integer asked = port.nodePort() == null || port.nodePort() == 0 ? null : port.nodePort();
                Integer previous = asked == null ? previousNodePort(port) : null;
                int nodePort;
                if (asked != null) {
                    if (!range.contains(asked)) {
                        throw Problems.invalid(candidate, field, asked + " is outside the node-port range " + range
                                + "; choose a port in it, or leave nodePort out to have one allocated");
                    }
                    take(ServiceClaim.nodePort(asked, field), true, "choose another in " + range
                            + ", or leave nodePort out to have a free one allocated");
                    nodePort = asked;
                } else if (previous != null && range.contains(previous)) {
                    take(ServiceClaim.nodePort(previous, field), false, "");
                    nodePort = previous;
                } else {
                    ServiceClaim claim = free(RegistryKeys.NODE_PORT_CLAIMS, range.first(), range.size(),
                            p -> ServiceClaim.nodePort((int) p, field))
                            .orElseThrow(() -> Problems.invalid(candidate, field, "the node-port range " + range
                                    + " is exhausted: all " + range.size() + " ports are taken; delete NodePort or "
                                    + "LoadBalancer services you no longer need, or start the servers with a larger "
                                    + "--node-port-range"));
                    take(claim, false, "");
                    nodePort = Integer.parseInt(claim.key().substring(RegistryKeys.NODE_PORT_CLAIMS.length()));
                }
                completed.add(port.withNodePort(nodePort));
            }
            return completed;
        }

        /** Kubernetes keeps a port's node port across updates that leave it out: the same port by name, else by number. */
        private Integer previousNodePort(ServicePort port) {
            if (stored == null || !stored.spec().allocatesNodePorts()) {
                return null;
            }
            return stored.spec().portList().stream()
                    .filter(old -> port.name() != null && !port.name().isEmpty()
                            ? port.name().equals(old.name())
                            : java.util.Objects.equals(old.port(), port.port())
                                    && old.effectiveProtocol().equals(port.effectiveProtocol()))
                    .map(ServicePort::nodePort)
                    .filter(p -> p != null && p != 0)
                    .findFirst().orElse(null);
        }

        /** The load balancer address in the status: kept, requested or the lowest free one of the pools; null for other types. */
        ServiceStatus loadBalancer() {
            ServiceSpec spec = candidate.spec();
            if (spec.effectiveType() != ServiceType.LOAD_BALANCER) {
                return null;
            }
            String requested = spec.loadBalancerIP() == null || spec.loadBalancerIP().isEmpty()
                    ? null : IpAddresses.format(IpAddresses.parse(spec.loadBalancerIP()));
            List<String> previous = stored != null && stored.spec().effectiveType() == ServiceType.LOAD_BALANCER
                    ? stored.loadBalancerIps() : List.of();
            if (!previous.isEmpty() && (requested == null || previous.contains(requested))) {
                String kept = requested == null ? previous.getFirst() : requested;
                take(ServiceClaim.loadBalancerIp(kept, "spec.loadBalancerIP"), false, "");
                return ServiceStatus.loadBalancerAt(kept);
            }
            List<AddressPool> pools = options.loadBalancerPools();
            if (pools.isEmpty()) {
                throw Problems.invalid(candidate, "spec.type", "no load balancer pool is configured, so a LoadBalancer "
                        + "service cannot get an address; start the servers with --load-balancer-pool CIDR or "
                        + "FIRST-LAST (repeatable), or use type NodePort");
            }
            if (requested != null) {
                String ip = requested;
                if (pools.stream().noneMatch(p -> p.contains(IpAddresses.parse(ip)))) {
                    throw Problems.invalid(candidate, "spec.loadBalancerIP", ip + " is in no load balancer pool ("
                            + poolList() + "); choose an address of one, or leave loadBalancerIP out to have one "
                            + "allocated");
                }
                take(ServiceClaim.loadBalancerIp(ip, "spec.loadBalancerIP"), true,
                        "choose another, or leave loadBalancerIP out to have a free one allocated");
                return ServiceStatus.loadBalancerAt(ip);
            }
            ServiceClaim claim = lowestFreeLoadBalancerIp().orElseThrow(() -> Problems.invalid(candidate, "spec.type",
                    "the load balancer pools (" + poolList() + ") are exhausted: all "
                            + pools.stream().mapToLong(AddressPool::size).sum() + " addresses are taken; delete "
                            + "LoadBalancer services you no longer need, or add a pool with --load-balancer-pool"));
            take(claim, false, "");
            return ServiceStatus.loadBalancerAt(claim.key().substring(RegistryKeys.LOAD_BALANCER_IP_CLAIMS.length()));
        }

        /** As MetalLB: the first free address of the first pool that has one, so that addresses are predictable. */
        private Optional<ServiceClaim> lowestFreeLoadBalancerIp() {
            Set<String> taken = takenKeys(RegistryKeys.LOAD_BALANCER_IP_CLAIMS);
            for (AddressPool pool : options.loadBalancerPools()) {
                for (long offset = 0; offset < pool.size(); offset++) {
                    ServiceClaim claim = ServiceClaim.loadBalancerIp(IpAddresses.format(pool.address(offset)),
                            "spec.loadBalancerIP");
                    if (!taken.contains(claim.key()) && !wanted.contains(claim.key())) {
                        return Optional.of(claim);
                    }
                }
            }
            return Optional.empty();
        }

        private String poolList() {
            return options.loadBalancerPools().stream().map(AddressPool::text).collect(Collectors.joining(", "));
        }

        /**
         * Marks the claim as wanted and, unless the service holds it already, adds the guard that takes it. A
         * requested claim someone else holds is refused now, naming the holder; the guard catches one taken between
         * this read and the write.
         */
        private void take(ServiceClaim claim, boolean requested, String hint) {
            if (!wanted.add(claim.key()) || held.containsKey(claim.key())) {
                return;
            }
            if (requested) {
                claim.holder(store).ifPresent(other -> {
                    throw taken(claim, other, hint);
                });
            }
            takes.add(claim.take(holder, requested, () -> taken(claim, claim.holder(store).orElse("another service"), hint)));
        }

        private ApiException taken(ServiceClaim claim, String other, String hint) {
            return Problems.invalid(candidate, claim.field(), claim.what() + " is already taken by service " + other
                    + "; " + hint);
        }

        /** A claim of the range {@code first .. first+size-1} that nobody holds: random probes, then a full scan. */
        private Optional<ServiceClaim> free(String prefix, long first, long size, LongFunction<ServiceClaim> claimAt) {
            if (size <= 0) {
                return Optional.empty();
            }
            ThreadLocalRandom random = ThreadLocalRandom.current();
            for (int i = 0; i < RANDOM_PROBES; i++) {
                ServiceClaim claim = claimAt.apply(first + random.nextLong(size));
                if (!wanted.contains(claim.key()) && store.get(claim.key()).isEmpty()) {
                    return Optional.of(claim);
                }
            }
            Set<String> taken = takenKeys(prefix);
            long start = random.nextLong(size);
            for (long i = 0; i < size; i++) {
                ServiceClaim claim = claimAt.apply(first + (start + i) % size);
                if (!taken.contains(claim.key()) && !wanted.contains(claim.key())) {
                    return Optional.of(claim);
                }
            }
            return Optional.empty();
        }

        private Set<String> takenKeys(String prefix) {
            return store.range(prefix).kvs().stream().map(KeyValue::key).collect(Collectors.toSet());
        }
    }
}
