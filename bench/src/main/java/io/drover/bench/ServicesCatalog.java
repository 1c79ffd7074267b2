package io.drover.bench;

import io.drover.model.meta.ObjectMeta;
import io.drover.model.policy.PortReference;
import io.drover.model.service.EndpointPort;
import io.drover.model.service.Service;
import io.drover.model.service.ServiceEndpoint;
import io.drover.model.service.ServiceEndpoints;
import io.drover.model.service.ServicePort;
import io.drover.model.service.ServiceSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The services of the benchmark, as the store holds them: Kubernetes-shaped {@link Service} objects with their
 * endpoints objects, which the agent's own calculation turns into rules. Service {@code i} has cluster IP
 * {@code 10.96.0.0 + i + 1}, port 80, and endpoints on port {@link ServicesLab#PORT}. The filler services' endpoints
 * are addresses no pod has, on other nodes (their traffic is never sent); the measured ones lead to the lab's
 * endpoint pods, on the benchmark's node.
 */
final class ServicesCatalog {

    static final String NODE = "bench-node";
    /** Where the filler services' endpoints run: other nodes, as most endpoints of a large cluster do. */
    static final String ELSEWHERE = "other-node";

    /** A service with its endpoints object. */
    record Entry(Service service, ServiceEndpoints endpoints) {

        String clusterIp() {
            return service.spec().clusterIP();
        }
    }

    private ServicesCatalog() {}

    /** The cluster IP of service {@code i}: within 10.96.0.0/12, one address each. */
    static String clusterIp(int i) {
        int n = i + 1;
        return "10." + (96 + (n >> 16)) + "." + ((n >> 8) & 0xff) + "." + (n & 0xff);
    }

    /** A filler service: {@code endpoints} addresses of its own in 10.200.0.0/13 (no pod has them). */
    static Entry filler(int i, int endpoints) {
        List<String> addresses = new ArrayList<>();
        for (int e = 0; e < endpoints; e++) {
            long n = (long) i * endpoints + e + 1;
            addresses.add("10." + (200 + (n >> 16)) + "." + ((n >> 8) & 0xff) + "." + (n & 0xff));
        }
        return entry("fill", "svc-" + i, clusterIp(i), addresses, ELSEWHERE);
    }

    /** A service whose endpoints are the lab's pods. */
    static Entry served(String name, String clusterIp, List<String> endpoints) {
        return entry("bench", name, clusterIp, endpoints, NODE);
    }

    private static Entry entry(String namespace, String name, String clusterIp, List<String> addresses, String node) {
        Service service = Service.of(ObjectMeta.named(namespace, name), ServiceSpec.builder().clusterIP(clusterIp)
                .ports(ServicePort.tcp("http", 80, PortReference.number(ServicesLab.PORT))).build());
        List<ServiceEndpoint> endpoints = new ArrayList<>(addresses.size());
        for (String address : addresses) {
            endpoints.add(new ServiceEndpoint(address, "pod-" + address, node, true, null, 1,
                    List.of(new EndpointPort("http", ServicesLab.PORT, "TCP")), null));
        }
        return new Entry(service, ServiceEndpoints.of(ObjectMeta.named(namespace, name), endpoints));
    }
}
