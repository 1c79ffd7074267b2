package io.drover.lab.conformance;

import io.drover.api.ApiException;
import io.drover.policy.NamespacedName;
import io.drover.policy.conformance.CaseAction;
import io.drover.policy.conformance.CaseAction.AddNamespaceLabels;
import io.drover.policy.conformance.CaseAction.AddPodLabels;
import io.drover.policy.conformance.CaseAction.CreatePolicy;
import io.drover.policy.conformance.CaseAction.DeleteAllPolicies;
import io.drover.policy.conformance.CaseAction.UpdatePolicy;
import io.drover.policy.conformance.CaseState;
import io.drover.policy.conformance.CaseStep;
import io.drover.policy.conformance.ConformanceCase;
import io.drover.policy.conformance.ConformanceFormatException;
import io.drover.policy.conformance.ConformanceModel;
import io.drover.policy.conformance.ModelConformance;
import io.drover.policy.conformance.PolicyTemplate;
import io.drover.policy.conformance.Probe;
import io.drover.policy.conformance.Reachability;
import io.drover.policy.conformance.ReachabilityMatrix;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;

/**
 * Runs NetworkPolicy conformance cases against a real cluster: the flow of {@link ModelConformance}, with each
 * action applied through the API ({@link ConformanceCluster}) and each probe a round of real connections
 * ({@link MatrixProber}) instead of the policy engine's verdict.
 *
 * <p>Per case: reset (no policies, the original labels) and wait until every pod reaches every other on the
 * protocols and ports the case probes, so nothing of the case before lingers; then, step by step, apply the actions
 * and probe. Enforcement is eventually consistent, so a round that differs from the expectation is repeated, after
 * a short pause, until one matches or the step's time limit has passed since its last action: only then is the step
 * failed, with the cells that differ in the last round. The time from the end of the last action to the start of the
 * first matching round is kept ({@link StepResult#settled()}): how long enforcement took, at the resolution of a
 * round. A failed step ends its case (later steps build on its state).
 */
public final class NetpolConformanceRunner {

    /**
     * @param stepLimit  how long a step's probes may take to match after its last action
     * @param resetLimit how long the lab may take to let every pod reach every other after a reset
     * @param pause      between two rounds of a step that did not match
     */
    public record Settings(Duration stepLimit, Duration resetLimit, Duration pause) {

        public static final Settings DEFAULTS = new Settings(Duration.ofSeconds(10), Duration.ofSeconds(10),
                Duration.ofMillis(100));

        public Settings {
            Objects.requireNonNull(stepLimit, "stepLimit");
            Objects.requireNonNull(resetLimit, "resetLimit");
            Objects.requireNonNull(pause, "pause");
        }

        public Settings withStepLimit(Duration limit) {
            return new Settings(limit, resetLimit, pause);
        }

        public Settings withResetLimit(Duration limit) {
            return new Settings(stepLimit, limit, pause);
        }
    }

    private final ConformanceCluster cluster;
    private final MatrixProber prober;
    private final ConformanceModel model;
    private final Settings settings;
    private final Ticker ticker;

    /** @param model the model with the lab's pod addresses, for the placeholders of policies */
    public NetpolConformanceRunner(ConformanceCluster cluster, MatrixProber prober, ConformanceModel model,
            Settings settings, Ticker ticker) {
        this.cluster = cluster;
        this.prober = prober;
        this.model = model;
        this.settings = settings;
        this.ticker = ticker;
    }

    /**
     * Waits until every pod of the model reaches every other on each of these protocols and ports (e.g. before the
     * first case, that the pods serve everything the cases probe).
     *
     * @param protocolPorts e.g. {@code TCP/80}
     */
    public StepResult awaitAllConnected(Set<String> protocolPorts, Duration limit) {
        List<Probe> probes = protocolPorts.stream().map(NetpolConformanceRunner::allConnected).toList();
        return converge(StepResult.RESET, probes, ticker.nanoTime(), limit);
    }

    public CaseResult run(ConformanceCase conformanceCase) {
        long started = ticker.nanoTime();
        List<StepResult> steps = new ArrayList<>();
        String where = "the reset before the case";
        try {
            cluster.reset();
            StepResult reset = awaitAllConnected(protocolPorts(conformanceCase), settings.resetLimit());
            if (!reset.passed()) {
                steps.add(reset);
                return result(conformanceCase, steps, started, null);
            }
            CaseState state = CaseState.initial(model);
            for (CaseStep step : conformanceCase.steps()) {
                int index = 0;
                for (CaseAction action : step.actions()) {
                    where = "step " + step.number() + ", action " + (++index) + " (" + describe(action) + ")";
                    state = state.apply(action);
                    apply(action, state.model());
                }
                where = "step " + step.number() + "'s probes";
                StepResult result = converge(step.number(), step.probes(), ticker.nanoTime(), settings.stepLimit());
                steps.add(result);
                if (!result.passed()) {
                    break;
                }
            }
            return result(conformanceCase, steps, started, null);
        } catch (ApiException e) {
            return result(conformanceCase, steps, started, where + ": the server refused: " + ConformanceWorkload.describe(e));
        } catch (ConformanceFormatException | ConformanceSetupException e) {
            return result(conformanceCase, steps, started, where + ": " + e.getMessage());
        } catch (CancellationException e) {
            throw e;
        } catch (RuntimeException e) {
            return result(conformanceCase, steps, started, where + ": " + e);
        }
    }

    /** The protocols and ports a case probes, e.g. {@code TCP/80}, in the order first probed. */
    static Set<String> protocolPorts(ConformanceCase conformanceCase) {
        Set<String> all = new LinkedHashSet<>();
        conformanceCase.steps().forEach(s -> s.probes().forEach(p -> all.add(p.protocol() + "/" + p.port())));
        return all;
    }

    private void apply(CaseAction action, ConformanceModel current) {
        switch (action) {
            case CreatePolicy(PolicyTemplate template) -> cluster.createPolicy(template.render(current));
            case UpdatePolicy(PolicyTemplate template) -> cluster.replacePolicy(template.render(current));
            case DeleteAllPolicies() -> cluster.deleteAllPolicies();
            case AddNamespaceLabels(String namespace, Map<String, String> labels) ->
                    cluster.addNamespaceLabels(namespace, labels);
            case AddPodLabels(NamespacedName pod, Map<String, String> labels) -> cluster.addPodLabels(pod, labels);
        }
    }

    /** Rounds of probes until one matches, or {@code limit} has passed since {@code since}. */
    private StepResult converge(int step, List<Probe> probes, long since, Duration limit) {
        if (probes.isEmpty()) {
            return new StepResult(step, List.of(), Optional.of(Duration.ZERO), Duration.ZERO, 0);
        }
        int rounds = 0;
        List<StepResult.Round> earlier = new ArrayList<>();
        while (true) {
            long roundStart = ticker.nanoTime();
            List<ObservedMatrix> observed = prober.probe(probes);
            rounds++;
            if (observed.size() != probes.size()) {
                throw new IllegalStateException("the prober answered " + observed.size() + " matrices for "
                        + probes.size() + " probes");
            }
            List<ProbeCheck> checks = observed.stream().map(ProbeCheck::of).toList();
            long now = ticker.nanoTime();
            Duration started = Duration.ofNanos(Math.max(0, roundStart - since));
            if (checks.stream().allMatch(ProbeCheck::passed)) {
                return new StepResult(step, checks, Optional.of(started), Duration.ofNanos(now - since), rounds, earlier);
            }
            if (now - since >= limit.toNanos()) {
                return new StepResult(step, checks, Optional.empty(), Duration.ofNanos(now - since), rounds, earlier);
            }
            if (earlier.size() < StepResult.EARLIER_KEPT) {
                earlier.add(new StepResult.Round(started, checks));
            }
            ticker.sleep(settings.pause());
        }
    }

    private CaseResult result(ConformanceCase conformanceCase, List<StepResult> steps, long started, String error) {
        return new CaseResult(conformanceCase, steps, Duration.ofNanos(ticker.nanoTime() - started),
                Optional.ofNullable(error));
    }

    /** Every pod of the model reaches every other. */
    static Probe allConnected(String protocolPort) {
        int slash = protocolPort.indexOf('/');
        List<NamespacedName> pods = ConformanceModel.podNames();
        return new Probe(protocolPort.substring(0, slash), Integer.parseInt(protocolPort.substring(slash + 1)),
                ReachabilityMatrix.of(pods, pods, (c, s) -> c.equals(s) ? Reachability.LOOPBACK : Reachability.CONNECTED));
    }

    static String describe(CaseAction action) {
        return switch (action) {
            case CreatePolicy(PolicyTemplate template) -> "createPolicy" + policyName(template);
            case UpdatePolicy(PolicyTemplate template) -> "updatePolicy" + policyName(template);
            case DeleteAllPolicies() -> "deleteAllPolicies";
            case AddNamespaceLabels(String namespace, Map<String, String> labels) ->
                    "addNamespaceLabels " + namespace + " " + labels;
            case AddPodLabels(NamespacedName pod, Map<String, String> labels) -> "addPodLabels " + pod + " " + labels;
        };
    }

    /** " x/deny-ingress", or nothing when the text does not read (the action's own error says why). */
    private static String policyName(PolicyTemplate template) {
        try {
            return " " + NamespacedName.of(template.render(ConformanceModel.synthetic()));
        } catch (RuntimeException e) {
            return "";
        }
    }
}
