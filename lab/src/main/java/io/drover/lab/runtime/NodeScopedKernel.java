package io.drover.lab.runtime;

import io.drover.agent.kernel.Address;
import io.drover.agent.kernel.FdbEntry;
import io.drover.agent.kernel.Kernel;
import io.drover.agent.kernel.Link;
import io.drover.agent.kernel.Neighbour;
import io.drover.agent.kernel.NetNs;
import io.drover.agent.kernel.Route;
import io.drover.agent.kernel.Vxlan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * The kernel as the agent of one lab node sees it. All nodes of a lab share one /run/netns, and every lab pod
 * namespace has the same prefix ({@code drl-LAB-p-}); an agent removes any namespace with its owned prefix that
 * none of its pods wants, so without this the agent of node-1 would delete the pods of node-2 (and node-2's agent
 * would make them again, forever). A real node has a /run/netns of its own; this gives each lab node the same: a
 * pod namespace is listed to an agent only when that agent made it.
 *
 * <p>Which agent made a namespace is kept as a claim file, {@code claims/node-N/NAME} in the lab's directory,
 * written before the namespace is created and removed after it is deleted: so a claim survives an agent restart
 * (the new agent adopts and cleans up what the old one made), and a killed agent leaves at worst a claim without a
 * namespace, which lists nothing. {@code lab down} removes the directory with the lab. Everything else passes
 * straight through.
 */
public final class NodeScopedKernel implements Kernel {

    private final Kernel kernel;
    private final LabNames names;
    private final Path claims;

    /**
     * @param labDir the lab's directory ({@link LabStateStore#labDir})
     * @param node   the node whose agent uses this kernel, e.g. {@code node-1}
     */
    public NodeScopedKernel(Kernel kernel, LabNames names, Path labDir, String node) {
        this.kernel = kernel;
        this.names = names;
        this.claims = labDir.resolve("claims").resolve(node);
    }

    private boolean isPodNamespace(String name) {
        return names.owns(name) && LabNames.parse(name).map(p -> p.role() == LabNames.Role.POD).orElse(false);
    }

    @Override
    public NetNs createNamespace(String name) {
        if (!isPodNamespace(name)) {
            return kernel.createNamespace(name);
        }
        Path claim = claims.resolve(name);
        boolean hadClaim = Files.exists(claim);
        try {
            Files.createDirectories(claims);
            Files.writeString(claim, "");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record namespace " + name + " as this node's in " + claim, e);
        }
        try {
            return kernel.createNamespace(name);
        } catch (RuntimeException e) {
            // Typically EEXIST: another node's agent still has a namespace by this name (its pod moved here).
            if (!hadClaim) {
                deleteClaim(claim);
            }
            throw e;
        }
    }

    @Override
    public void deleteNamespace(String name) {
        kernel.deleteNamespace(name);
        if (isPodNamespace(name)) {
            deleteClaim(claims.resolve(name));
        }
    }

    /** The namespaces, less the pod namespaces other nodes' agents made. */
    @Override
    public List<String> namespaces() {
        return kernel.namespaces().stream()
                .filter(name -> !isPodNamespace(name) || Files.exists(claims.resolve(name)))
                .toList();
    }

    private static void deleteClaim(Path claim) {
        try {
            Files.deleteIfExists(claim);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the namespace claim " + claim, e);
        }
    }

    @Override
    public <T> T inNamespace(NetNs ns, Callable<T> task) {
        return kernel.inNamespace(ns, task);
    }

    @Override
    public List<Link> links(NetNs ns) {
        return kernel.links(ns);
    }

    @Override
    public List<Link> trackedLinks(NetNs ns) {
        return kernel.trackedLinks(ns);
    }

    @Override
    public void forgetTrackedLinks() {
        kernel.forgetTrackedLinks();
    }

    @Override
    public java.util.Optional<Link> link(NetNs ns, String name) {
        return kernel.link(ns, name);
    }

    @Override
    public void createBridge(NetNs ns, String name, int mtu, String alias) {
        kernel.createBridge(ns, name, mtu, alias);
    }

    @Override
    public void createVethPair(NetNs ns, String name, String alias, NetNs peerNs, String peerName, int mtu) {
        kernel.createVethPair(ns, name, alias, peerNs, peerName, mtu);
    }

    @Override
    public void deleteLink(NetNs ns, String name) {
        kernel.deleteLink(ns, name);
    }

    @Override
    public void createVxlan(NetNs ns, String name, Vxlan vxlan, int mtu, String mac, String alias) {
        kernel.createVxlan(ns, name, vxlan, mtu, mac, alias);
    }

    @Override
    public Optional<Vxlan> vxlan(NetNs ns, String name) {
        return kernel.vxlan(ns, name);
    }

    @Override
    public void setUp(NetNs ns, String name, boolean up) {
        kernel.setUp(ns, name, up);
    }

    @Override
    public AutoCloseable followNflog(NetNs ns, int group, java.util.function.Consumer<io.drover.agent.kernel.NflogRecord> sink) {
        return kernel.followNflog(ns, group, sink);
    }

    @Override
    public void setMac(NetNs ns, String name, String mac) {
        kernel.setMac(ns, name, mac);
    }

    @Override
    public void setMtu(NetNs ns, String name, int mtu) {
        kernel.setMtu(ns, name, mtu);
    }

    @Override
    public void setMaster(NetNs ns, String name, String bridge) {
        kernel.setMaster(ns, name, bridge);
    }

    @Override
    public boolean running(NetNs ns, String name) {
        return kernel.running(ns, name);
    }

    @Override
    public void setHairpin(NetNs ns, String port, boolean on) {
        kernel.setHairpin(ns, port, on);
    }

    @Override
    public void pinMac(NetNs ns, String port, String mac) {
        kernel.pinMac(ns, port, mac);
    }

    @Override
    public List<Address> addresses(NetNs ns, String link) {
        return kernel.addresses(ns, link);
    }

    @Override
    public void addAddress(NetNs ns, String link, Address address) {
        kernel.addAddress(ns, link, address);
    }

    @Override
    public void deleteAddress(NetNs ns, String link, Address address) {
        kernel.deleteAddress(ns, link, address);
    }

    @Override
    public List<Route> routes(NetNs ns) {
        return kernel.routes(ns);
    }

    @Override
    public void addRoute(NetNs ns, Route route) {
        kernel.addRoute(ns, route);
    }

    @Override
    public void deleteRoute(NetNs ns, Route route) {
        kernel.deleteRoute(ns, route);
    }

    @Override
    public List<Neighbour> neighbours(NetNs ns, String device) {
        return kernel.neighbours(ns, device);
    }

    @Override
    public void setNeighbour(NetNs ns, Neighbour neighbour) {
        kernel.setNeighbour(ns, neighbour);
    }

    @Override
    public void deleteNeighbour(NetNs ns, Neighbour neighbour) {
        kernel.deleteNeighbour(ns, neighbour);
    }

    @Override
    public List<FdbEntry> fdb(NetNs ns, String device) {
        return kernel.fdb(ns, device);
    }

    @Override
    public void addFdb(NetNs ns, FdbEntry entry) {
        kernel.addFdb(ns, entry);
    }

    @Override
    public void deleteFdb(NetNs ns, FdbEntry entry) {
        kernel.deleteFdb(ns, entry);
    }

    @Override
    public String sysctl(NetNs ns, String key) {
        return kernel.sysctl(ns, key);
    }

    @Override
    public void setSysctl(NetNs ns, String key, String value) {
        kernel.setSysctl(ns, key, value);
    }

    @Override
    public void applyNftables(NetNs ns, String script) {
        kernel.applyNftables(ns, script);
    }

    @Override
    public void applyNftElements(NetNs ns, List<io.drover.agent.kernel.NftElementChange> changes) {
        kernel.applyNftElements(ns, changes);
    }

    @Override
    public void deleteUdpConntrack(NetNs ns, java.net.InetAddress destination, int port, java.net.InetAddress endpoint) {
        kernel.deleteUdpConntrack(ns, destination, port, endpoint);
    }

    @Override
    public int countTranslatedConnections(NetNs ns, java.net.InetAddress endpoint) {
        return kernel.countTranslatedConnections(ns, endpoint);
    }

    @Override
    public String listNftTable(NetNs ns, String family, String table) {
        return kernel.listNftTable(ns, family, table);
    }
}
