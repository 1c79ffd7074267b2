package io.drover.dns.view;

import io.drover.model.net.IpAddresses;
import io.drover.model.pod.Pod;
import io.drover.model.service.EndpointHealth;
import io.drover.model.service.EndpointPort;
import io.drover.model.service.Service;
import io.drover.model.service.ServiceEndpoint;
import io.drover.model.service.ServiceEndpoints;
import io.drover.model.service.ServicePort;
import io.drover.model.service.ServiceSpec;
import io.drover.model.service.ServiceType;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * What DNS knows of one service: computed from the service, its endpoints and (for hostnames) their pods, once per
 * change of any of them, so that answering a query only reads.
 *
 * @param namespace    lower case, as DNS compares names
 * @param name         lower case
 * @param kind         how its own name answers
 * @param clusterIps   its virtual addresses (ClusterIP and the types built on it), both families
 * @param externalName the CNAME target of an ExternalName service; null otherwise
 * @param ports        its ports, as the spec lists them
 * @param endpoints    the endpoints DNS publishes: ready ones, every one with publishNotReadyAddresses
 */
public record ServiceEntry(String namespace, String name, Kind kind, List<InetAddress> clusterIps, String externalName,
        List<ServicePort> ports, List<EndpointEntry> endpoints) {

    public enum Kind { CLUSTER_IP, HEADLESS, EXTERNAL_NAME }

    /**
     * One published endpoint address.
     *
     * @param hostname its label under the service: the pod's hostname when its subdomain is the service, else the
     *                 address as a label ({@link AddressLabels}), as CoreDNS names endpoints
     * @param ports    the service's ports resolved for this endpoint (named targetPorts are the pod's numbers)
     */
    public record EndpointEntry(String hostname, InetAddress address, List<EndpointPort> ports) {}

    public ServiceEntry {
        clusterIps = List.copyOf(clusterIps);
        ports = List.copyOf(ports);
        endpoints = List.copyOf(endpoints);
    }

    /** The lookup key of {@code name.namespace}, lower case. */
    public String key() {
        return key(namespace, name);
    }

    public static String key(String namespace, String name) {
        return name.toLowerCase(Locale.ROOT) + "." + namespace.toLowerCase(Locale.ROOT);
    }

    /** The endpoints whose hostname is {@code label} (several for a pod with addresses in both families). */
    public List<EndpointEntry> endpointsNamed(String label) {
        List<EndpointEntry> named = new ArrayList<>();
        for (EndpointEntry e : endpoints) {
            if (e.hostname().equals(label)) {
                named.add(e);
            }
        }
        return named;
    }

    /**
     * Builds the entry.
     *
     * @param endpoints may be null (not written yet)
     * @param pods      finds a pod of the service's namespace by name (null when unknown)
     */
    public static ServiceEntry of(Service service, ServiceEndpoints endpoints, Function<String, Pod> pods) {
        ServiceSpec spec = service.spec();
        Kind kind = spec.effectiveType() == ServiceType.EXTERNAL_NAME ? Kind.EXTERNAL_NAME
                : spec.isHeadless() ? Kind.HEADLESS : Kind.CLUSTER_IP;
        Set<InetAddress> clusterIps = new LinkedHashSet<>();
        if (kind == Kind.CLUSTER_IP) {
            List<String> listed = spec.clusterIPs() == null || spec.clusterIPs().isEmpty()
                    ? spec.clusterAddress().map(List::of).orElse(List.of()) : spec.clusterIPs();
            for (String ip : listed) {
                if (IpAddresses.isValid(ip)) {
                    clusterIps.add(IpAddresses.parse(ip));
                }
            }
        }
        String externalName = kind == Kind.EXTERNAL_NAME ? blankToNull(spec.externalName()) : null;
        List<EndpointEntry> published = new ArrayList<>();
        if (endpoints != null && kind != Kind.EXTERNAL_NAME) {
            for (ServiceEndpoint e : endpoints.endpoints()) {
                if (!(published(e) || spec.publishesNotReadyAddresses()) || !IpAddresses.isValid(e.address())) {
                    continue;
                }
                InetAddress address = IpAddresses.parse(e.address());
                String hostname = e.pod() == null ? null
                        : PodNames.hostnameUnder(pods.apply(e.pod()), service.name()).orElse(null);
                published.add(new EndpointEntry(hostname != null ? hostname : AddressLabels.of(address), address,
                        e.ports()));
            }
        }
        return new ServiceEntry(service.namespace().toLowerCase(Locale.ROOT), service.name().toLowerCase(Locale.ROOT),
                kind, List.copyOf(clusterIps), externalName, spec.portList(), published);
    }

    /**
     * Ready, and not failing its last health check: the endpoints controller takes a failing endpoint out, but DNS
     * need not wait for it to.
     */
    static boolean published(ServiceEndpoint e) {
        return e.readyForTraffic() && (e.health() == null || !EndpointHealth.FAILING.equals(e.health().status()));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
