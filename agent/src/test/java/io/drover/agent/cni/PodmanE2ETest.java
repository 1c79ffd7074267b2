package io.drover.agent.cni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.drover.agent.cni.Commands.Result;
import io.drover.agent.desired.ManagedPodNamespaces;
import io.drover.agent.kernel.NetNs;
import io.drover.model.ResourceKind;
import io.drover.model.meta.ObjectMeta;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodSpec;
import io.drover.model.pod.PodStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * podman with its CNI backend runs containers on Drover networks: {@code podman run --network blue} gets a Drover
 * address, reaches a Drover pod of blue and not one of red, and {@code podman rm} gives the address back.
 *
 * <p>podman runs inside a throwaway node namespace, entered with {@code nsenter --net} (not {@code ip netns exec},
 * whose private mount namespace would hide podman's namespace mounts from the agent), with everything private: its
 * configuration ({@code CONTAINERS_CONF}, {@code CONTAINERS_STORAGE_CONF}), its storage ({@code --root},
 * {@code --runroot}), its CNI configurations ({@code --cni-config-dir}) and plugins (drover-cni installed as
 * {@code drover}). The container's root file system is a directory holding busybox. The machine's container
 * configuration and storage are not touched.
 */
class PodmanE2ETest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static String rootLinks;

    @TempDir
    Path dir;

    private RealNode node;
    private Path rootfs;
    private Map<String, String> env;
    private List<String> podman;
    private final List<String> servedNamespaces = new ArrayList<>();

    @BeforeAll
    static void requirePodman() {
        RealNode.assumeAvailable();
        assumeTrue(Commands.onPath("podman") && Commands.onPath("runc") && Commands.onPath("nsenter"),
                "needs podman, runc and nsenter (apt-get install -y podman runc)");
        assumeTrue(Files.isExecutable(Path.of("/bin/busybox")), "needs busybox-static for the container's files");
        rootLinks = RealNode.rootLinks();
    }

    @AfterAll
    static void rootNamespaceUnchanged() {
        RealNode.assertRootLinksUnchanged(rootLinks);
    }

    @BeforeEach
    void setUp() throws IOException {
        node = new RealNode(dir, "blue=10.63.0.0/24", "red=10.64.0.0/24");
        rootfs = Files.createDirectories(dir.resolve("rootfs"));
        Path bin = Files.createDirectories(rootfs.resolve("bin"));
        Files.copy(Path.of("/bin/busybox"), bin.resolve("busybox"));
        for (String tool : List.of("sh", "ip", "wget", "timeout", "cat", "sleep", "echo")) {
            Files.createLink(bin.resolve(tool), bin.resolve("busybox")); // busybox runs the applet named by argv[0]
        }
        for (String d : List.of("etc", "proc", "sys", "dev", "tmp")) {
            Files.createDirectories(rootfs.resolve(d));
        }
        Path cniConfigs = Files.createDirectories(dir.resolve("cni"));
        for (String network : List.of("blue", "red")) {
            Files.writeString(cniConfigs.resolve(network + ".conflist"), "{\"cniVersion\":\"1.0.0\",\"name\":\""
                    + network + "\",\"plugins\":[{\"type\":\"drover\",\"network\":\"" + network + "\",\"socket\":\""
                    + node.socket() + "\"}]}");
        }
        Path conf = dir.resolve("containers.conf");
        Files.writeString(conf, """
                [network]
                network_backend = "cni"
                cni_plugin_dirs = ["%s"]
                network_config_dir = "%s"
                [engine]
                runtime = "runc"
                cgroup_manager = "cgroupfs"
                events_logger = "file"
                events_logfile_path = "%s"
                tmp_dir = "%s"
                """.formatted(node.plugins, cniConfigs, dir.resolve("events.log"), dir.resolve("podman-tmp")));
        Path storage = dir.resolve("storage.conf");
        Files.writeString(storage, """
                [storage]
                driver = "vfs"
                graphroot = "%s"
                runroot = "%s"
                """.formatted(dir.resolve("storage"), dir.resolve("run")));
        env = new LinkedHashMap<>();
        env.put("PATH", Commands.PATH);
        env.put("CONTAINERS_CONF", conf.toString());
        env.put("CONTAINERS_STORAGE_CONF", storage.toString());
        env.put("HOME", dir.toString());
        podman = List.of("nsenter", "--net=/run/netns/" + node.nodeNs, "podman", "--root", dir.resolve("storage").toString(),
                "--runroot", dir.resolve("run").toString(), "--cni-config-dir", cniConfigs.toString());
    }

    @AfterEach
    void tearDown() throws IOException {
        if (podman != null) {
            podman("rm", "--all", "--force", "--time", "0");
            // podman leaves links out of the temporary directory (the root file system's /etc/mtab): removing its
            // directories here spares JUnit's clean-up the warnings
            for (String d : List.of("storage", "run", "podman-tmp", "rootfs")) {
                Commands.run("rm", "-rf", dir.resolve(d).toString());
            }
        }
        for (String ns : servedNamespaces) {
            Commands.run("ip", "netns", "pids", ns).stdout().lines().forEach(pid -> Commands.run("kill", pid));
        }
        if (node != null) {
            node.close();
        }
    }

    private Result podman(String... args) {
        List<String> command = new ArrayList<>(podman);
        command.addAll(List.of(args));
        return Commands.run(command, env, new byte[0], Duration.ofSeconds(90));
    }

    /** {@code podman run} with the flags this machine needs (runc; rlimits podman cannot raise here). */
    private Result run(String... args) {
        List<String> command = new ArrayList<>(List.of("run", "--runtime", "runc", "--ulimit", "nofile=10000:10000",
                "--ulimit", "nproc=1024:1024"));
        command.addAll(List.of(args));
        return podman(command.toArray(String[]::new));
    }

    /** A Drover pod made through the API, plumbed by the agent, serving its name over HTTP; its address. */
    private String servingPod(String name, String network) throws IOException {
        Pod pod = node.registry.create(Pod.of(ObjectMeta.named("default", name), PodSpec.on("node-1", network)));
        String ns = new ManagedPodNamespaces(node.prefix, NetNs.named(node.nodeNs)).nameOf(pod);
        await(name + " is plumbed").atMost(WAIT).until(() -> Files.exists(Path.of("/run/netns", ns))
                && node.exec(ns, "ip", "-4", "-o", "addr", "show", "dev", "eth0").stdout().contains("inet "));
        Pod addressed = node.registry.get(Pod.class, "default", name).orElseThrow();
        Path www = Files.createDirectories(dir.resolve("www-" + name));
        Files.writeString(www.resolve("index.html"), name + "\n");
        node.exec(ns, "busybox", "httpd", "-p", "80", "-h", www.toString()).orFail("httpd in " + name);
        servedNamespaces.add(ns);
        return addressed.status().addresses().getFirst().ip();
    }

    private List<Pod> cniPods() {
        return node.registry.<Pod>list(ResourceKind.POD, null, null).items().stream()
                .filter(p -> CniAttachment.of(p).isPresent()).toList();
    }

    @Test
    void aContainerOnADroverNetworkGetsADroverAddressAndReachesOnlyItsNetwork() throws IOException {
        String blue = servingPod("web-blue", "blue");
        String red = servingPod("web-red", "red");

        Result r = run("--rm", "--network", "blue", "--rootfs", rootfs.toString(), "/bin/sh", "-c",
                "ip -4 -o addr show dev eth0; "
                        // (busybox's own wget -T crashes in this build: timeout bounds it instead)
                        + "timeout 3 wget -q -O - http://" + blue + "/ || echo BLUE-UNREACHABLE; "
                        + "timeout 3 wget -q -O - http://" + red + "/ || echo RED-UNREACHABLE");

        assertThat(r.exit()).as(r.stderr() + r.stdout()).isZero();
        assertThat(r.stdout()).containsPattern("inet 10\\.63\\.0\\.\\d+/24");
        assertThat(r.stdout()).contains("web-blue").doesNotContain("BLUE-UNREACHABLE");
        assertThat(r.stdout()).contains("RED-UNREACHABLE").doesNotContain("web-red");
        await("--rm released the attachment").atMost(WAIT).until(() -> cniPods().isEmpty()
                && node.controllers.ipam().handles("blue").size() == 1);
    }

    @Test
    void podmanRmReleasesTheAddress() {
        Result started = run("--detach", "--name", node.prefix + "sleeper", "--network", "blue", "--rootfs",
                rootfs.toString(), "/bin/sleep", "600");
        assertThat(started.exit()).as(started.stderr()).isZero();
        String id = started.stdout().strip();

        List<Pod> attached = cniPods();
        assertThat(attached).hasSize(1);
        Pod pod = attached.getFirst();
        assertThat(CniAttachment.of(pod).orElseThrow().containerId()).isEqualTo(id);
        assertThat(pod.status().phase()).isEqualTo(PodStatus.ALLOCATED);
        String ip = pod.status().addresses().getFirst().ip();
        assertThat(podman("exec", id, "ip", "-4", "-o", "addr", "show", "dev", "eth0").stdout()).contains(ip + "/24");
        assertThat(node.controllers.ipam().handles("blue")).hasSize(1);

        Result removed = podman("rm", "--force", "--time", "0", id);
        assertThat(removed.exit()).as(removed.stderr()).isZero();
        assertThat(cniPods()).isEmpty();
        assertThat(node.links(node.nodeNs)).noneMatch(l -> l.startsWith("dv"));
        await("IPAM has the address back").atMost(WAIT).until(() -> node.controllers.ipam().handles("blue").isEmpty());
    }
}
