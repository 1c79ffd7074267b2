package io.drover.policy.conformance;

import io.drover.model.policy.NetworkPolicy;
import io.drover.policy.NamespacedName;
import io.drover.policy.PolicySnapshot;
import io.drover.policy.conformance.CaseAction.AddNamespaceLabels;
import io.drover.policy.conformance.CaseAction.AddPodLabels;
import io.drover.policy.conformance.CaseAction.CreatePolicy;
import io.drover.policy.conformance.CaseAction.DeleteAllPolicies;
import io.drover.policy.conformance.CaseAction.UpdatePolicy;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** The model and the policies of a case between steps. Immutable: applying an action gives a new state. */
public record CaseState(ConformanceModel model, Map<NamespacedName, NetworkPolicy> policies) {

    public CaseState {
        policies = Collections.unmodifiableMap(new TreeMap<>(policies));
    }

    public static CaseState initial(ConformanceModel model) {
        return new CaseState(model, Map.of());
    }

    /** @throws ConformanceFormatException when the action cannot apply: a policy created twice, or updated before it exists */
    public CaseState apply(CaseAction action) {
        return switch (action) {
            case CreatePolicy(PolicyTemplate template) -> {
                NetworkPolicy policy = template.render(model);
                if (policies.containsKey(NamespacedName.of(policy))) {
                    throw new ConformanceFormatException(template.sourceName() + ": policy " + NamespacedName.of(policy)
                            + " exists already; use updatePolicy to change it");
                }
                yield withPolicy(policy);
            }
            case UpdatePolicy(PolicyTemplate template) -> {
                NetworkPolicy policy = template.render(model);
                if (!policies.containsKey(NamespacedName.of(policy))) {
                    throw new ConformanceFormatException(template.sourceName() + ": there is no policy "
                            + NamespacedName.of(policy) + " to update; use createPolicy first");
                }
                yield withPolicy(policy);
            }
            case DeleteAllPolicies() -> new CaseState(model, Map.of());
            case AddNamespaceLabels(String namespace, Map<String, String> labels) ->
                    new CaseState(withModel(() -> model.withNamespaceLabels(namespace, labels)), policies);
            case AddPodLabels(NamespacedName pod, Map<String, String> labels) ->
                    new CaseState(withModel(() -> model.withPodLabels(pod, labels)), policies);
        };
    }

    public PolicySnapshot snapshot() {
        return model.snapshot(policies.values());
    }

    private CaseState withPolicy(NetworkPolicy policy) {
        Map<NamespacedName, NetworkPolicy> next = new TreeMap<>(policies);
        next.put(NamespacedName.of(policy), policy);
        return new CaseState(model, next);
    }

    private static ConformanceModel withModel(java.util.function.Supplier<ConformanceModel> change) {
        try {
            return change.get();
        } catch (IllegalArgumentException e) {
            throw new ConformanceFormatException(e.getMessage(), e);
        }
    }
}
