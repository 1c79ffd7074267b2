package io.drover.agent.health;

import io.drover.agent.desired.PodKeys;
import io.drover.agent.desired.PodNamespaces;
import io.drover.agent.kernel.NetNs;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodPort;
import io.drover.model.policy.PortReference;
import io.drover.model.service.EndpointPort;
import io.drover.model.service.HealthCheck;
import io.drover.model.service.Service;
import io.drover.model.service.ServiceEndpoint;
import io.drover.model.service.ServiceEndpoints;
import io.drover.model.tenant.Namespace;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The checks this node runs: for every endpoints object whose service has a {@code spec.healthCheck}, each endpoint
 * that is a pod on this node (the agent of the pod's node checks it, from the node, as kubelet probes its pods; an
 * address registered by hand belongs to no node and is not checked). Pure.
 *
 * <p>A check's port is a number, or the name of one of the pod's ports; a name the pod does not declare is looked
 * up among the endpoint's resolved service ports (named after the service's ports), and when neither has it the
 * check fails with the reason. A script runs in the pod's network namespace: its own for bridge and none mode, the
 * node's for host mode, the other pod's for container mode.
 */
public final class HealthTargets {

    private HealthTargets() {}

    public static List<CheckTarget> compute(String nodeName, Collection<Service> services,
            Collection<ServiceEndpoints> endpoints, Collection<Pod> pods, PodNamespaces namespaces) {
        Map<String, Service> servicesByKey = new HashMap<>();
        services.forEach(s -> servicesByKey.put(namespaceOf(s.namespace()) + "/" + s.name(), s));
        Map<String, Pod> podsByKey = new HashMap<>();
        pods.forEach(p -> podsByKey.put(PodKeys.key(p), p));
        List<CheckTarget> out = new ArrayList<>();
        for (ServiceEndpoints object : endpoints) {
            String namespace = namespaceOf(object.namespace());
            Service service = servicesByKey.get(namespace + "/" + object.name());
            HealthCheck check = service == null ? null : service.spec().healthCheck();
            if (check == null || check.kinds().size() != 1) {
                continue; // no check, or one validation would have refused
            }
            Timing timing = Timing.of(check);
            for (ServiceEndpoint e : object.endpoints()) {
                if (!nodeName.equals(e.node()) || e.pod() == null || e.address() == null) {
                    continue;
                }
                Pod pod = podsByKey.get(namespace + "/" + e.pod());
                TargetKey key = TargetKey.of(object, e);
                Probe probe;
                try {
                    probe = probe(check, e, pod, podsByKey, namespaces);
                } catch (RuntimeException problem) {
                    // One odd object (a runtime's namespace path that is no path) must not stop the other checks.
                    probe = new Probe.Unresolved("the check cannot be made: " + problem.getMessage());
                }
                out.add(new CheckTarget(key, probe, timing, e.health()));
            }
        }
        return out;
    }

    static Probe probe(HealthCheck check, ServiceEndpoint endpoint, Pod pod, Map<String, Pod> podsByKey,
            PodNamespaces namespaces) {
        if (check.http() != null) {
            return port(check.http().port(), endpoint, pod).<Probe>map(p -> new Probe.Http(endpoint.address(), p,
                    check.http().effectivePath())).orElseGet(() -> noPort(check.http().port(), endpoint));
        }
        if (check.tcp() != null) {
            return port(check.tcp().port(), endpoint, pod).<Probe>map(p -> new Probe.Tcp(endpoint.address(), p))
                    .orElseGet(() -> noPort(check.tcp().port(), endpoint));
        }
        if (pod == null) {
            return new Probe.Unresolved("pod " + endpoint.pod() + " is not known to this node's agent yet");
        }
        return netns(pod, podsByKey, namespaces)
                .<Probe>map(ns -> new Probe.Script(ns, check.script().command()))
                .orElseGet(() -> new Probe.Unresolved("pod " + endpoint.pod() + " runs in the network namespace of "
                        + pod.spec().effectiveNetworkMode().substring("container:".length())
                        + ", which is not known to this node's agent"));
    }

    /** The port number: as given, or the pod's TCP port of that name, or the endpoint's service port of that name. */
    static Optional<Integer> port(PortReference port, ServiceEndpoint endpoint, Pod pod) {
        if (port == null) {
            return Optional.empty();
        }
        if (port.numberValue().isPresent()) {
            return port.numberValue();
        }
        String name = port.nameValue().orElseThrow();
        if (pod != null) {
            for (PodPort p : pod.spec().ports()) {
                if (name.equals(p.name()) && "TCP".equalsIgnoreCase(p.effectiveProtocol()) && p.port() != null) {
                    return Optional.of(p.port());
                }
            }
        }
        return endpoint.port(name).filter(p -> "TCP".equalsIgnoreCase(p.effectiveProtocol()))
                .map(EndpointPort::port);
    }

    private static Probe noPort(PortReference port, ServiceEndpoint endpoint) {
        return new Probe.Unresolved(port == null ? "the health check names no port"
                : "pod " + endpoint.pod() + " has no TCP port named " + port + " (the health check's port)");
    }

    /** A namespace (project) as pods are keyed: {@code default} when unset. */
    private static String namespaceOf(String namespace) {
        return namespace == null || namespace.isEmpty() ? Namespace.DEFAULT : namespace;
    }

    private static Optional<NetNs> netns(Pod pod, Map<String, Pod> podsByKey, PodNamespaces namespaces) {
        String mode = pod.spec().effectiveNetworkMode();
        if (mode.equals("host")) {
            return Optional.of(namespaces.nodeNamespace());
        }
        if (mode.startsWith("container:")) {
            Pod other = podsByKey.get(PodKeys.namespace(pod) + "/" + mode.substring("container:".length()));
            // One hop, as the data plane: the other pod owns its namespace.
            return other == null || other.spec().effectiveNetworkMode().startsWith("container:")
                    ? Optional.empty() : netns(other, podsByKey, namespaces);
        }
        return Optional.of(namespaces.namespaceOf(pod));
    }
}
