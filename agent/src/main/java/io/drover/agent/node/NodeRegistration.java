package io.drover.agent.node;

import io.drover.api.ApiException;
import io.drover.api.ResourceRegistry;
import io.drover.model.meta.ObjectMeta;
import io.drover.model.node.Node;
import io.drover.model.node.Node.NodeSpec;
import io.drover.model.node.Node.NodeStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node as the API knows it: the agent registers its Node (with {@code spec.address}, through which other nodes
 * reach it) and keeps {@code status.ready} and {@code status.lastHeartbeat} fresh, so that the server and operators
 * can tell a live node from one whose agent stopped. Level-triggered like the rest of the agent: every heartbeat
 * writes the whole status, and a Node that someone deleted is registered again at the next one.
 *
 * <p>Closing it writes {@code ready: false} once (an orderly stop is not a crash, and should not look like one
 * minutes later), then stops.
 */
public final class NodeRegistration implements AutoCloseable {

    /** Why the node is not ready, or empty when it is: the agent's own view of its health. */
    @FunctionalInterface
    public interface Readiness extends Supplier<Optional<String>> {
        Readiness ALWAYS = Optional::empty;
    }

    /** @param heartbeat how often the status is written */
    public record Options(Duration heartbeat, Clock clock) {
        public static final Options DEFAULTS = new Options(Duration.ofSeconds(5), Clock.systemUTC());

        public Options {
            if (heartbeat.isZero() || heartbeat.isNegative()) {
                throw new IllegalArgumentException("the heartbeat interval must be positive: " + heartbeat);
            }
            Objects.requireNonNull(clock, "clock");
        }
    }

    private static final Logger log = LoggerFactory.getLogger(NodeRegistration.class);
    private static final int MAX_ATTEMPTS = 5;
    static final String STOPPED = "the agent was stopped";

    private final ResourceRegistry registry;
    private final String nodeName;
    private final String address;
    private final Readiness readiness;
    private volatile Supplier<java.util.List<String>> warnings = java.util.List::of;
    private final Options options;
    private final ScheduledExecutorService timer;
    private volatile boolean failing;

    private NodeRegistration(ResourceRegistry registry, String nodeName, String address, Readiness readiness,
            Options options) {
        this.registry = registry;
        this.nodeName = nodeName;
        this.address = address;
        this.readiness = readiness;
        this.options = options;
        this.timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("drover-node-heartbeat").daemon().factory());
    }

    /**
     * Registers the node and writes its first heartbeat before returning (so that a registry that refuses the node
     * fails the agent's start, with the reason), then beats every {@link Options#heartbeat()}.
     *
     * @param address the node's underlay IP address, or null when it has none to give (a single-host setup)
     */
    public static NodeRegistration start(ResourceRegistry registry, String nodeName, String address, Readiness readiness,
            Options options) {
        NodeRegistration r = new NodeRegistration(registry, nodeName, address, readiness, options);
        r.beat();
        long every = options.heartbeat().toMillis();
        r.timer.scheduleWithFixedDelay(r::beatQuietly, every, every, TimeUnit.MILLISECONDS);
        return r;
    }

    public static NodeRegistration start(ResourceRegistry registry, String nodeName, String address) {
        return start(registry, nodeName, address, Readiness.ALWAYS, Options.DEFAULTS);
    }

    public String nodeName() {
        return nodeName;
    }

    /**
     * What the node reports as working only in part at every heartbeat (peers it cannot reach, ...), so that an
     * operator sees it in {@code drover describe node} and not only in the agent's log.
     */
    public NodeRegistration reportingWarnings(Supplier<java.util.List<String>> source) {
        this.warnings = source;
        return this;
    }

    /** Writes the status now: the node as registered, with the current readiness and time. */
    public Node beat() {
        Optional<String> problem = readiness.get();
        return write(new NodeStatus(problem.isEmpty(), now(), problem.orElse(null), warnings.get()));
    }

    private void beatQuietly() {
        try {
            beat();
            if (failing) {
                log.info("node {}: heartbeats are written again", nodeName);
                failing = false;
            }
        } catch (RuntimeException e) {
            if (!failing) {
                log.warn("node {}: cannot write its heartbeat ({}); retrying every {} s", nodeName, e.getMessage(),
                        options.heartbeat().toSeconds());
                failing = true;
            }
        }
    }

    /** The node with {@code status}: registered (or its address corrected) first when needed. */
    private Node write(NodeStatus status) {
        ApiException last = null;
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            try {
                Node node = registered();
                return registry.replaceStatus(node.withStatus(status));
            } catch (ApiException e) {
                // Conflict: someone wrote the node between our read and write. Not found: deleted meanwhile.
                if (e.reason() != ApiException.Reason.CONFLICT && e.reason() != ApiException.Reason.NOT_FOUND) {
                    throw e;
                }
                last = e;
            }
        }
        throw last;
    }

    private Node registered() {
        Optional<Node> existing = registry.get(Node.class, null, nodeName);
        if (existing.isEmpty()) {
            try {
                Node created = registry.create(Node.of(ObjectMeta.named(nodeName), new NodeSpec(address)));
                log.info("node {} registered{}", nodeName, address == null ? "" : " with address " + address);
                return created;
            } catch (ApiException e) {
                if (e.reason() != ApiException.Reason.ALREADY_EXISTS) {
                    throw e;
                }
                return registry.get(Node.class, null, nodeName).orElseThrow(() -> e);
            }
        }
        Node node = existing.get();
        if (address != null && !address.equals(node.spec().address())) {
            log.info("node {}: address {} -> {}", nodeName, node.spec().address(), address);
            node = registry.replace(Node.of(node.metadata(), new NodeSpec(address)).withStatus(node.status()));
        }
        return node;
    }

    private String now() {
        return Instant.now(options.clock()).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    /** Stops the heartbeats and says the node is not ready because its agent stopped. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            write(new NodeStatus(false, now(), STOPPED));
        } catch (RuntimeException e) {
            log.warn("node {}: cannot say that its agent stopped ({})", nodeName, e.getMessage());
        }
    }
}
