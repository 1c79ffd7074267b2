package io.drover.model.pod;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * @param node            the node that runs the pod; IPAM allocates once it is set
 * @param networkMode     {@code bridge} (default), {@code host}, {@code container:<pod>} or {@code none}, as Docker's modes
 * @param networks        in bridge mode, the networks to join: one interface each, eth0, eth1, ... in this order
 * @param ports           named ports, optionally published on the node
 * @param publishAllPorts publish every port that names no {@code hostPort} on an automatic host port of the node
 *                        (Docker's {@code -P}); the ports assigned are listed in {@code status.publishedPorts}
 * @param command         the program to run; the built-in echo server when omitted
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record PodSpec(String node, String networkMode, List<String> networks, List<PodPort> ports,
        Boolean publishAllPorts, List<String> command) {

    public static final PodSpec EMPTY = new PodSpec(null, null, List.of(), List.of(), null, List.of());

    public PodSpec {
        networks = networks == null ? List.of() : List.copyOf(networks);
        ports = ports == null ? List.of() : List.copyOf(ports);
        command = command == null ? List.of() : List.copyOf(command);
    }

    /** A pod that publishes only the ports with a {@code hostPort}. */
    public PodSpec(String node, String networkMode, List<String> networks, List<PodPort> ports, List<String> command) {
        this(node, networkMode, networks, ports, null, command);
    }

    public static PodSpec on(String node, String... networks) {
        return new PodSpec(node, null, List.of(networks), List.of(), List.of());
    }

    public String effectiveNetworkMode() {
        return networkMode == null || networkMode.isEmpty() ? "bridge" : networkMode;
    }

    /** Pods in bridge mode get an interface, and so addresses, on each of their networks. */
    public boolean joinsNetworks() {
        return effectiveNetworkMode().equals("bridge");
    }

    /** Whether {@code publishAllPorts} is set to true (it is off when omitted). */
    public boolean publishesAllPorts() {
        return Boolean.TRUE.equals(publishAllPorts);
    }

    /**
     * The ports that get an automatic host port: with {@code publishAllPorts}, in bridge mode, every declared port
     * that has a port number and no {@code hostPort}. Empty otherwise.
     */
    public List<PodPort> automaticPorts() {
        if (!publishesAllPorts() || !joinsNetworks()) {
            return List.of();
        }
        return ports.stream().filter(p -> p.port() != null && p.hostPort() == null).toList();
    }

    /** The interface name of the i-th network: eth0, eth1, ... */
    public static String interfaceName(int index) {
        return "eth" + index;
    }

    public PodSpec withNode(String newNode) {
        return new PodSpec(newNode, networkMode, networks, ports, publishAllPorts, command);
    }

    public PodSpec withPorts(List<PodPort> newPorts) {
        return new PodSpec(node, networkMode, networks, newPorts, publishAllPorts, command);
    }
}
