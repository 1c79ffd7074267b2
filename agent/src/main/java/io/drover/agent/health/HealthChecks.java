package io.drover.agent.health;

import io.drover.agent.NodeAgent;
import io.drover.agent.desired.PodNamespaces;
import io.drover.agent.kernel.Kernel;
import io.drover.api.ResourceRegistry;
import io.drover.model.pod.Pod;
import io.drover.model.service.EndpointHealth;
import io.drover.model.service.Service;
import io.drover.model.service.ServiceEndpoints;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The health checks of one node, running beside its {@link NodeAgent}: a scheduling thread that keeps the
 * {@link HealthSchedule} in line with the mirrored services, endpoints and pods ({@link HealthTargets}, recomputed
 * whenever one of them changed, polled every {@link #POLL}), starts each attempt that is due on a virtual thread of
 * its own ({@link ProbeRunner}) and counts the outcomes as they come; and a reporting thread that writes the health
 * that changed ({@link HealthReporter}), so that a slow or unreachable API never delays a check. Closing stops both
 * and every attempt under way (a script is killed); the health written stays, for the next agent to adopt.
 */
public final class HealthChecks implements AutoCloseable {

    /** What the checks are computed from; the same list objects mean nothing changed. */
    public record Inputs(List<Service> services, List<ServiceEndpoints> endpoints, List<Pod> pods) {
        boolean sameAs(Inputs other) {
            return other != null && services == other.services && endpoints == other.endpoints && pods == other.pods;
        }
    }

    private static final Logger log = LoggerFactory.getLogger(HealthChecks.class);
    /** How often the scheduler looks for changed inputs when nothing else wakes it: new endpoints start this soon. */
    static final Duration POLL = Duration.ofMillis(200);
    /** After a pass that could not write everything, the reporter waits this long before the next. */
    static final Duration REPORT_RETRY = Duration.ofSeconds(1);
    private static final Duration STOP_WAIT = Duration.ofSeconds(5);

    private record Done(HealthSchedule.Attempt attempt, Outcome outcome, Instant at) {}

    private final String nodeName;
    private final Supplier<Inputs> inputs;
    private final PodNamespaces namespaces;
    private final Prober prober;
    private final HealthReporter reporter;
    private final InstantSource clock;
    private final HealthSchedule schedule = new HealthSchedule();
    private final LinkedBlockingQueue<Done> done = new LinkedBlockingQueue<>();
    /** Released with every outcome, so that the scheduler counts it at once rather than at its next poll. */
    private final Semaphore wake = new Semaphore(0);
    private final Set<Thread> attempts = ConcurrentHashMap.newKeySet();
    private final Object reportLock = new Object();
    /** The health the reporter should write; replaced whole, guarded by reportLock. */
    private Map<TargetKey, EndpointHealth> toReport = Map.of();
    private boolean reportRequested;
    private volatile boolean closed;
    private volatile Thread scheduler;
    private volatile Thread reporting;

    HealthChecks(String nodeName, Supplier<Inputs> inputs, PodNamespaces namespaces, Prober prober,
            HealthReporter reporter, InstantSource clock) {
        this.nodeName = nodeName;
        this.inputs = inputs;
        this.namespaces = namespaces;
        this.prober = prober;
        this.reporter = reporter;
        this.clock = clock;
    }

    /**
     * Starts checking the endpoints of {@code agent}'s node, from its mirrors, connecting from its node namespace
     * through {@code kernel}, and reporting through {@code registry}. The agent must be started.
     */
    public static HealthChecks start(NodeAgent agent, ResourceRegistry registry, Kernel kernel) {
        PodNamespaces namespaces = agent.podNamespaces();
        return start(agent.nodeName(), () -> new Inputs(agent.services(), agent.serviceEndpoints(), agent.pods()),
                namespaces, ProbeRunner.on(kernel, namespaces.nodeNamespace()), registry);
    }

    /** Starts checking the endpoints of node {@code nodeName} found in {@code inputs}, with {@code prober}. */
    public static HealthChecks start(String nodeName, Supplier<Inputs> inputs, PodNamespaces namespaces,
            Prober prober, ResourceRegistry registry) {
        HealthChecks checks = new HealthChecks(nodeName, inputs, namespaces, prober,
                new HealthReporter(registry, nodeName), InstantSource.system());
        checks.scheduler = Thread.ofPlatform().name("drover-health-" + nodeName).daemon().start(checks::schedule);
        checks.reporting = Thread.ofPlatform().name("drover-health-report-" + nodeName).daemon().start(checks::report);
        return checks;
    }

    /** The targets checked now. For tests and diagnostics. */
    public Set<TargetKey> targets() {
        synchronized (schedule) {
            return schedule.targets();
        }
    }

    private void schedule() {
        Inputs seen = null;
        Map<TargetKey, EndpointHealth> offered = null;
        while (!closed) {
            try {
                Instant now = clock.instant();
                Map<TargetKey, EndpointHealth> health;
                List<HealthSchedule.Attempt> due;
                synchronized (schedule) {
                    // Outcomes first, one at a time out of the queue: none is ever held where a failure below could
                    // lose it (a lost outcome would leave its target under way, never due again).
                    for (Done d = done.poll(); d != null; d = done.poll()) {
                        schedule.complete(d.attempt(), d.outcome(), d.at()).ifPresent(c -> log.info(
                                "node {}: health of {}: {} -> {}{}", nodeName, c.key(), c.from(), c.to(),
                                c.output() == null || c.output().isEmpty() ? "" : " (" + c.output() + ")"));
                    }
                    Inputs current = inputs.get();
                    if (!current.sameAs(seen)) {
                        schedule.retarget(HealthTargets.compute(nodeName, current.services(), current.endpoints(),
                                current.pods(), namespaces), now);
                        seen = current;
                    }
                    due = schedule.due(now);
                    health = schedule.reported();
                }
                due.forEach(this::launch);
                if (!health.equals(offered)) {
                    offer(health);
                    offered = health;
                }
                Duration wait = POLL;
                synchronized (schedule) {
                    Instant dueAt = schedule.nextDue().orElse(null);
                    if (dueAt != null) {
                        Duration untilDue = Duration.between(clock.instant(), dueAt);
                        wait = untilDue.isNegative() ? Duration.ZERO : untilDue.compareTo(POLL) < 0 ? untilDue : POLL;
                    }
                }
                if (wake.tryAcquire(Math.max(1, wait.toMillis()), TimeUnit.MILLISECONDS)) {
                    wake.drainPermits(); // every outcome that came meanwhile is taken in the next round
                }
            } catch (InterruptedException e) {
                return; // closing
            } catch (RuntimeException e) {
                // A bug must not end the checks for good: log it and carry on from the inputs as they are.
                log.error("node {}: health checks: {}", nodeName, e.toString(), e);
                if (!sleepQuietly(POLL)) {
                    return;
                }
            }
        }
    }

    private void launch(HealthSchedule.Attempt attempt) {
        Thread thread = Thread.ofVirtual().name("drover-check-" + attempt.key().pod()).unstarted(() -> {
            try {
                Outcome outcome;
                try {
                    outcome = prober.run(attempt.probe(), attempt.timeout());
                } catch (RuntimeException e) {
                    // Every attempt must bring an outcome back, or its target would stay under way for good.
                    outcome = Outcome.fail("the check could not run: " + e);
                }
                if (!closed) {
                    done.add(new Done(attempt, outcome, clock.instant()));
                    wake.release();
                }
            } finally {
                attempts.remove(Thread.currentThread());
            }
        });
        attempts.add(thread);
        if (closed) {
            attempts.remove(thread);
            return;
        }
        thread.start();
    }

    private void offer(Map<TargetKey, EndpointHealth> health) {
        synchronized (reportLock) {
            toReport = health;
            reportRequested = true;
            reportLock.notifyAll();
        }
    }

    /**
     * Reports whenever the health changed, and again when the mirrored endpoints objects changed (the controller may
     * have made one afresh, without the health) or the last pass could not write everything.
     */
    private void report() {
        Map<TargetKey, EndpointHealth> reported = null;
        List<ServiceEndpoints> reportedAgainst = null;
        while (!closed) {
            Map<TargetKey, EndpointHealth> health;
            synchronized (reportLock) {
                if (!reportRequested) {
                    try {
                        reportLock.wait(POLL.toMillis());
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                health = toReport;
                reportRequested = false;
            }
            List<ServiceEndpoints> objects = inputs.get().endpoints();
            if (health == reported && objects == reportedAgainst) {
                continue;
            }
            boolean ok;
            try {
                ok = reporter.report(objects, health);
            } catch (RuntimeException e) {
                log.error("node {}: health reports: {}", nodeName, e.toString(), e);
                ok = false;
            }
            if (ok) {
                reported = health;
                reportedAgainst = objects;
            } else {
                reported = null;
                if (!sleepQuietly(REPORT_RETRY)) {
                    return;
                }
            }
        }
    }

    /** False when interrupted (closing). */
    private static boolean sleepQuietly(Duration d) {
        try {
            Thread.sleep(d);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Stops scheduling and reporting, and every attempt under way; waits a few seconds at most. */
    @Override
    public void close() {
        closed = true;
        long deadline = System.nanoTime() + STOP_WAIT.toNanos();
        for (Thread t : new Thread[] {scheduler, reporting}) {
            if (t != null) {
                t.interrupt();
            }
        }
        join(scheduler, deadline);
        join(reporting, deadline);
        // The scheduler is gone: no attempt starts any more. Those under way end at once (a socket closes when its
        // thread is interrupted, a script is killed).
        for (Thread t : attempts) {
            t.interrupt();
        }
        for (Thread t : attempts) {
            join(t, deadline);
        }
    }

    private static void join(Thread thread, long deadline) {
        if (thread == null || thread == Thread.currentThread()) {
            return;
        }
        try {
            thread.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
