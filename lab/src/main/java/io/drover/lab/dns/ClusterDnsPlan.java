package io.drover.lab.dns;

import io.drover.agent.cni.ClusterDns;
import io.drover.dns.answer.Zone;
import io.drover.lab.runtime.FabricLayout;
import io.drover.model.meta.ObjectMeta;
import io.drover.model.net.Cidr;
import io.drover.model.net.IpAddresses;
import io.drover.model.policy.PortReference;
import io.drover.model.service.EndpointPort;
import io.drover.model.service.Service;
import io.drover.model.service.ServiceEndpoint;
import io.drover.model.service.ServiceEndpoints;
import io.drover.model.service.ServicePort;
import io.drover.model.service.ServiceSpec;
import io.drover.model.tenant.Namespace;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How a lab runs its cluster DNS, computed from the lab's layout alone (pure).
 *
 * <p>As in Kubernetes, pods ask the service {@code kube-system/kube-dns} at a fixed cluster IP, the 10th address of
 * the service CIDR (10.96.0.10), on port 53 over UDP and TCP; every node's agent balances it like any service (its
 * DNAT is in the node's {@code inet drover} table). Its endpoints are where the DNS server listens: one per node, the
 * node's underlay address, port 53, in the node's own namespace (as a DNS pod on the host network of every node
 * would). The service has no selector, so its endpoints are the lab's to register, as Kubernetes lets one do for
 * a service backed by something other than pods. One {@code drover dns} process serves all of them: it runs beside
 * the agents, reaching the API server over loopback, and opens each listener inside its node's namespace.
 *
 * <p>Names outside the cluster go to the lab's outside resolver, which stands in for the world beyond the lab: it
 * listens on the fabric's own address (where lab-wide services listen) inside the fabric namespace, and the DNS
 * server asks it from there. Nothing leaves the lab.
 *
 * @param layout      the lab's underlay
 * @param serviceCidr the servers' service CIDR
 * @param domain      the cluster domain
 */
public record ClusterDnsPlan(FabricLayout layout, Cidr serviceCidr, String domain) {

    public static final String NAMESPACE = "kube-system";
    public static final String SERVICE = "kube-dns";
    public static final int PORT = 53;
    /** Which address of the service CIDR the DNS service has, as kubeadm chooses it (10.96.0.10). */
    public static final int ADDRESS_INDEX = 10;
    /** The role (process name and log) of the DNS server and of the outside resolver. */
    public static final String DNS_ROLE = "dns";
    public static final String RESOLVER_ROLE = "resolver";

    public static ClusterDnsPlan of(FabricLayout layout) {
        return new ClusterDnsPlan(layout, Cidr.parse(io.drover.model.service.ServiceNetworkOptions.DEFAULT_SERVICE_CIDR),
                Zone.DEFAULT_DOMAIN);
    }

    /** The cluster IP of the DNS service: what pods' resolv.conf and CNI results name. */
    public String clusterIp() {
        return IpAddresses.format(serviceCidr.address(BigInteger.valueOf(ADDRESS_INDEX)));
    }

    /** What the agents put into CNI results and lab pods' resolv.conf ({@code --cluster-dns}, {@code --cluster-domain}). */
    public ClusterDns clusterDns() {
        return new ClusterDns(List.of(clusterIp()), domain);
    }

    /** The namespace the DNS service lives in. */
    public Namespace namespace() {
        return Namespace.of(ObjectMeta.named(NAMESPACE), new Namespace.NamespaceSpec(null));
    }

    /** {@code kube-system/kube-dns}: the fixed cluster IP, dns 53/UDP and dns-tcp 53/TCP, no selector. */
    public Service service() {
        ServiceSpec spec = ServiceSpec.builder()
                .clusterIP(clusterIp())
                .ports(new ServicePort("dns", "UDP", PORT, PortReference.number(PORT), null, null),
                        new ServicePort("dns-tcp", "TCP", PORT, PortReference.number(PORT), null, null))
                .build();
        return Service.of(ObjectMeta.named(NAMESPACE, SERVICE).withLabels(Map.of("k8s-app", SERVICE)), spec);
    }

    /** One endpoint per node: its underlay address, where the DNS server listens in that node's namespace. */
    public ServiceEndpoints endpoints() {
        List<ServiceEndpoint> endpoints = new ArrayList<>();
        for (FabricLayout.Node node : layout.nodes()) {
            endpoints.add(new ServiceEndpoint(IpAddresses.format(node.address().ip()), null, node.name(), true, null,
                    null, List.of(new EndpointPort("dns", PORT, "UDP"), new EndpointPort("dns-tcp", PORT, "TCP")), null));
        }
        return ServiceEndpoints.of(ObjectMeta.named(NAMESPACE, SERVICE), endpoints);
    }

    /** Where the DNS server listens: {@code NODE_NAMESPACE/NODE_ADDRESS:53} for every node. */
    public List<String> listenAddresses() {
        return layout.nodes().stream()
                .map(n -> n.namespace().name() + "/" + IpAddresses.format(n.address().ip()) + ":" + PORT).toList();
    }

    /** Where the outside resolver listens, in the fabric namespace: the fabric's own address. */
    public String resolverAddress() {
        return IpAddresses.format(layout.fabricAddress().ip()) + ":" + PORT;
    }

    /** The DNS server's upstream: the outside resolver, asked from inside the fabric namespace. */
    public String upstream() {
        return layout.fabric().name() + "/" + resolverAddress();
    }

    /** The arguments of {@code drover dns} for this lab, after the verb. */
    public List<String> dnsArguments(String serverUrl) {
        List<String> args = new ArrayList<>(List.of("dns", "--server", serverUrl, "--zone", domain,
                "--service-cidr", serviceCidr.toString(), "--upstream", upstream()));
        for (String listen : listenAddresses()) {
            args.add("--listen");
            args.add(listen);
        }
        return args;
    }
}
