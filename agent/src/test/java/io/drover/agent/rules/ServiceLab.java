package io.drover.agent.rules;

import static io.drover.agent.rules.NetnsSandbox.must;
import static io.drover.agent.rules.RulesFixtures.network;
import static org.assertj.core.api.Assertions.assertThat;

import io.drover.agent.kernel.NetNs;
import io.drover.agent.kernel.linux.LinuxKernel;
import io.drover.model.net.IpAddresses;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One node of kube-proxy's test setup, built in fresh namespaces for the service tests: a node holding table
 * {@code inet drover} (192.168.0.2, and 192.168.1.2 as a secondary address, on its link to a fabric); pods on the
 * node's bridge {@code dr-pods} (network 10.0.0.0/8): clients 10.0.0.2 and 10.180.0.2, endpoints 10.180.0.1 and
 * 10.180.2.1; outside clients 203.0.113.2 and 203.0.113.130 in the fabric; the node itself as a client. Nothing
 * links the lab to the namespace the tests run in.
 *
 * <p>Each pod has a /32 address and the node as its gateway, so that every pod-to-pod packet is routed through the
 * node (as between nodes), and its bridge port in hairpin mode, as the agent sets it. Endpoint servers (TCP 80,
 * 8443, 5353; UDP 53) answer with the address they were reached at and the client address they see; the node
 * answers on TCP 3001 itself, which is what traffic the proxy leaves alone finds; the fabric answers for the service
 * range, which only traffic the table fails to stop reaches.
 */
final class ServiceLab implements AutoCloseable {

    static final String NODE_IP = "192.168.0.2";
    static final String BRIDGE_IP = "10.0.0.1";
    static final NodeRules BASE = new NodeRules(List.of(network("pods", false, "10.0.0.0/8")), List.of());
    private static final int CONNECT_TIMEOUT_MS = 300;
    private static final int ANSWER_TIMEOUT_MS = 1000;

    /** What a connection attempt ends with. */
    sealed interface Outcome permits Answered, Refused, TimedOut {}

    /** @param server the address and port the server was reached at; @param client the client address it saw */
    record Answered(String server, String client) implements Outcome {}

    record Refused(String why) implements Outcome {}

    record TimedOut() implements Outcome {}

    private final NetnsSandbox sandbox = new NetnsSandbox();
    private final LinuxKernel kernel = new LinuxKernel();
    private final String node;
    /** The namespace each client address sends from. */
    private final Map<String, String> clients = new HashMap<>();
    private final List<Closeable> servers = new ArrayList<>();
    private NodeRules applied;

    ServiceLab() {
        try {
            node = sandbox.namespace("sv-node");
            build();
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    private void build() {
        String fabric = sandbox.namespace("sv-fabric");
        must(sandbox.exec(node, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1"));
        must(sandbox.exec(node, "ip", "link", "add", "dr-pods", "type", "bridge"));
        must(sandbox.exec(node, "ip", "address", "add", BRIDGE_IP + "/8", "dev", "dr-pods"));
        must(sandbox.exec(node, "ip", "link", "set", "dr-pods", "up"));
        must(sandbox.exec(node, "ip", "link", "add", "uplink", "type", "veth", "peer", "name", "downlink", "netns", fabric));
        must(sandbox.exec(node, "ip", "address", "add", NODE_IP + "/24", "dev", "uplink"));
        must(sandbox.exec(node, "ip", "address", "add", "192.168.1.2/24", "dev", "uplink"));
        must(sandbox.exec(node, "ip", "link", "set", "uplink", "up"));
        must(sandbox.exec(node, "ip", "route", "add", "default", "via", "192.168.0.1"));
        must(sandbox.exec(fabric, "ip", "address", "add", "192.168.0.1/24", "dev", "downlink"));
        must(sandbox.exec(fabric, "ip", "address", "add", "192.168.1.1/24", "dev", "downlink"));
        must(sandbox.exec(fabric, "ip", "link", "set", "downlink", "up"));
        // The outside clients are addresses of the fabric itself (no dummy interfaces needed).
        must(sandbox.exec(fabric, "ip", "address", "add", "203.0.113.2/32", "dev", "lo"));
        must(sandbox.exec(fabric, "ip", "address", "add", "203.0.113.130/32", "dev", "lo"));
        // External and load-balancer IPs lead to the node, as a router or MetalLB would make them.
        for (String prefix : List.of("1.2.3.4/32", "5.6.7.8/32", "192.168.99.0/24", "10.0.0.0/8")) {
            must(sandbox.exec(fabric, "ip", "route", "add", prefix, "via", NODE_IP));
        }
        // Traffic to the service range that the node lets through (its default route leads to the fabric) is answered
        // by the fabric: a DROP or REJECT the table misses shows as an answer, not as a look-alike timeout or refusal.
        must(sandbox.exec(fabric, "ip", "route", "add", "local", "172.30.0.0/16", "dev", "lo"));
        serveTcp(fabric, "0.0.0.0", 80);
        serveTcp(fabric, "0.0.0.0", 443);
        serveUdp(fabric, "172.30.0.42", 80);
        clients.put("203.0.113.2", fabric);
        clients.put("203.0.113.130", fabric);
        clients.put(NODE_IP, node);
        pod("client", "10.0.0.2");
        pod("client2", "10.180.0.2");
        for (String ip : List.of(ProxyFlowScenarios.REMOTE, ProxyFlowScenarios.LOCAL)) {
            String ns = pod(ip.equals(ProxyFlowScenarios.REMOTE) ? "ep1" : "ep2", ip);
            for (int port : List.of(80, 8443, 5353)) {
                serveTcp(ns, ip, port);
            }
            serveUdp(ns, ip, 53);
        }
        serveTcp(node, "0.0.0.0", 3001);
        apply(BASE.nftScript());
        applied = BASE;
    }

    /**
     * Programs these rules the agent's way, as the changes since the rules programmed last, and checks that the
     * kernel then holds exactly what a whole write would give.
     */
    void program(NodeRules wanted) {
        apply(wanted.updateScript(applied));
        applied = wanted;
        assertThat(wanted.isProgrammed(ProgrammedTable.parse(sandbox.listDrover(node))))
                .as("after the incremental update the table is what a whole write gives").isTrue();
    }

    /** The rules the kernel holds now. */
    NodeRules applied() {
        return applied;
    }

    Outcome attempt(String source, String address, int port, String protocol) {
        String ns = clients.get(source);
        assertThat(ns).as("a client with address %s in the lab", source).isNotNull();
        InetSocketAddress from = new InetSocketAddress(IpAddresses.parse(source), 0);
        InetSocketAddress to = new InetSocketAddress(IpAddresses.parse(address), port);
        return protocol.equals("UDP") ? attemptUdp(ns, from, to) : attemptTcp(ns, from, to);
    }

    private Outcome attemptTcp(String ns, InetSocketAddress from, InetSocketAddress to) {
        try {
            SocketChannel channel = kernel.inNamespace(NetNs.named(ns), SocketChannel::open);
            try (Socket socket = channel.socket()) {
                socket.bind(from);
                socket.connect(to, CONNECT_TIMEOUT_MS);
                socket.setSoTimeout(ANSWER_TIMEOUT_MS);
                String line = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))
                        .readLine();
                return answer(line);
            }
        } catch (SocketTimeoutException e) {
            return new TimedOut();
        } catch (IOException e) {
            return new Refused(String.valueOf(e.getMessage()));
        }
    }

    /** A UDP datagram from a fixed source port, so that every one belongs to the same conntrack entry. */
    Outcome udpFrom(String source, int sourcePort, String address, int port) {
        String ns = clients.get(source);
        assertThat(ns).as("a client with address %s in the lab", source).isNotNull();
        return attemptUdp(ns, new InetSocketAddress(IpAddresses.parse(source), sourcePort),
                new InetSocketAddress(IpAddresses.parse(address), port));
    }

    /** Deletes the node's UDP conntrack entries of a flow, as the agent does when its endpoint goes. */
    void forget(ServiceRules.UdpFlow flow) {
        kernel.deleteUdpConntrack(NetNs.named(node), flow.frontend(), flow.port(), flow.endpoint());
    }

    private Outcome attemptUdp(String ns, InetSocketAddress from, InetSocketAddress to) {
        try {
            DatagramChannel channel = kernel.inNamespace(NetNs.named(ns), DatagramChannel::open);
            try (DatagramSocket socket = channel.socket()) {
                socket.bind(from);
                socket.connect(to);
                socket.setSoTimeout(ANSWER_TIMEOUT_MS);
                byte[] hello = "hello".getBytes(StandardCharsets.UTF_8);
                socket.send(new DatagramPacket(hello, hello.length));
                byte[] buffer = new byte[200];
                DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
                socket.receive(reply);
                return answer(new String(buffer, 0, reply.getLength(), StandardCharsets.UTF_8));
            }
        } catch (SocketTimeoutException e) {
            return new TimedOut();
        } catch (IOException e) {
            return new Refused(String.valueOf(e.getMessage()));
        }
    }

    private static Outcome answer(String line) {
        if (line == null) {
            return new Refused("closed without an answer");
        }
        String[] parts = line.trim().split(" ");
        return new Answered(parts[0], parts.length > 1 ? parts[1] : "");
    }

    /** A pod on the node's bridge: a /32 address, the node as its gateway. */
    private String pod(String name, String ip) {
        String ns = sandbox.namespace("sv-" + name);
        String veth = "vsv" + name;
        must(sandbox.exec(node, "ip", "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns));
        must(sandbox.exec(node, "ip", "link", "set", veth, "master", "dr-pods", "up"));
        // As the agent does for every pod port: with bridge netfilter, a packet DNATed back to the pod that sent it
        // leaves through the port it came in by, which a bridge allows only in hairpin mode.
        kernel.setHairpin(NetNs.named(node), veth, true);
        must(sandbox.exec(ns, "ip", "address", "add", ip + "/32", "dev", "eth0"));
        must(sandbox.exec(ns, "ip", "link", "set", "eth0", "up"));
        must(sandbox.exec(ns, "ip", "route", "add", BRIDGE_IP, "dev", "eth0", "scope", "link"));
        must(sandbox.exec(ns, "ip", "route", "add", "default", "via", BRIDGE_IP, "dev", "eth0"));
        clients.put(ip, ns);
        return ns;
    }

    /** Answers each connection with the address it was reached at and the client's address, then closes. */
    private void serveTcp(String ns, String address, int port) {
        ServerSocketChannel listener = kernel.inNamespace(NetNs.named(ns), () -> {
            ServerSocketChannel s = ServerSocketChannel.open();
            s.bind(new InetSocketAddress(IpAddresses.parse(address), port), 64);
            return s;
        });
        servers.add(listener);
        Thread.ofVirtual().start(() -> {
            while (listener.isOpen()) {
                try (SocketChannel accepted = listener.accept()) {
                    InetSocketAddress local = (InetSocketAddress) accepted.getLocalAddress();
                    InetSocketAddress remote = (InetSocketAddress) accepted.getRemoteAddress();
                    String line = IpAddresses.format(local.getAddress()) + ":" + local.getPort() + " "
                            + IpAddresses.format(remote.getAddress()) + "\n";
                    accepted.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
                } catch (IOException e) {
                    if (!listener.isOpen()) {
                        return;
                    }
                }
            }
        });
    }

    private void serveUdp(String ns, String address, int port) {
        DatagramChannel socket = kernel.inNamespace(NetNs.named(ns), () -> {
            DatagramChannel s = DatagramChannel.open();
            s.bind(new InetSocketAddress(IpAddresses.parse(address), port));
            return s;
        });
        servers.add(socket);
        Thread.ofVirtual().start(() -> {
            ByteBuffer buffer = ByteBuffer.allocate(200);
            while (socket.isOpen()) {
                try {
                    buffer.clear();
                    InetSocketAddress client = (InetSocketAddress) socket.receive(buffer);
                    String line = address + ":" + port + " " + IpAddresses.format(client.getAddress());
                    socket.send(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)), client);
                } catch (IOException e) {
                    if (!socket.isOpen()) {
                        return;
                    }
                }
            }
        });
    }

    private void apply(String script) {
        if (script.isEmpty()) {
            return;
        }
        NetnsSandbox.Result result = sandbox.nft(node, script);
        assertThat(result.ok()).as("nft -f failed: %s\n%s", result.stderr(), script).isTrue();
    }

    @Override
    public void close() {
        for (Closeable server : servers) {
            try {
                server.close();
            } catch (IOException ignored) {
                // a listener that will not close goes with its namespace
            }
        }
        kernel.close();
        sandbox.close();
    }
}
