package io.drover.model.validation;

import io.drover.model.meta.LabelRules;
import io.drover.model.net.IpAddresses;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodPort;
import io.drover.model.pod.PodSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** A pod: its network mode, the networks it joins, the ports it serves and publishes, its command. */
final class PodRules {

    static final String CONTAINER_PREFIX = "container:";
    private static final Set<String> MODES = Set.of("bridge", "host", "none");
    private static final Set<String> PROTOCOLS = Set.of("TCP", "UDP", "SCTP");
    private static final int MAX_PORT = 65535;

    private PodRules() {}

    static void validate(Pod pod, Errors errors) {
        PodSpec spec = pod.spec();
        if (spec.node() != null && !spec.node().isEmpty()) {
            errors.addIfProblem("spec.node", spec.node(), LabelRules.dns1123SubdomainProblem(spec.node()));
        }
        String mode = validateMode(spec.networkMode(), pod.name(), errors);
        validateNetworks(spec.networks(), mode, errors);
        // A hostIP without hostPort asks for an automatic host port, which only publishAllPorts in bridge mode gives.
        validatePorts(spec.ports(), mode, spec.publishesAllPorts() && "bridge".equals(mode), errors);
        if (spec.publishesAllPorts()) {
            validatePublishAll(spec, mode, errors);
        }
        List<String> command = spec.command();
        for (int i = 0; i < command.size(); i++) {
            if (command.get(i).isEmpty()) {
                errors.add(Errors.index("spec.command", i), "must not be empty; remove it or write the argument");
            }
        }
    }

    /** The mode's kind (bridge, host, none or container), or null when the mode is invalid. */
    private static String validateMode(String networkMode, String podName, Errors errors) {
        if (networkMode == null || networkMode.isEmpty()) {
            return "bridge";
        }
        if (MODES.contains(networkMode)) {
            return networkMode;
        }
        if (networkMode.startsWith(CONTAINER_PREFIX)) {
            String other = networkMode.substring(CONTAINER_PREFIX.length());
            if (other.isEmpty()) {
                errors.add("spec.networkMode", "'container:' needs the name of the pod whose network to share, "
                        + "e.g. container:web-1");
            } else if (LabelRules.dns1123SubdomainProblem(other) != null) {
                errors.add("spec.networkMode", "names pod " + Errors.quote(other) + ", which is not a valid pod name: it "
                        + LabelRules.dns1123SubdomainProblem(other));
            } else if (other.equals(podName)) {
                errors.add("spec.networkMode", "a pod cannot share its own network; name another pod");
            }
            return "container";
        }
        String lower = networkMode.toLowerCase(Locale.ROOT);
        String hint = MODES.contains(lower) || lower.startsWith(CONTAINER_PREFIX)
                ? "; network modes are lower case: " + lower
                : "; use bridge, host, none or container:<pod-name>";
        errors.add("spec.networkMode", Errors.quote(networkMode) + " is not a network mode" + hint);
        return null;
    }

    private static void validateNetworks(List<String> networks, String mode, Errors errors) {
        if (networks.isEmpty()) {
            return;
        }
        if (mode != null && !mode.equals("bridge")) {
            errors.add("spec.networks", "must be empty in " + mode + " mode: only pods in bridge mode join networks; "
                    + "remove spec.networks or use networkMode: bridge");
            return;
        }
        if (networks.size() > Validators.MAX_POD_NETWORKS) {
            errors.add("spec.networks", "lists " + networks.size() + " networks; a pod joins at most "
                    + Validators.MAX_POD_NETWORKS + " (eth0 to eth" + (Validators.MAX_POD_NETWORKS - 1) + ")");
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < networks.size(); i++) {
            String field = Errors.index("spec.networks", i);
            String network = networks.get(i);
            String problem = Names.networkNameProblem(network);
            if (problem != null) {
                errors.add(field, Errors.quote(network) + " " + problem);
                continue;
            }
            Integer earlier = seen.putIfAbsent(network, i);
            if (earlier != null) {
                errors.add(field, Errors.quote(network) + " is already listed at " + Errors.index("spec.networks", earlier)
                        + "; a pod joins each network once");
            }
        }
    }

    private static void validatePorts(List<PodPort> ports, String mode, boolean publishAll, Errors errors) {
        Map<String, Integer> names = new HashMap<>();
        Map<String, Integer> served = new HashMap<>();
        Map<String, Integer> published = new HashMap<>();
        for (int i = 0; i < ports.size(); i++) {
            String field = Errors.index("spec.ports", i);
            PodPort port = ports.get(i);
            boolean portValid = validatePortNumber(field + ".port", port.port(), true, errors);
            String protocol = validateProtocol(field + ".protocol", port.protocol(), errors);
            if (port.name() != null && !port.name().isEmpty()) {
                String problem = Names.portNameProblem(port.name());
                if (problem != null) {
                    errors.add(field + ".name", Errors.quote(port.name()) + " " + problem);
                } else {
                    Integer earlier = names.putIfAbsent(port.name(), i);
                    if (earlier != null) {
                        errors.add(field + ".name", Errors.quote(port.name()) + " is already the name of "
                                + Errors.index("spec.ports", earlier) + "; port names are unique in a pod");
                    }
                }
            }
            if (portValid && protocol != null) {
                Integer earlier = served.putIfAbsent(port.port() + "/" + protocol, i);
                if (earlier != null) {
                    errors.add(field, "port " + port.port() + "/" + protocol + " is already declared by "
                            + Errors.index("spec.ports", earlier) + "; declare each port and protocol once");
                }
            }
            validatePublishing(i, port, mode, portValid, protocol, publishAll, published, errors);
        }
    }

    /**
     * hostPort and hostIP: publishing on the node, as Docker's -p [hostIP:]hostPort:port. With publishAllPorts a
     * hostIP without hostPort is Docker's -p hostIP::port: an automatic host port on that address.
     */
    private static void validatePublishing(int index, PodPort port, String mode, boolean portValid, String protocol,
            boolean publishAll, Map<String, Integer> published, Errors errors) {
        String field = Errors.index("spec.ports", index);
        String hostIp = port.hostIP() == null || port.hostIP().isEmpty() ? null : port.hostIP();
        if (hostIp != null) {
            try {
                hostIp = IpAddresses.format(IpAddresses.parse(hostIp));
            } catch (IllegalArgumentException e) {
                errors.add(field + ".hostIP", e.getMessage());
                hostIp = null;
            }
            if (port.hostPort() == null && !publishAll) {
                errors.add(field + ".hostIP", "is set without hostPort; set hostPort too, set spec.publishAllPorts: true "
                        + "for an automatic host port on this address, or remove hostIP");
            }
        }
        if (port.hostPort() == null) {
            return;
        }
        if (!validatePortNumber(field + ".hostPort", port.hostPort(), false, errors)) {
            return;
        }
        if ("none".equals(mode)) {
            errors.add(field + ".hostPort", "cannot be published: a pod in none mode has no network; remove hostPort");
            return;
        }
        if ("host".equals(mode) && portValid && !port.hostPort().equals(port.port())) {
            errors.add(field + ".hostPort", "must equal port (" + port.port() + ") in host mode, where the pod "
                    + "listens on the node's own addresses; remove hostPort or set it to " + port.port());
            return;
        }
        if (protocol == null) {
            return;
        }
        // A port published on all addresses conflicts with the same port on any one address, and vice versa.
        String prefix = port.hostPort() + "/" + protocol + "@";
        String key = prefix + (hostIp == null ? "*" : hostIp);
        Integer earlier = hostIp == null
                ? published.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                        .map(Map.Entry::getValue).min(Integer::compare).orElse(null)
                : published.getOrDefault(key, published.get(prefix + "*"));
        if (earlier != null) {
            errors.add(field + ".hostPort", port.hostPort() + "/" + protocol + " is already published by "
                    + Errors.index("spec.ports", earlier) + "; choose another hostPort");
        } else {
            published.put(key, index);
        }
    }

    /**
     * publishAllPorts (Docker's -P): only a bridge-mode pod on a network has an address of its own to publish its
     * ports to, and it needs a port to publish.
     */
    private static void validatePublishAll(PodSpec spec, String mode, Errors errors) {
        String field = "spec.publishAllPorts";
        if ("none".equals(mode)) {
            errors.add(field, "cannot be used in none mode: the pod has no network to publish its ports from; "
                    + "remove publishAllPorts, or use networkMode: bridge");
            return;
        }
        if ("host".equals(mode)) {
            errors.add(field, "cannot be used in host mode: the pod listens on the node's own addresses, so its ports "
                    + "are reachable on the node already; remove publishAllPorts");
            return;
        }
        if ("container".equals(mode)) {
            String other = spec.networkMode().substring(CONTAINER_PREFIX.length());
            errors.add(field, "cannot be used in container mode: the pod uses the network of pod " + Errors.quote(other)
                    + ", which publishes it; set publishAllPorts in pod " + Errors.quote(other)
                    + " or give these ports a hostPort, and remove publishAllPorts here");
            return;
        }
        if (mode == null) {
            return; // the mode's own error says what to fix first
        }
        if (spec.networks().isEmpty()) {
            errors.add(field, "has nothing to publish to: the pod joins no network, so it has no address; "
                    + "add spec.networks, or remove publishAllPorts");
        }
        if (spec.ports().stream().noneMatch(p -> p.port() != null)) {
            errors.add(field, "needs a port to publish: declare the ports the pod serves in spec.ports "
                    + "(e.g. {port: 80}), or remove publishAllPorts");
        }
    }

    private static boolean validatePortNumber(String field, Integer number, boolean required, Errors errors) {
        if (number == null) {
            if (required) {
                errors.add(field, "is required: the port number the pod serves, 1-" + MAX_PORT);
            }
            return false;
        }
        if (number < 1 || number > MAX_PORT) {
            errors.add(field, "must be between 1 and " + MAX_PORT + "; it is " + number);
            return false;
        }
        return true;
    }

    /** The protocol (TCP when omitted), or null when it is invalid. */
    private static String validateProtocol(String field, String protocol, Errors errors) {
        if (protocol == null || protocol.isEmpty()) {
            return "TCP";
        }
        if (PROTOCOLS.contains(protocol)) {
            return protocol;
        }
        String upper = protocol.toUpperCase(Locale.ROOT);
        if (PROTOCOLS.contains(upper)) {
            errors.add(field, Errors.quote(protocol) + " must be upper case, as in Kubernetes: " + upper);
        } else {
            errors.add(field, Errors.quote(protocol) + " is not a protocol; use TCP, UDP or SCTP");
        }
        return null;
    }
}
