package io.drover.lab.probe;

import io.drover.agent.kernel.Kernel;
import io.drover.lab.net.Protocol;
import io.drover.lab.net.SctpSupport;
import io.drover.lab.probe.ProbeResult.Outcome;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Connects from every pod to every other pod's address on each port and protocol, in parallel, and turns the
 * outcomes into one {@link ReachabilityMatrix} per protocol and port. A probe counts as connected only when the
 * server answers with its own {@code <namespace>/<pod>} text (what Drover's echo server sends), so traffic that
 * reaches the wrong pod is not mistaken for reachability.
 *
 * <p>Each client socket is created inside the client pod's namespace (through {@link Kernel#inNamespace}), which
 * is where its traffic then leaves from; the connection itself runs on a virtual thread. At most
 * {@code parallelism} probes run at once, and none starts after the total time limit.
 */
public final class Prober {

    private final ProbeConnector connector;

    public Prober(Kernel kernel) {
        this(new ProbeConnector(kernel));
    }

    Prober(ProbeConnector connector) {
        this.connector = connector;
    }

    /** One probe to run. */
    private record Task(Protocol protocol, int port, ProbeTarget client, ProbeTarget server) {}

    public ProbeReport probe(List<ProbeTarget> targets, ProbeOptions options) {
        long started = System.nanoTime();
        List<ProbeTarget> pods = select(targets, options);

        List<Protocol> protocols = new ArrayList<>();
        List<ProbeReport.Skipped> skipped = new ArrayList<>();
        for (Protocol protocol : options.protocols()) {
            Optional<String> missing = protocol == Protocol.SCTP ? SctpSupport.unavailableReason() : Optional.empty();
            if (missing.isPresent()) {
                skipped.add(new ProbeReport.Skipped(protocol, missing.get()));
            } else {
                protocols.add(protocol);
            }
        }

        List<Task> tasks = new ArrayList<>();
        for (Protocol protocol : protocols) {
            for (int port : options.ports()) {
                for (ProbeTarget client : pods) {
                    for (ProbeTarget server : pods) {
                        if (!client.key().equals(server.key())) {
                            tasks.add(new Task(protocol, port, client, server));
                        }
                    }
                }
            }
        }

        Map<Task, ProbeResult> results = run(tasks, options, started);

        List<String> keys = pods.stream().map(ProbeTarget::key).toList();
        Map<String, ProbeResult> byCell = new ConcurrentHashMap<>();
        results.values().forEach(r -> byCell.put(cellKey(r.protocol(), r.port(), r.client(), r.server()), r));
        List<ProbeReport.Matrix> matrices = new ArrayList<>();
        for (Protocol protocol : protocols) {
            for (int port : options.ports()) {
                ReachabilityMatrix matrix = ReachabilityMatrix.of(keys,
                        (c, s) -> byCell.get(cellKey(protocol, port, c, s)).connected());
                List<ProbeResult> cellResults = tasks.stream()
                        .filter(t -> t.protocol() == protocol && t.port() == port).map(results::get).toList();
                matrices.add(new ProbeReport.Matrix(protocol, port, matrix, cellResults));
            }
        }
        return new ProbeReport(keys, options.ports(), protocols, matrices, skipped,
                Duration.ofNanos(System.nanoTime() - started));
    }

    /** The pods of the namespaces asked for, sorted by namespace and then name, as the README's matrices are. */
    private static List<ProbeTarget> select(List<ProbeTarget> targets, ProbeOptions options) {
        Set<String> seen = new HashSet<>();
        for (ProbeTarget t : targets) {
            if (!seen.add(t.key())) {
                throw new IllegalArgumentException("pod " + t.key() + " is listed twice");
            }
        }
        return targets.stream()
                .filter(t -> options.namespaces().isEmpty() || options.namespaces().contains(t.namespace()))
                .sorted(Comparator.comparing(ProbeTarget::namespace).thenComparing(ProbeTarget::name))
                .toList();
    }

    private Map<Task, ProbeResult> run(List<Task> tasks, ProbeOptions options, long started) {
        long deadline = started + options.totalTimeout().toNanos();
        Semaphore slots = new Semaphore(options.parallelism());
        Map<Task, ProbeResult> results = new ConcurrentHashMap<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Task task : tasks) {
                executor.submit(() -> results.put(task, runOne(task, options, slots, deadline)));
            }
        }
        // Keep the task order stable for the report.
        Map<Task, ProbeResult> ordered = new LinkedHashMap<>();
        tasks.forEach(t -> ordered.put(t, results.get(t)));
        return ordered;
    }

    private ProbeResult runOne(Task task, ProbeOptions options, Semaphore slots, long deadline) {
        try {
            long wait = deadline - System.nanoTime();
            if (wait <= 0 || !slots.tryAcquire(wait, TimeUnit.NANOSECONDS)) {
                return result(task, Outcome.NOT_RUN, "the probe run's time limit was reached first");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return result(task, Outcome.NOT_RUN, "interrupted");
        }
        try {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return result(task, Outcome.NOT_RUN, "the probe run's time limit was reached first");
            }
            Duration timeout = Duration.ofNanos(Math.min(options.timeout().toNanos(), left));
            Optional<InetAddress> address = task.server().address(options.family());
            if (address.isEmpty()) {
                return result(task, Outcome.NO_ADDRESS, task.server().key() + " has no "
                        + (options.family() == null ? "" : options.family() + " ") + "address");
            }
            ProbeConnector.Answer answer = connector.connect(
                    task.client().netns(), task.protocol(), address.get(), task.port(), timeout);
            if (answer.outcome() == Outcome.CONNECTED && !answer.text().equals(task.server().key())) {
                return result(task, Outcome.WRONG_ANSWER, "answered '" + answer.text() + "' instead of '"
                        + task.server().key() + "'");
            }
            return result(task, answer.outcome(), answer.outcome() == Outcome.CONNECTED ? "" : answer.text());
        } catch (RuntimeException e) {
            return result(task, Outcome.FAILED, String.valueOf(e.getMessage()));
        } finally {
            slots.release();
        }
    }

    private static ProbeResult result(Task task, Outcome outcome, String detail) {
        return new ProbeResult(task.client().key(), task.server().key(), task.protocol(), task.port(), outcome, detail);
    }

    private static String cellKey(Protocol protocol, int port, String client, String server) {
        return protocol + "/" + port + "/" + client + "/" + server;
    }
}
