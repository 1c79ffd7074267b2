package io.drover.agent.kernel.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.drover.agent.kernel.KernelException;
import io.drover.agent.kernel.NetNs;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Named namespaces and running code inside them. */
class NamespacesE2ETest extends KernelE2E {

    @Test
    void createsListsAndDeletesNamespacesAsIproute2Does() {
        NetNs ns = spaces.create("a");
        String name = spaces.name("a");
        assertThat(ns).isEqualTo(NetNs.named(name));
        assertThat(kernel.namespaces()).contains(name);
        assertThat(Oracle.run("ip", "netns", "list").ok().out()).contains(name);
        // A new namespace has its loopback only, and down.
        JsonNode links = Oracle.ip(name, "link");
        assertThat(links).hasSize(1);
        assertThat(links.get(0).get("ifname").asString()).isEqualTo("lo");
        assertThat(links.get(0).get("flags").toString()).doesNotContain("\"UP\"");

        kernel.deleteNamespace(name);
        assertThat(kernel.namespaces()).doesNotContain(name);
        assertThat(Oracle.run("ip", "netns", "list").ok().out()).doesNotContain(name);
        assertThat(Path.of("/run/netns", name)).doesNotExist();
    }

    @Test
    void aNamespaceMadeByIproute2IsUsable() {
        String name = spaces.name("ipmade");
        Oracle.run("ip", "netns", "add", name).ok();
        assertThat(kernel.namespaces()).contains(name);
        assertThat(kernel.links(NetNs.named(name))).extracting(l -> l.name()).containsExactly("lo");
        kernel.deleteNamespace(name);
        assertThat(Oracle.run("ip", "netns", "list").ok().out()).doesNotContain(name);
    }

    @Test
    void aTakenNameFailsWithEexistAndLeavesTheNamespaceAlone() {
        NetNs ns = spaces.create("dup");
        kernel.createBridge(ns, "br0", 1500, null);
        assertThatThrownBy(() -> kernel.createNamespace(spaces.name("dup")))
                .isInstanceOfSatisfying(KernelException.class, e -> assertThat(e.errno()).isEqualTo(KernelException.EEXIST))
                .hasMessageContaining(spaces.name("dup")).hasMessageContaining("File exists (EEXIST)");
        assertThat(kernel.links(ns)).extracting(l -> l.name()).contains("br0");
    }

    @Test
    void deletingAMissingNamespaceFailsWithEnoent() {
        assertThatThrownBy(() -> kernel.deleteNamespace(spaces.name("never")))
                .isInstanceOfSatisfying(KernelException.class, e -> assertThat(e.errno()).isEqualTo(KernelException.ENOENT))
                .hasMessageContaining("delete namespace " + spaces.name("never"));
        assertThatThrownBy(() -> kernel.links(NetNs.named(spaces.name("never"))))
                .isInstanceOfSatisfying(KernelException.class, e -> assertThat(e.errno()).isEqualTo(KernelException.ENOENT));
    }

    @Test
    void aServerSocketOpenedInANamespaceServesOnlyThere() throws Exception {
        NetNs ns = spaces.create("srv");
        kernel.setUp(ns, "lo", true);
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort(); // free in the root namespace, so nothing there answers on it
        }
        try (ServerSocket server = kernel.inNamespace(ns, () -> new ServerSocket(port, 50, InetAddress.getLoopbackAddress()))) {
            Thread acceptor = Thread.ofVirtual().start(() -> {
                try (Socket s = server.accept()) {
                    s.getOutputStream().write('!');
                } catch (IOException ignored) {
                    // closed by the test
                }
            });
            // Inside: a client socket made in the namespace connects.
            int got = kernel.inNamespace(ns, () -> {
                try (Socket client = new Socket()) {
                    client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
                    return client.getInputStream().read();
                }
            });
            assertThat(got).isEqualTo('!');
            // Outside (this thread is in the root namespace): nobody listens there.
            assertThatThrownBy(() -> {
                try (Socket client = new Socket()) {
                    client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
                }
            }).isInstanceOf(ConnectException.class);
            acceptor.join(2000);
        }
    }

    @Test
    void tasksRunOnOneDedicatedPlatformThreadPerNamespace() throws Exception {
        NetNs a = spaces.create("ta");
        NetNs b = spaces.create("tb");
        Object callerNs = NamespaceThread.identityOf(NamespaceThread.THREAD_NETNS);
        Thread inA = kernel.inNamespace(a, Thread::currentThread);
        assertThat(inA.isVirtual()).isFalse();
        assertThat(inA).isNotSameAs(Thread.currentThread());
        assertThat(kernel.inNamespace(a, Thread::currentThread)).isSameAs(inA); // reused
        assertThat(kernel.inNamespace(b, Thread::currentThread)).isNotSameAs(inA);
        // The thread is in the namespace; the caller is not, before or after.
        assertThat(kernel.inNamespace(a, () -> NamespaceThread.identityOf(NamespaceThread.THREAD_NETNS)))
                .isEqualTo(NamespaceThread.identityOf(a.path()));
        assertThat(NamespaceThread.identityOf(NamespaceThread.THREAD_NETNS)).isEqualTo(callerNs);
        // A nested call for the same namespace runs in place rather than deadlocking behind itself.
        assertThat(kernel.inNamespace(a, () -> kernel.inNamespace(a, Thread::currentThread))).isSameAs(inA);
        // Deleting the namespace ends its thread.
        kernel.deleteNamespace(spaces.name("ta"));
        assertThat(inA.isAlive()).isFalse();
    }

    @Test
    void namespaceThreadsWaitAtHomeBetweenTasks() throws Exception {
        NetNs ns = spaces.create("home");
        // The native thread id of the namespace thread, from /proc/thread-self -> PID/task/TID.
        String tid = kernel.inNamespace(ns, () -> Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString());
        Path threadNs = Path.of("/proc/self/task", tid, "ns/net");
        Object home = NamespaceThread.identityOf(Path.of("/proc/self/ns/net"));
        // Inside while it runs a task; back in the process's namespace before the caller hears of the result, so
        // that no thread it might start while waking callers (a virtual thread's carrier) is born in the namespace.
        assertThat(kernel.inNamespace(ns, () -> NamespaceThread.identityOf(threadNs))).isEqualTo(NamespaceThread.identityOf(ns.path()));
        assertThat(NamespaceThread.identityOf(threadNs)).isEqualTo(home);
        kernel.links(ns);
        assertThat(NamespaceThread.identityOf(threadNs)).isEqualTo(home);
    }

    @Test
    void theProcesssOwnNamespaceIsReadable() {
        // Read-only: the root namespace is never changed by these tests.
        List<String> ours = kernel.links(NetNs.SELF).stream().map(l -> l.name()).toList();
        List<String> theirs = new ArrayList<>();
        Oracle.ip(null, "link").forEach(l -> theirs.add(l.get("ifname").asString()));
        assertThat(ours).containsExactlyInAnyOrderElementsOf(theirs);
    }

    @Test
    void virtualThreadCallersNeverEnterANamespace() throws Exception {
        NetNs ns = spaces.create("virt");
        Object root = NamespaceThread.identityOf(Path.of("/proc/self/ns/net"));
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Object>> carriers = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                carriers.add(executor.submit(() -> {
                    kernel.links(ns);
                    return NamespaceThread.identityOf(NamespaceThread.THREAD_NETNS);
                }));
            }
            for (Future<Object> f : carriers) {
                assertThat(f.get()).isEqualTo(root);
            }
        }
    }

    @Test
    void idleThreadsEnd() {
        try (LinuxKernel quick = new LinuxKernel(Duration.ofMillis(100))) {
            NetNs ns = spaces.create("idle");
            Thread t = quick.inNamespace(ns, Thread::currentThread);
            await().atMost(Duration.ofSeconds(5)).until(() -> !t.isAlive());
            // And a new one comes on demand.
            assertThat(quick.links(ns)).hasSize(1);
        }
    }

    @Test
    void aNamespaceRecreatedUnderTheSameNameGetsAFreshThread() {
        NetNs ns = spaces.create("again");
        String name = spaces.name("again");
        Thread first = kernel.inNamespace(ns, Thread::currentThread);
        // Replaced behind the kernel's back, as an operator's `ip netns` would.
        Oracle.run("ip", "netns", "del", name).ok();
        Oracle.run("ip", "netns", "add", name).ok();
        kernel.createBridge(ns, "br-new", 1500, null);
        assertThat(Oracle.ipText(name, "link", "show")).contains("br-new");
        assertThat(kernel.inNamespace(ns, Thread::currentThread)).isNotSameAs(first);
        await().atMost(Duration.ofSeconds(5)).until(() -> !first.isAlive());
    }

    @Test
    void namespacesWorkInParallel() throws Exception {
        List<NetNs> all = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            all.add(spaces.create("par" + i));
        }
        try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                NetNs ns = all.get(i % all.size());
                String name = "br" + i;
                done.add(executor.submit(() -> kernel.createBridge(ns, name, 1500, "drover:" + name)));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        for (int i = 0; i < all.size(); i++) {
            assertThat(kernel.links(all.get(i))).hasSize(11); // lo + 10 bridges
        }
    }

    @Test
    void deletingANamespaceTakesItsInterfacesAlong() {
        NetNs node = spaces.create("node");
        NetNs pod = spaces.create("pod");
        kernel.createVethPair(node, "dv1", null, pod, "eth0", 1500);
        kernel.links(pod); // the pod's thread now holds the pod's namespace too
        kernel.deleteNamespace(spaces.name("pod"));
        // The peer goes with its namespace, and a veth dies as a pair. The kernel cleans namespaces up
        // asynchronously, hence the wait.
        await().atMost(Duration.ofSeconds(10)).until(() -> kernel.links(node).stream().noneMatch(l -> l.name().equals("dv1")));
    }

    @Test
    void taskExceptionsReachTheCaller() {
        NetNs ns = spaces.create("exc");
        IllegalStateException boom = new IllegalStateException("boom");
        assertThatThrownBy(() -> kernel.inNamespace(ns, () -> {
            throw boom;
        })).isSameAs(boom);
        assertThatThrownBy(() -> kernel.inNamespace(ns, () -> {
            throw new IOException("checked");
        })).isInstanceOf(KernelException.class).hasCauseInstanceOf(IOException.class).hasMessageContaining(ns.toString());
        // The thread survives its tasks' failures.
        assertThat(kernel.links(ns)).hasSize(1);
    }

    @Test
    void enteringSomethingThatIsNotANamespaceFails() throws Exception {
        Path plain = Files.createTempFile("drvt-not-a-netns", "");
        try {
            AtomicReference<Throwable> error = new AtomicReference<>();
            try {
                kernel.links(new NetNs(plain));
            } catch (KernelException e) {
                error.set(e);
            }
            assertThat(error.get()).isInstanceOfSatisfying(KernelException.class,
                    e -> assertThat(e.errno()).isEqualTo(22 /* EINVAL */));
            assertThat(error.get().getMessage()).contains("setns").contains(plain.toString());
        } finally {
            Files.delete(plain);
        }
    }
}
