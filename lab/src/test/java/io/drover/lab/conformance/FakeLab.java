package io.drover.lab.conformance;

import io.drover.model.policy.NetworkPolicy;
import io.drover.policy.NamespacedName;
import io.drover.policy.PolicySnapshot;
import io.drover.policy.conformance.ConformanceModel;
import io.drover.policy.conformance.ModelConformance;
import io.drover.policy.conformance.Probe;
import io.drover.policy.conformance.Reachability;
import io.drover.policy.conformance.ReachabilityMatrix;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A cluster and its data plane in memory: the API side keeps policies and labels as a server would; the data plane
 * enforces them as the policy engine says, {@code lag} rounds of probes after each change (eventual consistency),
 * or never ({@code enforces} false: today's agent). Each round of probes takes {@code roundTime} of the ticker.
 */
final class FakeLab implements ConformanceCluster, MatrixProber {

    final List<String> log = new ArrayList<>();
    final Map<NamespacedName, NetworkPolicy> policies = new TreeMap<>();
    private final ConformanceModel initial;
    private final FakeTicker ticker;
    private ConformanceModel model;
    private PolicySnapshot enforced;
    private PolicySnapshot pending;
    private int roundsUntilEnforced;

    int lag;
    boolean enforces = true;
    Duration roundTime = Duration.ofMillis(5);
    int rounds;
    /** Protocols the data plane cannot probe (e.g. SCTP without the kernel module), with the reason. */
    final Map<String, String> unprobeable = new HashMap<>();
    /** A failure to throw from the next write of the API side. */
    RuntimeException failNextWrite;

    FakeLab(ConformanceModel model, FakeTicker ticker) {
        this.initial = model;
        this.model = model;
        this.ticker = ticker;
        this.enforced = model.snapshot(List.of());
    }

    ConformanceModel model() {
        return model;
    }

    @Override
    public void reset() {
        log.add("reset");
        policies.clear();
        model = initial;
        changed();
    }

    @Override
    public void createPolicy(NetworkPolicy policy) {
        write("create " + NamespacedName.of(policy));
        if (policies.putIfAbsent(NamespacedName.of(policy), policy) != null) {
            throw new IllegalStateException("exists: " + NamespacedName.of(policy));
        }
        changed();
    }

    @Override
    public void replacePolicy(NetworkPolicy policy) {
        write("replace " + NamespacedName.of(policy));
        policies.put(NamespacedName.of(policy), policy);
        changed();
    }

    @Override
    public void deleteAllPolicies() {
        write("delete all");
        policies.clear();
        changed();
    }

    @Override
    public void addNamespaceLabels(String namespace, Map<String, String> labels) {
        write("label namespace " + namespace + " " + new TreeMap<>(labels));
        model = model.withNamespaceLabels(namespace, labels);
        changed();
    }

    @Override
    public void addPodLabels(NamespacedName pod, Map<String, String> labels) {
        write("label pod " + pod + " " + new TreeMap<>(labels));
        model = model.withPodLabels(pod, labels);
        changed();
    }

    @Override
    public List<ObservedMatrix> probe(List<Probe> probes) {
        rounds++;
        ticker.advance(roundTime);
        if (pending != null) {
            if (roundsUntilEnforced == 0) {
                enforced = pending;
                pending = null;
            } else {
                roundsUntilEnforced--;
            }
        }
        List<ObservedMatrix> observed = new ArrayList<>();
        for (Probe probe : probes) {
            if (unprobeable.containsKey(probe.protocol())) {
                observed.add(ObservedMatrix.skipped(probe, unprobeable.get(probe.protocol())));
                continue;
            }
            ReachabilityMatrix matrix = ModelConformance.observe(enforced, probe);
            Map<PodPair, String> details = new HashMap<>();
            for (NamespacedName client : matrix.clients()) {
                for (NamespacedName server : matrix.servers()) {
                    if (matrix.at(client, server) == Reachability.BLOCKED) {
                        details.put(new PodPair(client, server), "timed out: no answer within 500 ms");
                    }
                }
            }
            observed.add(ObservedMatrix.of(probe, matrix, details));
        }
        return observed;
    }

    Set<NamespacedName> policyNames() {
        return policies.keySet();
    }

    private void write(String entry) {
        log.add(entry);
        if (failNextWrite != null) {
            RuntimeException failure = failNextWrite;
            failNextWrite = null;
            throw failure;
        }
    }

    private void changed() {
        if (enforces) {
            pending = model.snapshot(policies.values());
            roundsUntilEnforced = lag;
        }
    }
}
