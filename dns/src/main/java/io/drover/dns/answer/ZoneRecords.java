package io.drover.dns.answer;

import io.drover.dns.view.AddressLabels;
import io.drover.dns.view.ClusterView;
import io.drover.dns.view.ServiceEntry;
import io.drover.dns.view.ServiceEntry.EndpointEntry;
import io.drover.model.net.IpAddresses;
import io.drover.model.policy.PortReference;
import io.drover.model.service.EndpointPort;
import io.drover.model.service.ServicePort;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * The records of one name of the cluster zone, by the Kubernetes DNS schema 1.1.0 and CoreDNS where it leaves room:
 * <pre>
 *   zone                          SOA, NS
 *   dns-version.zone              TXT "1.1.0"
 *   svc.zone, ns.svc.zone         (exist, no data)
 *   svc.ns.svc.zone               A/AAAA cluster IPs; headless: the published endpoints (NXDOMAIN with none);
 *                                 ExternalName: CNAME; SRV for every port
 *   host.svc.ns.svc.zone          the endpoints with that hostname (or address label)
 *   _port._proto.svc.ns.svc.zone  SRV of a named port (headless: one per endpoint)
 *   a-b-c-d.ns.pod.zone           A/AAAA of a pod address
 * </pre>
 * Records are owned by the name as asked (its case kept); targets are written lower case.
 */
final class ZoneRecords {

    private final Zone zone;

    ZoneRecords(Zone zone) {
        this.zone = zone;
    }

    /**
     * The records of {@code owner}. SRV records (and their glue) are built only when {@code qtype} can use them:
     * the common A query of a service should not pay for formatting its SRV targets.
     */
    NameRecords of(Name owner, ClusterView view, int qtype) {
        boolean srv = qtype == Type.SRV || qtype == Type.ANY;
        int n = owner.labels() - zone.name().labels();
        // rel[0] is the label next to the zone, rel[n-1] the leftmost.
        String[] rel = new String[n];
        for (int j = 0; j < n; j++) {
            rel[j] = owner.getLabelString(n - 1 - j).toLowerCase(Locale.ROOT);
        }
        if (n == 0) {
            return NameRecords.of(List.of(zone.soa(owner, view.serial()), zone.ns().withName(owner)));
        }
        return switch (rel[0]) {
            case "dns-version" -> n == 1
                    ? NameRecords.of(List.of(new TXTRecord(owner, DClass.IN, zone.ttl(), Zone.SCHEMA_VERSION)))
                    : NameRecords.NX;
            // ns.dns.<zone>, the name server the SOA and NS records name: it exists, and the empty name above it.
            case "dns" -> n == 1 || (n == 2 && rel[1].equals("ns")) ? NameRecords.EMPTY : NameRecords.NX;
            case "svc" -> services(owner, rel, view, srv);
            case "pod" -> pods(owner, rel, view);
            default -> NameRecords.NX;
        };
    }

    private NameRecords services(Name owner, String[] rel, ClusterView view, boolean srv) {
        int n = rel.length;
        if (n == 1) {
            return NameRecords.EMPTY;
        }
        if (n == 2) {
            return view.namespaceExists(rel[1]) ? NameRecords.EMPTY : NameRecords.NX;
        }
        if (n > 5) {
            return NameRecords.NX;
        }
        Optional<ServiceEntry> found = view.service(rel[1], rel[2]);
        if (found.isEmpty()) {
            return NameRecords.NX;
        }
        ServiceEntry service = found.get();
        return switch (n) {
            case 3 -> service(owner, service, srv);
            case 4 -> rel[3].startsWith("_") ? protocol(service, rel[3].substring(1)) : endpoint(owner, service, rel[3]);
            default -> rel[3].startsWith("_") && rel[4].startsWith("_")
                    ? port(owner, service, rel[4].substring(1), rel[3].substring(1)) : NameRecords.NX;
        };
    }

    /** {@code svc.ns.svc.zone}. */
    private NameRecords service(Name owner, ServiceEntry service, boolean srv) {
        switch (service.kind()) {
            case EXTERNAL_NAME -> {
                return externalName(owner, service);
            }
            case HEADLESS -> {
                if (service.endpoints().isEmpty()) {
                    return NameRecords.NX; // the schema: a headless service with no ready endpoints "should" be NXDOMAIN
                }
                Set<InetAddress> addresses = new LinkedHashSet<>();
                service.endpoints().forEach(e -> addresses.add(e.address()));
                List<Record> records = new ArrayList<>(addressRecords(owner, addresses));
                List<Record> additional = new ArrayList<>();
                if (srv) {
                    records.addAll(srv(owner, service, service.ports(), additional));
                }
                return NameRecords.of(records, additional);
            }
            default -> {
                List<Record> records = new ArrayList<>(addressRecords(owner, service.clusterIps()));
                List<Record> additional = new ArrayList<>();
                if (srv) {
                    records.addAll(srv(owner, service, service.ports(), additional));
                }
                return NameRecords.of(records, additional);
            }
        }
    }

    private NameRecords externalName(Name owner, ServiceEntry service) {
        String target = service.externalName();
        if (target == null) {
            return NameRecords.EMPTY;
        }
        if (IpAddresses.isValid(target)) {
            // Kubernetes refuses an address here, but an old object may hold one: CoreDNS answers it as an address.
            return NameRecords.of(addressRecords(owner, List.of(IpAddresses.parse(target))));
        }
        try {
            return NameRecords.alias(Name.fromString(target.endsWith(".") ? target : target + "."));
        } catch (TextParseException e) {
            return NameRecords.EMPTY;
        }
    }

    /** {@code _proto.svc.ns.svc.zone}: an empty non-terminal above the SRV names of that protocol. */
    private static NameRecords protocol(ServiceEntry service, String protocol) {
        for (ServicePort p : service.ports()) {
            if (named(p) && p.effectiveProtocol().equalsIgnoreCase(protocol)) {
                return NameRecords.EMPTY;
            }
        }
        return NameRecords.NX;
    }

    /** {@code host.svc.ns.svc.zone}: the endpoints of that hostname (any service type, as CoreDNS). */
    private NameRecords endpoint(Name owner, ServiceEntry service, String label) {
        List<EndpointEntry> named = service.endpointsNamed(label);
        if (named.isEmpty()) {
            return NameRecords.NX;
        }
        Set<InetAddress> addresses = new LinkedHashSet<>();
        named.forEach(e -> addresses.add(e.address()));
        return NameRecords.of(addressRecords(owner, addresses));
    }

    /** {@code _port._proto.svc.ns.svc.zone}: only named ports have SRV names (the schema). */
    private NameRecords port(Name owner, ServiceEntry service, String portName, String protocol) {
        for (ServicePort p : service.ports()) {
            if (named(p) && p.name().equalsIgnoreCase(portName) && p.effectiveProtocol().equalsIgnoreCase(protocol)) {
                if (service.kind() == ServiceEntry.Kind.HEADLESS && service.endpoints().isEmpty()) {
                    return NameRecords.NX;
                }
                List<Record> additional = new ArrayList<>();
                List<Record> records = srv(owner, service, List.of(p), additional);
                return NameRecords.of(records, additional);
            }
        }
        return NameRecords.NX;
    }

    /**
     * SRV records of {@code ports}: for a headless service one per endpoint, targeting its hostname and giving its
     * own port; else one targeting the service. Priority 0, weight 100 shared out as CoreDNS does.
     */
    private List<Record> srv(Name owner, ServiceEntry service, List<ServicePort> ports, List<Record> additional) {
        record Target(Name name, int port) {}
        Map<Target, List<InetAddress>> targets = new LinkedHashMap<>();
        for (ServicePort p : ports) {
            if (p.port() == null) {
                continue;
            }
            switch (service.kind()) {
                case HEADLESS -> {
                    for (EndpointEntry e : service.endpoints()) {
                        Name host = zone.name(e.hostname(), service.name(), service.namespace(), "svc");
                        targets.computeIfAbsent(new Target(host, endpointPort(e, p)), t -> new ArrayList<>())
                                .add(e.address());
                    }
                }
                case EXTERNAL_NAME -> {
                    try {
                        String ext = service.externalName();
                        if (ext != null && !IpAddresses.isValid(ext)) {
                            targets.putIfAbsent(new Target(Name.fromString(ext.endsWith(".") ? ext : ext + "."),
                                    p.port()), List.of());
                        }
                    } catch (TextParseException e) {
                        // no SRV for a name that is not one
                    }
                }
                default -> targets.computeIfAbsent(new Target(zone.name(service.name(), service.namespace(), "svc"),
                        p.port()), t -> new ArrayList<>(service.clusterIps()));
            }
        }
        int weight = targets.isEmpty() ? 0 : 100 / targets.size();
        List<Record> records = new ArrayList<>();
        Set<Name> glued = new LinkedHashSet<>();
        for (var t : targets.entrySet()) {
            records.add(new SRVRecord(owner, DClass.IN, zone.ttl(), 0, weight, t.getKey().port(), t.getKey().name()));
            if (glued.add(t.getKey().name())) {
                additional.addAll(addressRecords(t.getKey().name(), new LinkedHashSet<>(t.getValue())));
            }
        }
        return records;
    }

    /** The endpoint's own port for service port {@code p}: resolved by the endpoints controller, else the target. */
    private static int endpointPort(EndpointEntry e, ServicePort p) {
        String wanted = p.name() == null ? "" : p.name();
        for (EndpointPort ep : e.ports()) {
            if (wanted.equals(ep.name() == null ? "" : ep.name()) && ep.port() != null) {
                return ep.port();
            }
        }
        PortReference target = p.effectiveTargetPort();
        return target == null ? p.port() : target.numberValue().orElse(p.port());
    }

    private NameRecords pods(Name owner, String[] rel, ClusterView view) {
        int n = rel.length;
        if (n == 1) {
            return NameRecords.EMPTY;
        }
        if (n == 2) {
            return view.namespaceExists(rel[1]) ? NameRecords.EMPTY : NameRecords.NX;
        }
        if (n > 3 || zone.podRecords() == PodRecords.DISABLED) {
            return NameRecords.NX;
        }
        Optional<InetAddress> address = AddressLabels.parse(rel[2]);
        if (address.isEmpty()
                || (zone.podRecords() == PodRecords.VERIFIED && !view.podHasAddress(rel[1], address.get()))) {
            return NameRecords.NX;
        }
        return NameRecords.of(addressRecords(owner, List.of(address.get())));
    }

    private List<Record> addressRecords(Name owner, java.util.Collection<InetAddress> addresses) {
        List<Record> records = new ArrayList<>(addresses.size());
        for (InetAddress a : addresses) {
            records.add(a instanceof Inet4Address
                    ? new ARecord(owner, DClass.IN, zone.ttl(), a)
                    : new AAAARecord(owner, DClass.IN, zone.ttl(), a));
        }
        return records;
    }

    private static boolean named(ServicePort p) {
        return p.name() != null && !p.name().isEmpty();
    }
}
