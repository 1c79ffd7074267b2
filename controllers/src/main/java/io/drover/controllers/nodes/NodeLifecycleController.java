package io.drover.controllers.nodes;

import io.drover.api.ApiException;
import io.drover.api.ResourceRegistry;
import io.drover.controllers.support.PeriodicTask;
import io.drover.controllers.support.ResourceInformer;
import io.drover.model.ResourceKind;
import io.drover.model.node.Node;
import io.drover.model.node.Node.NodeStatus;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Marks a node NotReady when its agent has gone silent: a Ready node whose {@code status.lastHeartbeat} has not
 * changed for longer than the grace period gets {@code status.ready: false} and the message "no heartbeat from the
 * agent since T (grace G)". Nodes that beat are left alone, and the agent's next heartbeat makes the node Ready
 * again (agents write {@code status.ready} themselves). Leader-only, like every controller.
 *
 * <p>Silence is measured on this server's own clock, from when it last saw the heartbeat value change, as
 * Kubernetes' node lifecycle controller does: the agents' clocks may be off, and a leader that just took over (or a
 * store that was unreachable for a while) must not declare every node dead at once. A node without any heartbeat
 * (its status is written by someone other than an agent) is not judged. Writes are compare-and-swap on the node's
 * resourceVersion, so a heartbeat that lands meanwhile wins and the node is looked at again next round.
 */
public final class NodeLifecycleController implements AutoCloseable {

    /**
     * @param grace         how long a heartbeat may stay unchanged before the node is NotReady (agents beat every
     *                      5 s by default)
     * @param checkInterval how often nodes are looked at (a silent node is marked at most this late)
     */
    public record Options(Duration grace, Duration checkInterval) {
        public static final Options DEFAULTS = new Options(Duration.ofSeconds(20), Duration.ofSeconds(1));

        public Options {
            Objects.requireNonNull(grace, "grace");
            Objects.requireNonNull(checkInterval, "checkInterval");
            if (grace.toMillis() <= 0 || checkInterval.toMillis() <= 0) {
                throw new IllegalArgumentException("the node grace period and check interval must be positive: "
                        + grace + ", " + checkInterval);
            }
        }
    }

    private static final Logger log = LoggerFactory.getLogger(NodeLifecycleController.class);

    /** A heartbeat value and when (this server's monotonic clock) it was first seen. */
    private record Seen(String heartbeat, long sinceNanos) {}

    private final ResourceRegistry registry;
    private final Options options;
    private final LongSupplier nanoClock;
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();
    private final ResourceInformer<Node> nodes;
    private final PeriodicTask checks;

    public NodeLifecycleController(ResourceRegistry registry, Options options) {
        this(registry, options, System::nanoTime);
    }

    /** With {@code nanoClock} as the monotonic clock (tests). */
    NodeLifecycleController(ResourceRegistry registry, Options options, LongSupplier nanoClock) {
        this.registry = registry;
        this.options = options;
        this.nanoClock = nanoClock;
        this.nodes = new ResourceInformer<>(registry, ResourceKind.NODE, Node::name, new Events());
        this.checks = new PeriodicTask("node-lifecycle", options.checkInterval(), this::checkQuietly);
    }

    /** Lists the nodes (noting their heartbeats), then checks them every {@link Options#checkInterval()}. */
    public void start() {
        nodes.start();
        checks.start();
    }

    private final class Events implements ResourceInformer.Handler<Node> {
        @Override
        public void onAdd(Node node) {
            observe(node);
        }

        @Override
        public void onUpdate(Node previous, Node node) {
            observe(node);
        }

        @Override
        public void onDelete(Node node) {
            seen.remove(node.name());
        }
    }

    private void observe(Node node) {
        String heartbeat = node.status() == null ? null : node.status().lastHeartbeat();
        seen.compute(node.name(), (name, old) -> old != null && Objects.equals(old.heartbeat(), heartbeat)
                ? old : new Seen(heartbeat, nanoClock.getAsLong()));
    }

    /** The heartbeat of a node as this controller last saw it (tests wait for the informer with it). */
    java.util.Optional<String> heartbeatSeen(String node) {
        return java.util.Optional.ofNullable(seen.get(node)).map(Seen::heartbeat);
    }

    private void checkQuietly() {
        try {
            check();
        } catch (RuntimeException e) {
            log.warn("checking node heartbeats failed (trying again in {} ms): {}", options.checkInterval().toMillis(),
                    e.getMessage());
        }
    }

    /** One round: every Ready node silent for longer than the grace period is marked NotReady. Returns how many. */
    int check() {
        int marked = 0;
        long now = nanoClock.getAsLong();
        for (Node node : nodes.items()) {
            NodeStatus status = node.status();
            if (status == null || !Boolean.TRUE.equals(status.ready()) || status.lastHeartbeat() == null) {
                continue;
            }
            Seen last = seen.get(node.name());
            if (last == null || !Objects.equals(last.heartbeat(), status.lastHeartbeat())
                    || now - last.sinceNanos() <= options.grace().toNanos()) {
                continue;
            }
            if (markNotReady(node)) {
                marked++;
            }
        }
        return marked;
    }

    private boolean markNotReady(Node node) {
        String message = "no heartbeat from the agent since " + node.status().lastHeartbeat() + " (grace "
                + format(options.grace()) + ")";
        try {
            registry.replaceStatus(node.withStatus(notReady(node.status(), message)));
            log.warn("node {} is NotReady: {}", node.name(), message);
            return true;
        } catch (ApiException e) {
            if (e.reason() == ApiException.Reason.CONFLICT || e.reason() == ApiException.Reason.NOT_FOUND) {
                return false; // a heartbeat (or a delete) got there first: looked at again next round
            }
            throw e;
        }
    }

    /** {@code status} with {@code ready: false} and {@code message}; the heartbeat and the agent's warnings as they were. */
    static NodeStatus notReady(NodeStatus status, String message) {
        return new NodeStatus(false, status.lastHeartbeat(), message, status.warnings());
    }

    private static String format(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    @Override
    public void close() {
        checks.close();
        nodes.close();
    }
}
