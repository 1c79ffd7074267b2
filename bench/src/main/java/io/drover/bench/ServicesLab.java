package io.drover.bench;

import io.drover.agent.kernel.NetNs;
import io.drover.agent.kernel.linux.LinuxKernel;
import io.drover.model.net.IpAddresses;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The throwaway namespaces of the services benchmark: a node (the agent's table lives here), a client pod and the
 * endpoint pods, each pod a /32 address on the node's bridge with the node as its gateway (as Drover plumbs pods, so
 * that every packet, replies included, passes the node's IP layer and its conntrack). Every endpoint accepts TCP on
 * {@link #PORT} and closes at once (the client resets, so no TIME_WAIT piles up). All names start with a prefix of the
 * run's own; {@link #close} (also from a shutdown hook, on Ctrl-C or SIGTERM) deletes every namespace with that prefix,
 * and with them their interfaces, sockets and rules. Once closed it makes no namespace, so that a benchmark thread
 * still running while the hook cleans up cannot leave one behind.
 */
final class ServicesLab implements AutoCloseable {

    static final int PORT = 8080;
    static final String BRIDGE = "svcb0";
    static final String GATEWAY = "10.0.0.1";
    static final String CLIENT = "10.0.0.2";
    private static final Path NETNS_DIR = Path.of("/run/netns");

    private final LinuxKernel kernel;
    private final String prefix;
    private final List<String> namespaces = new ArrayList<>();
    private final List<ServerSocketChannel> servers = new ArrayList<>();
    private final Thread hook = new Thread(this::close);
    private boolean closed;

    ServicesLab(LinuxKernel kernel, String prefix) {
        this.kernel = kernel;
        this.prefix = prefix;
        Runtime.getRuntime().addShutdownHook(hook);
    }

    NetNs node() {
        return NetNs.named(prefix + "node");
    }

    NetNs client() {
        return NetNs.named(prefix + "client");
    }

    /** The node with its bridge, the client pod, and one pod per endpoint address, each serving {@link #PORT}. */
    void build(List<String> endpoints) {
        String node = namespace("node");
        run("ip", "netns", "exec", node, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
        run("ip", "-n", node, "link", "set", "lo", "up");
        run("ip", "-n", node, "link", "add", BRIDGE, "type", "bridge");
        run("ip", "-n", node, "address", "add", GATEWAY + "/8", "dev", BRIDGE);
        run("ip", "-n", node, "link", "set", BRIDGE, "up");
        pod("client", CLIENT);
        for (int i = 0; i < endpoints.size(); i++) {
            serve(pod("ep" + i, endpoints.get(i)), endpoints.get(i));
        }
    }

    private String pod(String name, String ip) {
        String ns = namespace(name);
        String veth = "vsb" + name;
        String node = prefix + "node";
        run("ip", "-n", node, "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns);
        run("ip", "-n", node, "link", "set", veth, "master", BRIDGE, "up");
        run("ip", "-n", ns, "link", "set", "lo", "up");
        run("ip", "-n", ns, "address", "add", ip + "/32", "dev", "eth0");
        run("ip", "-n", ns, "link", "set", "eth0", "up");
        run("ip", "-n", ns, "route", "add", GATEWAY, "dev", "eth0", "scope", "link");
        run("ip", "-n", ns, "route", "add", "default", "via", GATEWAY, "dev", "eth0");
        return ns;
    }

    private void serve(String ns, String ip) {
        ServerSocketChannel listener = kernel.inNamespace(NetNs.named(ns), () -> {
            ServerSocketChannel s = ServerSocketChannel.open();
            s.bind(new InetSocketAddress(IpAddresses.parse(ip), PORT), 4096);
            return s;
        });
        synchronized (this) {
            servers.add(listener);
        }
        Thread.ofPlatform().daemon().name("svc-bench-server-" + ip).start(() -> {
            while (listener.isOpen()) {
                // Closed at once, gently: a reset could reach the client before its connect returned.
                try (SocketChannel accepted = listener.accept()) {
                    accepted.shutdownOutput();
                } catch (IOException e) {
                    if (!listener.isOpen()) {
                        return;
                    }
                }
            }
        });
    }

    /** Sockets opened in the client pod's namespace (a socket keeps the namespace it was made in). */
    List<SocketChannel> clientSockets(int n) {
        return kernel.inNamespace(client(), () -> {
            List<SocketChannel> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(SocketChannel.open());
            }
            return out;
        });
    }

    private synchronized String namespace(String name) {
        if (closed) {
            throw new IllegalStateException("the services benchmark's lab is being removed: no namespace " + prefix + name);
        }
        String ns = prefix + name;
        run("ip", "netns", "add", ns);
        namespaces.add(ns);
        return ns;
    }

    /** Runs a command (bounded to 30 s); its failure is the benchmark's. */
    static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within 30 s");
            }
            String text = new String(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (" + p.exitValue() + "): " + text.strip());
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + String.join(" ", command), e);
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (ServerSocketChannel s : servers) {
            try {
                s.close();
            } catch (IOException ignored) {
                // the namespace goes next, and the socket with it
            }
        }
        // Every namespace of the run's prefix, also one whose creation was under way when this began.
        Set<String> doomed = new LinkedHashSet<>(namespaces.reversed());
        try (Stream<Path> listed = Files.isDirectory(NETNS_DIR) ? Files.list(NETNS_DIR) : Stream.empty()) {
            listed.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix)).forEach(doomed::add);
        } catch (IOException e) {
            System.err.println("could not list " + NETNS_DIR + ": " + e + "; removing the namespaces recorded");
        }
        for (String ns : doomed) {
            try {
                Process p = new ProcessBuilder("ip", "netns", "del", ns).redirectErrorStream(true).start();
                if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0 && Files.exists(NETNS_DIR.resolve(ns))) {
                    System.err.println("could not delete namespace " + ns + "; remove it with: ip netns del " + ns);
                }
            } catch (IOException | InterruptedException e) {
                System.err.println("could not delete namespace " + ns + ": " + e + "; remove it with: ip netns del " + ns);
            }
        }
        if (Thread.currentThread() != hook) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) {
                // shutting down already: the hook runs close, which finds nothing left to do
            }
        }
    }
}
