package io.drover.agent.cni;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.agent.desired.ManagedPodNamespaces;
import io.drover.agent.kernel.NetNs;
import io.drover.agent.kernel.linux.LinuxKernel;
import io.drover.api.registry.StoreResourceRegistry;
import io.drover.cni.DroverCniExecutable;
import io.drover.controllers.Controllers;
import io.drover.model.meta.ObjectMeta;
import io.drover.model.network.Network;
import io.drover.model.network.NetworkSpec;
import io.drover.store.sqlite.SqliteKeyValueStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real node for the end-to-end tests (root): the Drover server's pieces in-process (SQLite store, registry, IPAM)
 * and a {@link CniAgent} on the Linux kernel whose node namespace is a throwaway one, {@code drvt-a<pid>-<random>-node}
 * (leftovers of a killed run are removed by the next run),
 * serving CNI on a socket in a temporary directory; the drover-cni executable installed in a plugin directory under
 * the name {@code drover}. Every namespace it makes starts with the node's prefix, and closing removes them all
 * (through `ip netns del`, so that cleaning up does not depend on the code under test). Nothing runs in, or
 * changes, the root namespace.
 */
final class RealNode implements AutoCloseable {

    final String prefix = io.drover.agent.kernel.TestRuns.prefix();
    final String nodeNs = prefix + "node";
    final Path dir;
    final Path plugins;
    final SqliteKeyValueStore store;
    final StoreResourceRegistry registry;
    final Controllers controllers;
    final LinuxKernel kernel = new LinuxKernel();
    final CniAgent cni;

    /** @param networks name=subnet pairs, e.g. {@code blue=10.61.0.0/24} */
    RealNode(Path dir, String... networks) throws IOException {
        this.dir = dir;
        Commands.check("ip", "netns", "add", nodeNs);
        try {
            Commands.check("ip", "netns", "exec", nodeNs, "ip", "link", "set", "lo", "up");
            plugins = dir.resolve("plugins");
            DroverCniExecutable.install(plugins, DroverCniExecutable.TYPE);
            store = SqliteKeyValueStore.open(dir.resolve("store"));
            registry = new StoreResourceRegistry(store);
            registry.ensureDefaults();
            for (String n : networks) {
                String[] parts = n.split("=");
                registry.create(Network.of(ObjectMeta.named(parts[0]), NetworkSpec.of(parts[1])));
            }
            controllers = Controllers.start(store, registry);
            cni = CniAgent.start("node-1", registry, kernel,
                    new ManagedPodNamespaces(prefix, NetNs.named(nodeNs)), dir.resolve("agent.sock"),
                    CniAgent.AGENT_OPTIONS, CniService.Options.DEFAULTS);
        } catch (IOException | RuntimeException e) {
            removeNamespaces();
            throw e;
        }
    }

    /** Skips the calling tests unless {@link #unavailable()} finds nothing missing. */
    static void assumeAvailable() {
        String why = unavailable();
        Assumptions.assumeTrue(why == null, why);
    }

    /** The root namespace's interfaces ({@code ip -j link show}), to check afterwards that a test left them alone. */
    static String rootLinks() {
        return Commands.check("ip", "-j", "link", "show");
    }

    /** Fails unless the root namespace's interfaces are still {@code before}; nothing to check when it is null. */
    static void assertRootLinksUnchanged(String before) {
        if (before != null) {
            assertThat(rootLinks()).as("the root namespace's interfaces").isEqualTo(before);
        }
    }

    /** Skips unless root with iproute2: the reason, or null when the tests can run. */
    static String unavailable() {
        if (!Commands.isRoot()) {
            return "needs root (network namespaces)";
        }
        if (!Commands.onPath("ip")) {
            return "needs iproute2";
        }
        return null;
    }

    /** A container's namespace, as a runtime makes it: {@code /run/netns/<prefix><suffix>}. */
    String container(String suffix) {
        String name = prefix + suffix;
        Commands.check("ip", "netns", "add", name);
        return name;
    }

    Path socket() {
        return cni.socket();
    }

    /** A configuration list's single plugin: drover on {@code network}, talking to this node's socket. */
    String config(String version, String network, String extra) {
        return "{\"cniVersion\":\"" + version + "\",\"name\":\"" + network + "\",\"type\":\"drover\",\"socket\":\""
                + socket() + "\"" + extra + "}";
    }

    /** Runs a plugin of {@code pluginDir} inside the node's namespace, as a runtime on the node would. */
    Commands.Result plugin(Path pluginDir, String type, String command, String containerId, String netns, String ifName,
            String config) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CNI_COMMAND", command);
        env.put("CNI_CONTAINERID", containerId);
        env.put("CNI_NETNS", netns == null ? "" : netns);
        env.put("CNI_IFNAME", ifName);
        env.put("CNI_PATH", pluginDir.toString());
        env.put("PATH", Commands.PATH);
        return Commands.run(List.of("ip", "netns", "exec", nodeNs, pluginDir.resolve(type).toString()), env,
                config.getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(60));
    }

    /** drover-cni, as the runtime runs it. */
    Commands.Result drover(String command, String containerId, String containerNs, String ifName, String config) {
        return plugin(plugins, "drover", command, containerId, containerNs == null ? null : "/run/netns/" + containerNs,
                ifName, config);
    }

    /** A command inside a namespace. */
    Commands.Result exec(String ns, String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(List.of(command));
        return Commands.run(full, null, new byte[0], Duration.ofSeconds(30));
    }

    boolean ping(String fromNs, String address) {
        return exec(fromNs, "busybox", "ping", "-c", "1", "-W", "2", address).ok();
    }

    /** The interface names of a namespace. */
    List<String> links(String ns) {
        String out = Commands.check("ip", "-n", ns, "-o", "link", "show");
        return out.lines().map(l -> l.split(":\\s+")[1].split("@")[0]).toList();
    }

    @Override
    public void close() throws IOException {
        try {
            try {
                cni.close();
            } finally {
                controllers.close();
                kernel.close();
                store.close();
            }
        } finally {
            removeNamespaces();
        }
        assertThat(namespacesLeft()).as("namespaces left behind").isEmpty();
    }

    private void removeNamespaces() {
        for (String name : namespacesLeft()) {
            Commands.run("ip", "netns", "del", name);
        }
    }

    private List<String> namespacesLeft() {
        try (Stream<Path> files = Files.list(Path.of("/run/netns"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix)).toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
