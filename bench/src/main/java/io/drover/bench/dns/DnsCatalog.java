package io.drover.bench.dns;

import io.drover.model.Resource;
import io.drover.model.meta.ObjectMeta;
import io.drover.model.policy.PortReference;
import io.drover.model.service.EndpointPort;
import io.drover.model.service.Service;
import io.drover.model.service.ServiceEndpoint;
import io.drover.model.service.ServiceEndpoints;
import io.drover.model.service.ServicePort;
import io.drover.model.service.ServiceSpec;
import io.drover.model.tenant.Namespace;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The services the DNS benchmark serves, generated (deterministically) once and given to both servers: to Drover as
 * API objects, to bind9 as a zone file with the same records. Every fifth service is headless with a few endpoints
 * registered by hand (a selector-less service, so no pods and no controller are involved); the others have a cluster
 * IP. Each has a named port {@code http} 80/TCP, so SRV records exist. The query file asks for all of them: A of every
 * service, A of every headless endpoint's own name, SRV of every tenth service, and a name that does not exist every
 * twentieth line (NXDOMAIN, with the SOA).
 */
final class DnsCatalog {

    static final String DOMAIN = "cluster.local";
    static final long TTL = 5;
    static final int PORT = 80;
    private static final int HEADLESS_EVERY = 5;
    private static final int ENDPOINTS = 4;

    /** One service; {@code clusterIp} null for a headless one, whose {@code endpoints} answer instead. */
    record Svc(String namespace, String name, String clusterIp, List<String> endpoints) {
        String fqdn() {
            return name + "." + namespace + ".svc." + DOMAIN + ".";
        }
    }

    private final List<String> namespaces;
    private final List<Svc> services;

    private DnsCatalog(List<String> namespaces, List<Svc> services) {
        this.namespaces = namespaces;
        this.services = services;
    }

    /** {@code namespaces} × {@code perNamespace} services; cluster IPs from 10.96.1.0 on, endpoints from 10.200.0.0. */
    static DnsCatalog generate(int namespaces, int perNamespace) {
        List<String> ns = new ArrayList<>();
        List<Svc> services = new ArrayList<>();
        int index = 0;
        int endpoint = 0;
        for (int n = 0; n < namespaces; n++) {
            String namespace = "bench-" + n;
            ns.add(namespace);
            for (int s = 0; s < perNamespace; s++, index++) {
                String name = "svc-" + s;
                if (index % HEADLESS_EVERY == 0) {
                    List<String> addresses = new ArrayList<>();
                    for (int e = 0; e < ENDPOINTS; e++, endpoint++) {
                        addresses.add("10.200." + (endpoint / 250) + "." + (1 + endpoint % 250));
                    }
                    services.add(new Svc(namespace, name, null, addresses));
                } else {
                    int offset = 256 + index; // past 10.96.0.x, where the cluster's own services live
                    services.add(new Svc(namespace, name, "10.96." + (offset / 256) + "." + (offset % 256), List.of()));
                }
            }
        }
        return new DnsCatalog(List.copyOf(ns), List.copyOf(services));
    }

    List<Svc> services() {
        return services;
    }

    /** The API objects: namespaces, services (explicit cluster IPs), hand-registered endpoints of headless ones. */
    List<Resource> resources() {
        List<Resource> out = new ArrayList<>();
        namespaces.forEach(n -> out.add(Namespace.of(ObjectMeta.named(n), new Namespace.NamespaceSpec(null))));
        for (Svc s : services) {
            ServicePort http = new ServicePort("http", "TCP", PORT, PortReference.number(PORT), null, null);
            ServiceSpec spec = ServiceSpec.builder().clusterIP(s.clusterIp() == null ? ServiceSpec.HEADLESS : s.clusterIp())
                    .ports(http).build();
            out.add(Service.of(ObjectMeta.named(s.namespace(), s.name()), spec));
            if (s.clusterIp() == null) {
                out.add(endpoints(s.namespace(), s.name(), s.endpoints()));
            }
        }
        return out;
    }

    /** The hand-registered endpoints of a headless service, ready, with port http. */
    static ServiceEndpoints endpoints(String namespace, String name, List<String> addresses) {
        List<ServiceEndpoint> list = new ArrayList<>();
        for (String a : addresses) {
            list.add(new ServiceEndpoint(a, null, null, true, null, null, List.of(new EndpointPort("http", PORT, "TCP")),
                    null));
        }
        return ServiceEndpoints.of(ObjectMeta.named(namespace, name), list);
    }

    /**
     * The same records as a master file for bind9: what Drover answers for each name (A of cluster IPs and of headless
     * endpoints, each endpoint's own name, SRV of the named port with the weight Drover gives, the schema's
     * dns-version TXT).
     */
    String zoneFile() {
        StringBuilder z = new StringBuilder();
        z.append("$ORIGIN ").append(DOMAIN).append(".\n$TTL ").append(TTL).append('\n');
        z.append("@ IN SOA ns.dns.").append(DOMAIN).append(". hostmaster.").append(DOMAIN).append(". 1 7200 1800 86400 ")
                .append(TTL).append('\n');
        z.append("@ IN NS ns.dns.").append(DOMAIN).append(".\n");
        z.append("ns.dns IN A 127.0.0.1\n");
        z.append("dns-version IN TXT \"1.1.0\"\n");
        for (Svc s : services) {
            String owner = s.fqdn();
            if (s.clusterIp() != null) {
                z.append(owner).append(" IN A ").append(s.clusterIp()).append('\n');
                z.append("_http._tcp.").append(owner).append(" IN SRV 0 100 ").append(PORT).append(' ').append(owner)
                        .append('\n');
            } else {
                int weight = 100 / s.endpoints().size();
                for (String a : s.endpoints()) {
                    String host = a.replace('.', '-') + "." + owner;
                    z.append(owner).append(" IN A ").append(a).append('\n');
                    z.append(host).append(" IN A ").append(a).append('\n');
                    z.append("_http._tcp.").append(owner).append(" IN SRV 0 ").append(weight).append(' ').append(PORT)
                            .append(' ').append(host).append('\n');
                }
            }
        }
        return z.toString();
    }

    /** dnsperf's input: one {@code NAME TYPE} per line. */
    String queryFile() {
        StringBuilder q = new StringBuilder();
        int line = 0;
        for (Svc s : services) {
            q.append(s.fqdn()).append(" A\n");
            if (++line % 20 == 0) {
                q.append("missing-").append(line).append('.').append(s.namespace()).append(".svc.").append(DOMAIN)
                        .append(". A\n");
            }
            if (line % 10 == 0) {
                q.append("_http._tcp.").append(s.fqdn()).append(" SRV\n");
            }
            for (String a : s.endpoints()) {
                q.append(a.replace('.', '-')).append('.').append(s.fqdn()).append(" A\n");
            }
        }
        return q.toString();
    }

    /** What a name of the query file gets: NXDOMAIN for the names made not to exist, NOERROR for the rest. */
    static String expectedRcode(String name) {
        return name.startsWith("missing-") ? "NXDOMAIN" : "NOERROR";
    }

    /** A few names of each kind, to check that both servers answer them alike before measuring. */
    List<String[]> samples() {
        List<String[]> out = new ArrayList<>();
        Svc clusterIp = services.stream().filter(s -> s.clusterIp() != null).findFirst().orElseThrow();
        Svc headless = services.stream().filter(s -> s.clusterIp() == null).findFirst().orElseThrow();
        out.add(new String[] {clusterIp.fqdn(), "A"});
        out.add(new String[] {headless.fqdn(), "A"});
        out.add(new String[] {headless.endpoints().getFirst().replace('.', '-') + "." + headless.fqdn(), "A"});
        out.add(new String[] {"_http._tcp." + clusterIp.fqdn(), "SRV"});
        out.add(new String[] {"_http._tcp." + headless.fqdn(), "SRV"});
        out.add(new String[] {"missing.bench-0.svc." + DOMAIN + ".", "A"});
        out.add(new String[] {"dns-version." + DOMAIN + ".", "TXT"});
        return out;
    }

    @Override
    public String toString() {
        long headless = services.stream().filter(s -> s.clusterIp() == null).count();
        return String.format(Locale.ROOT, "%d services in %d namespaces (%d with a cluster IP, %d headless with %d "
                + "endpoints each)", services.size(), namespaces.size(), services.size() - headless, headless, ENDPOINTS);
    }
}
