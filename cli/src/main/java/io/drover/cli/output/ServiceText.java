package io.drover.cli.output;

import io.drover.model.service.EndpointHealth;
import io.drover.model.service.EndpointPort;
import io.drover.model.service.HealthCheck;
import io.drover.model.service.Service;
import io.drover.model.service.ServiceEndpoint;
import io.drover.model.service.ServiceEndpoints;
import io.drover.model.service.ServicePort;
import io.drover.model.service.ServiceSpec;
import io.drover.model.service.ServiceType;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** A service and its endpoints in words, as {@code get svc} and {@code describe svc} show them (kubectl's wording). */
public final class ServiceText {

    private ServiceText() {}

    public static String type(Service service) {
        return service.spec().effectiveType().yamlName();
    }

    /** The address, {@code None} for a headless service, {@code <none>} for ExternalName or before allocation. */
    public static String clusterIp(Service service) {
        ServiceSpec spec = service.spec();
        if (spec.effectiveType() == ServiceType.EXTERNAL_NAME) {
            return Labels.NONE;
        }
        return spec.isHeadless() ? ServiceSpec.HEADLESS : spec.clusterAddress().orElse(Labels.NONE);
    }

    /**
     * As kubectl: the load balancer addresses and externalIPs; {@code <pending>} for a LoadBalancer still without one;
     * the DNS name of an ExternalName service.
     */
    public static String externalIp(Service service) {
        ServiceSpec spec = service.spec();
        if (spec.effectiveType() == ServiceType.EXTERNAL_NAME) {
            return ResourceTables.orNone(spec.externalName());
        }
        List<String> addresses = new ArrayList<>(service.loadBalancerIps());
        addresses.addAll(spec.externalIPList());
        if (addresses.isEmpty()) {
            return spec.effectiveType() == ServiceType.LOAD_BALANCER ? ResourceTables.PENDING_ADDRESS : Labels.NONE;
        }
        return String.join(",", addresses);
    }

    /** {@code 80/TCP,53:30053/UDP}: port, node port when there is one, protocol. */
    public static String ports(Service service) {
        List<ServicePort> ports = service.spec().portList();
        return ports.isEmpty() ? Labels.NONE : ports.stream().map(ServicePort::toString).collect(Collectors.joining(","));
    }

    /** Ready endpoints of all endpoints, {@code 2/3}; {@code 0/0} when the service has none (yet). */
    public static String readyOfTotal(ServiceEndpoints endpoints) {
        return endpoints == null ? "0/0" : endpoints.readyEndpoints().size() + "/" + endpoints.endpoints().size();
    }

    /** Ready endpoints as {@code ADDRESS:PORT}, as kubectl lists Endpoints; {@code <none>} when none is ready. */
    public static String readyAddresses(ServiceEndpoints endpoints) {
        List<String> ready = new ArrayList<>();
        for (ServiceEndpoint e : endpoints.readyEndpoints()) {
            if (e.ports().isEmpty()) {
                ready.add(e.address());
            }
            for (EndpointPort p : e.ports()) {
                ready.add(e.address() + ":" + p.port());
            }
        }
        return ResourceTables.joined(ready);
    }

    /** "80/TCP -> http, node port 30080": one line per port for describe. */
    public static List<String> portLines(Service service) {
        List<String> lines = new ArrayList<>();
        for (ServicePort port : service.spec().portList()) {
            String name = port.name() == null || port.name().isEmpty() ? "" : port.name() + " ";
            lines.add(name + port.port() + "/" + port.effectiveProtocol() + " -> " + port.effectiveTargetPort()
                    + (port.nodePort() == null ? "" : ", node port " + port.nodePort())
                    + (port.appProtocol() == null ? "" : " (" + port.appProtocol() + ")"));
        }
        return lines;
    }

    public static String selector(Service service) {
        return service.spec().hasSelector() ? Labels.inline(service.spec().selectorLabels())
                : "<none> (endpoints registered by hand)";
    }

    public static String affinity(Service service) {
        ServiceSpec spec = service.spec();
        return spec.clientIpAffinity() ? "ClientIP, for " + spec.affinityTimeoutSeconds() + "s" : "None";
    }

    /** "http GET /healthz on port http every 10s (timeout 2s; 1 pass to pass, 3 failures to fail)". */
    public static String healthCheck(Service service) {
        HealthCheck check = service.spec().healthCheck();
        if (check == null) {
            return "<none> (endpoints are ready when their pod has an address)";
        }
        String what;
        if (check.http() != null) {
            what = "http GET " + check.http().effectivePath() + " on port " + check.http().port();
        } else if (check.tcp() != null) {
            what = "tcp connect to port " + check.tcp().port();
        } else if (check.script() != null) {
            what = "script " + String.join(" ", check.script().command() == null ? List.of() : check.script().command());
        } else {
            what = "nothing";
        }
        return what + " every " + check.effectiveIntervalSeconds() + "s (timeout " + check.effectiveTimeoutSeconds()
                + "s; " + check.effectiveSuccessThreshold() + " pass to pass, " + check.effectiveFailureThreshold()
                + " failures to fail)";
    }

    /** One row per endpoint: address, pod, node, ready (or why not), health and the last check's output. */
    public static Table endpoints(ServiceEndpoints endpoints) {
        List<List<String>> rows = new ArrayList<>();
        for (ServiceEndpoint e : endpoints == null ? List.<ServiceEndpoint>of() : endpoints.endpoints()) {
            EndpointHealth health = e.health();
            rows.add(List.of(
                    ResourceTables.orNone(e.address()),
                    ResourceTables.orNone(e.pod()),
                    ResourceTables.orNone(e.node()),
                    e.readyForTraffic() ? "yes" : "no" + (e.reason() == null || e.reason().isEmpty() ? "" : ": " + e.reason()),
                    health == null ? Labels.NONE : ResourceTables.orNone(health.status())
                            + (health.checkedAt() == null ? "" : " at " + health.checkedAt()),
                    health == null ? Labels.NONE : ResourceTables.orNone(oneLine(health.output()))));
        }
        return new Table(List.of("ADDRESS", "POD", "NODE", "READY", "HEALTH", "LAST OUTPUT"), rows);
    }

    private static String oneLine(String text) {
        return text == null ? null : text.strip().replaceAll("\\s*\\n\\s*", " / ");
    }
}
