package io.drover.agent.cni;

import io.drover.cni.CniResult.Dns;
import io.drover.model.meta.LabelRules;
import io.drover.model.net.IpAddresses;
import java.util.List;
import java.util.Objects;

/**
 * The cluster DNS that attached containers should ask, as the kubelet's {@code --cluster-dns} and
 * {@code --cluster-domain} say it: the ADD result's {@code dns} carries it, with Kubernetes' search path for the pod's
 * namespace ({@code <ns>.svc.<domain> svc.<domain> <domain>}) and {@code ndots:5}, so that a runtime that writes
 * resolv.conf from the result gives the container the same resolver configuration a Kubernetes pod has.
 *
 * @param nameservers the cluster DNS addresses; empty: no DNS in results
 * @param domain      the cluster domain, e.g. {@code cluster.local}
 */
public record ClusterDns(List<String> nameservers, String domain) {

    public static final String DEFAULT_DOMAIN = "cluster.local";
    /** Kubernetes' value: a name with fewer dots is tried with the search path first. */
    static final String NDOTS = "ndots:5";
    public static final ClusterDns NONE = new ClusterDns(List.of(), DEFAULT_DOMAIN);

    public ClusterDns {
        nameservers = List.copyOf(nameservers);
        Objects.requireNonNull(domain, "domain");
        for (String server : nameservers) {
            if (!IpAddresses.isValid(server)) {
                throw new IllegalArgumentException("cluster DNS address '" + server + "' is not an IP address: give"
                        + " the address of the cluster DNS service, e.g. 10.96.0.10");
            }
        }
        String bare = domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
        String problem = LabelRules.dnsDomainProblem(bare);
        if (problem != null) {
            throw new IllegalArgumentException("cluster domain '" + domain + "' is not a DNS name: it " + problem
                    + "; give the cluster's domain, e.g. " + DEFAULT_DOMAIN);
        }
        domain = bare;
    }

    /** The {@code dns} of an ADD result for a pod of {@code namespace}; empty when no cluster DNS is configured. */
    public Dns forNamespace(String namespace) {
        if (nameservers.isEmpty()) {
            return Dns.EMPTY;
        }
        return new Dns(nameservers, null,
                List.of(namespace + ".svc." + domain, "svc." + domain, domain), List.of(NDOTS));
    }
}
