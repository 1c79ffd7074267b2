package io.drover.model.validation;

import io.drover.model.meta.LabelRules;
import io.drover.model.policy.PortReference;
import io.drover.model.service.ServicePort;
import io.drover.model.service.ServiceSpec;
import io.drover.model.service.ServiceType;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** A service's ports: names, numbers, protocols, target ports and node ports, each unique where Kubernetes requires. */
final class ServicePortRules {

    private static final Set<String> PROTOCOLS = Set.of("TCP", "UDP", "SCTP");
    private static final int MAX_PORT = 65535;

    private ServicePortRules() {}

    /** {@code type} null: an unknown type, already reported; the checks that depend on it are skipped. */
    static void validate(ServiceSpec spec, ServiceType type, Errors errors) {
        List<ServicePort> ports = spec.portList();
        if (ports.isEmpty() && type != ServiceType.EXTERNAL_NAME && !spec.isHeadless() && type != null) {
            errors.add("spec.ports", "is required: a service forwards the ports it lists; add one, e.g. "
                    + "ports: [{name: http, port: 80, targetPort: http}]");
            return;
        }
        Map<String, Integer> names = new HashMap<>();
        Map<String, Integer> portsSeen = new HashMap<>();
        Map<String, Integer> nodePortsSeen = new HashMap<>();
        for (int i = 0; i < ports.size(); i++) {
            String field = Errors.index("spec.ports", i);
            ServicePort port = ports.get(i);
            if (port == null) {
                errors.add(field, "is empty; give it at least port (and a name when there are several), or remove it");
                continue;
            }
            validateName(field, port.name(), ports.size(), errors);
            firstUse(names, port.name(), i, field + ".name", "name", errors);
            validateProtocol(field + ".protocol", port.protocol(), errors);
            validateNumber(field, port.port(), errors);
            if (port.port() != null) {
                firstUse(portsSeen, port.port() + "/" + port.effectiveProtocol(), i, field + ".port",
                        "port and protocol (" + port.port() + "/" + port.effectiveProtocol() + ")", errors);
            }
            validateTargetPort(field + ".targetPort", port.targetPort(), errors);
            validateNodePort(field + ".nodePort", port.nodePort(), spec, type, errors);
            if (port.nodePort() != null && port.nodePort() != 0) {
                firstUse(nodePortsSeen, port.nodePort() + "/" + port.effectiveProtocol(), i, field + ".nodePort",
                        "nodePort and protocol (" + port.nodePort() + "/" + port.effectiveProtocol() + ")", errors);
            }
        }
    }

    private static void validateName(String field, String name, int portCount, Errors errors) {
        if (name == null || name.isEmpty()) {
            if (portCount > 1) {
                errors.add(field + ".name", "is required when a service has several ports: endpoints and DNS name "
                        + "each port by it; give every port a name, e.g. name: http");
            }
            return;
        }
        errors.addIfProblem(field + ".name", name, LabelRules.dns1123LabelProblem(name));
    }

    /** Reports a value that an earlier port already has, naming that port. */
    private static void firstUse(Map<String, Integer> seen, String value, int index, String field, String what,
            Errors errors) {
        if (value == null || value.isEmpty()) {
            return;
        }
        Integer earlier = seen.putIfAbsent(value, index);
        if (earlier != null) {
            errors.add(field, "the " + what + " of " + Errors.index("spec.ports", earlier)
                    + " again; each port of a service needs its own: change or remove one of them");
        }
    }

    private static void validateNumber(String field, Integer port, Errors errors) {
        if (port == null) {
            errors.add(field + ".port", "is required: the port the service answers at, e.g. port: 80");
        } else if (port < 1 || port > MAX_PORT) {
            errors.add(field + ".port", "must be between 1 and " + MAX_PORT + "; it is " + port);
        }
    }

    private static void validateTargetPort(String field, PortReference target, Errors errors) {
        if (target == null) {
            return;
        }
        if (target.isNamed()) {
            String name = target.nameValue().orElseThrow();
            String problem = Names.portNameProblem(name);
            if (problem != null) {
                errors.add(field, Errors.quote(name) + " is neither a port number nor a port name: a name " + problem
                        + "; write the number of the pods' port, or the name a pod gives it in spec.ports");
            }
            return;
        }
        int number = target.numberValue().orElseThrow();
        // 0 is Kubernetes' "same as port".
        if (number < 0 || number > MAX_PORT) {
            errors.add(field, "must be between 1 and " + MAX_PORT + " (or the name of a pod's port); it is " + number);
        }
    }

    private static void validateNodePort(String field, Integer nodePort, ServiceSpec spec, ServiceType type, Errors errors) {
        // 0 is Kubernetes' "allocate one", as omitted.
        if (nodePort == null || nodePort == 0) {
            return;
        }
        if (nodePort < 1 || nodePort > MAX_PORT) {
            errors.add(field, "must be between 1 and " + MAX_PORT + " (and inside the server's node-port range); it is "
                    + nodePort);
        } else if (type != null && !spec.allocatesNodePorts()) {
            errors.add(field, "cannot be used with type " + type.yamlName()
                    + (type == ServiceType.LOAD_BALANCER ? " when allocateLoadBalancerNodePorts is false" : "")
                    + ": only NodePort and LoadBalancer services have node ports; remove nodePort, or set type: NodePort");
        }
    }

    private static void validateProtocol(String field, String protocol, Errors errors) {
        if (protocol == null || protocol.isEmpty() || PROTOCOLS.contains(protocol)) {
            return;
        }
        String upper = protocol.toUpperCase(Locale.ROOT);
        if (PROTOCOLS.contains(upper)) {
            errors.add(field, Errors.quote(protocol) + " must be upper case, as in Kubernetes: " + upper);
        } else {
            errors.add(field, Errors.quote(protocol) + " is not a protocol; use TCP, UDP or SCTP (or omit it for TCP)");
        }
    }
}
