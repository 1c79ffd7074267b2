package io.drover.cli.agent;

import io.drover.agent.cni.ClusterDns;
import io.drover.agent.cni.CniEndpoint;
import io.drover.agent.desired.ManagedPodNamespaces;
import io.drover.agent.desired.PodNamespaces;
import io.drover.agent.kernel.NetNs;
import io.drover.lab.runtime.FabricLayout;
import io.drover.lab.runtime.LabNames;
import io.drover.lab.runtime.LabPodNamespaces;
import io.drover.model.meta.LabelRules;
import io.drover.model.net.IpAddresses;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.Optional;
import io.drover.agent.cni.ClusterDns;
import io.drover.agent.desired.CrossNodeConfig;
import io.drover.agent.desired.CrossNodeMode;

/**
 * What an agent is to do, worked out from the options of {@code drover agent} (or {@code drover server
 * --with-agent}) alone, so that every combination is checked without starting anything.
 *
 * @param node       the node's name
 * @param lab        the lab the node belongs to, or null for a real node
 * @param namespaces where pods live: the lab's names, or namespaces the agent makes with a prefix of its own
 * @param cniSocket  where to serve CNI, or empty
 * @param address    the node's underlay address to register, or null when the agent does not know it
 * @param clusterDns what CNI results say about DNS ({@code --cluster-dns}, {@code --cluster-domain})
 */
public record AgentSetup(String node, String lab, PodNamespaces namespaces, Optional<Path> cniSocket, String address,
        CrossNodeMode crossNode, int vni, ClusterDns clusterDns) {

    public AgentSetup(String node, String lab, PodNamespaces namespaces, Optional<Path> cniSocket, String address) {
        this(node, lab, namespaces, cniSocket, address, CrossNodeMode.NONE, CrossNodeConfig.DEFAULT_VNI,
                ClusterDns.NONE);
    }

    /** The same agent telling the containers it attaches through CNI which DNS to ask. */
    public AgentSetup withClusterDns(java.util.List<String> nameservers, String domain) {
        try {
            return new AgentSetup(node, lab, namespaces, cniSocket, address, crossNode, vni,
                    new ClusterDns(nameservers == null ? java.util.List.of() : nameservers,
                            domain == null ? ClusterDns.DEFAULT_DOMAIN : domain));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--cluster-dns/--cluster-domain: " + e.getMessage(), e);
        }
    }

    /**
     * The same agent reaching the pods of other nodes: {@code mode} routed or vxlan needs the node's underlay address
     * ({@code --address}; a lab node has its own).
     */
    public AgentSetup withCrossNode(String mode, String underlayAddress, Integer vniOption) {
        CrossNodeMode parsed = CrossNodeMode.parse(mode == null ? "none" : mode);
        String chosen = underlayAddress != null ? underlayAddress : address;
        if (underlayAddress != null && !IpAddresses.isValid(underlayAddress)) {
            throw new IllegalArgumentException("--address '" + underlayAddress + "' is not an IP address; give the node's"
                    + " underlay address, through which other nodes reach it");
        }
        if (parsed != CrossNodeMode.NONE && chosen == null) {
            throw new IllegalArgumentException("--cross-node " + parsed.label() + " needs the node's underlay address:"
                    + " add --address IP (one of this node's own addresses)");
        }
        int v = vniOption == null ? CrossNodeConfig.DEFAULT_VNI : vniOption;
        if (v < 1 || v > 0xFFFFFF) {
            throw new IllegalArgumentException("--vni " + v + " is out of range 1-16777215");
        }
        return new AgentSetup(node, lab, namespaces, cniSocket, chosen, parsed, v, clusterDns);
    }

    /** The value of {@code --cni-socket} that serves no CNI. */
    public static final String NO_CNI = "none";

    public static AgentSetup of(String node, String netns, String podNetnsPrefix, String cniSocket, String lab) {
        String problem = node == null ? "--node is required" : LabelRules.dns1123SubdomainProblem(node);
        if (problem != null) {
            throw new IllegalArgumentException("--node " + (node == null ? "" : "'" + node + "' ") + problem);
        }
        if (lab != null) {
            return inLab(node, netns, podNetnsPrefix, cniSocket, lab);
        }
        String prefix = podNetnsPrefix == null ? "drover-" + node + "-" : podNetnsPrefix;
        if (prefix.isEmpty() || prefix.contains("/")) {
            throw new IllegalArgumentException("--pod-netns-prefix must be non-empty without '/', e.g. drover-" + node + "-");
        }
        NetNs nodeNs = netns == null ? NetNs.SELF : named(netns, "--netns");
        Optional<Path> cni = cniSocket == null ? Optional.of(CniEndpoint.DEFAULT_SOCKET) : socket(cniSocket);
        return new AgentSetup(node, null, new ManagedPodNamespaces(prefix, nodeNs), cni, null);
    }

    /**
     * A lab node: its namespace and its pods' are the lab's ({@link LabNames}), and it serves no CNI unless asked
     * (several lab agents on one machine cannot share the default socket).
     */
    private static AgentSetup inLab(String node, String netns, String podNetnsPrefix, String cniSocket, String lab) {
        String problem = LabNames.validate(lab);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        LabNames names = LabNames.of(lab);
        int number = LabNames.nodeNumber(node).orElseThrow(() -> new IllegalArgumentException(
                "lab nodes are named node-1, node-2, ...; --node '" + node + "' is not one"));
        if (number > LabNames.MAX_NODES) {
            throw new IllegalArgumentException("lab nodes run from node-1 to node-" + LabNames.MAX_NODES);
        }
        String nodeNamespace = names.nodeNamespace(number);
        if (netns != null && !netns.equals(nodeNamespace)) {
            throw new IllegalArgumentException("--netns " + netns + " is not the namespace of lab " + lab + "'s " + node
                    + " (" + nodeNamespace + "); leave --netns out with --lab");
        }
        if (podNetnsPrefix != null) {
            throw new IllegalArgumentException("--pod-netns-prefix does not go with --lab: lab pods' namespaces are "
                    + LabPodNamespaces.podPrefix(names) + "HASH");
        }
        Optional<Path> cni = cniSocket == null ? Optional.empty() : socket(cniSocket);
        String address = IpAddresses.format(FabricLayout.DEFAULT_UNDERLAY.address(BigInteger.valueOf(number)));
        return new AgentSetup(node, lab, new LabPodNamespaces(names, number), cni, address);
    }

    public boolean inLab() {
        return lab != null;
    }

    private static NetNs named(String name, String option) {
        if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException(option + " takes a namespace name under /run/netns (as 'ip netns' shows),"
                    + " not '" + name + "'");
        }
        return NetNs.named(name);
    }

    private static Optional<Path> socket(String value) {
        if (value.equals(NO_CNI)) {
            return Optional.empty();
        }
        if (value.isBlank()) {
            throw new IllegalArgumentException("--cni-socket takes a path, or '" + NO_CNI + "' to serve no CNI");
        }
        return Optional.of(Path.of(value));
    }
}
