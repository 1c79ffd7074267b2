package io.drover.lab.conformance;

import io.drover.lab.net.Protocol;
import io.drover.lab.probe.ProbeOptions;
import io.drover.lab.probe.ProbeReport;
import io.drover.lab.probe.ProbeResult;
import io.drover.lab.probe.ProbeTarget;
import io.drover.lab.probe.Prober;
import io.drover.policy.NamespacedName;
import io.drover.policy.conformance.Probe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Probes a case's matrices with the lab's {@link Prober}: real connections from inside the client pods' namespaces
 * to the server pods' addresses, counted only when the pod meant answers. The probes of one round run at the same
 * time, and every cell of a probe at once: a blocked cell costs its timeout (policies drop packets silently), so a
 * round takes about one timeout however many cells are blocked.
 */
public final class LabMatrixProber implements MatrixProber {

    /** Upstream's probes wait a second or more; in a lab a round trip is well under a millisecond. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMillis(500);

    private final Prober prober;
    private final Map<String, ProbeTarget> targets;
    private final Duration timeout;

    /**
     * @param targets the model's pods as the probe reaches them (key {@code <namespace>/<pod>})
     * @param timeout how long one connection attempt may take before it counts as blocked
     */
    public LabMatrixProber(Prober prober, List<ProbeTarget> targets, Duration timeout) {
        this.prober = prober;
        Map<String, ProbeTarget> byKey = new HashMap<>();
        targets.forEach(t -> byKey.put(t.key(), t));
        this.targets = Map.copyOf(byKey);
        this.timeout = timeout;
    }

    @Override
    public List<ObservedMatrix> probe(List<Probe> probes) {
        if (probes.size() == 1) {
            return List.of(probeOne(probes.getFirst()));
        }
        List<Future<ObservedMatrix>> futures = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Probe probe : probes) {
                futures.add(executor.submit(() -> probeOne(probe)));
            }
        }
        List<ObservedMatrix> observed = new ArrayList<>();
        for (Future<ObservedMatrix> future : futures) {
            try {
                observed.add(future.get());
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("interrupted");
            }
        }
        return observed;
    }

    private ObservedMatrix probeOne(Probe probe) {
        Protocol protocol = Protocol.parse(probe.protocol());
        Set<NamespacedName> pods = new LinkedHashSet<>(probe.expected().clients());
        pods.addAll(probe.expected().servers());
        List<ProbeTarget> selected = new ArrayList<>();
        for (NamespacedName pod : pods) {
            ProbeTarget target = targets.get(pod.toString());
            if (target == null) {
                throw new IllegalArgumentException("probe " + probe + " names pod " + pod + ", which the lab does not run;"
                        + " the conformance model has pods " + targets.keySet().stream().sorted().toList());
            }
            selected.add(target);
        }
        int cells = Math.max(1, selected.size() * (selected.size() - 1));
        ProbeOptions options = ProbeOptions.defaults()
                .withPorts(List.of(probe.port()))
                .withProtocols(List.of(protocol))
                .withTimeout(timeout)
                .withParallelism(cells);
        ProbeReport report = prober.probe(selected, options);
        var matrix = report.matrix(protocol, probe.port());
        if (matrix.isEmpty()) {
            String reason = report.skipped().stream().filter(s -> s.protocol() == protocol)
                    .map(ProbeReport.Skipped::reason).findFirst().orElse(protocol + " could not be probed");
            return ObservedMatrix.skipped(probe, reason);
        }
        Map<PodPair, String> details = new HashMap<>();
        for (ProbeResult result : report.results()) {
            if (!result.connected()) {
                details.put(new PodPair(NamespacedName.parse(result.client()), NamespacedName.parse(result.server())),
                        describe(result));
            }
        }
        var cellsSeen = matrix.get();
        return ObservedMatrix.of(probe, ObservedMatrix.shapedLike(probe, (client, server) ->
                cellsSeen.cell(client, server) == io.drover.lab.probe.ReachabilityMatrix.Cell.CONNECTED), details);
    }

    /** E.g. {@code timed out: no answer within 500 ms}. */
    static String describe(ProbeResult result) {
        String outcome = result.outcome().name().toLowerCase(Locale.ROOT).replace('_', ' ');
        return result.detail() == null || result.detail().isBlank() ? outcome : outcome + ": " + result.detail();
    }
}
