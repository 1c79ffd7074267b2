package io.drover.policy.conformance;

import io.drover.policy.NamespacedName;
import java.util.Map;
import java.util.Objects;

/** One change a step of a case makes before its probes, in the order written. */
public sealed interface CaseAction {

    /** Creates a policy; the case is wrong if one of that namespace and name exists. */
    record CreatePolicy(PolicyTemplate policy) implements CaseAction {
        public CreatePolicy {
            Objects.requireNonNull(policy, "policy");
        }
    }

    /** Replaces the policy of the same namespace and name, which must exist. */
    record UpdatePolicy(PolicyTemplate policy) implements CaseAction {
        public UpdatePolicy {
            Objects.requireNonNull(policy, "policy");
        }
    }

    record DeleteAllPolicies() implements CaseAction {}

    /** Adds labels to a namespace, replacing the values of keys it has. */
    record AddNamespaceLabels(String namespace, Map<String, String> labels) implements CaseAction {
        public AddNamespaceLabels {
            Objects.requireNonNull(namespace, "namespace");
            labels = Map.copyOf(labels);
        }
    }

    /** Adds labels to a pod, replacing the values of keys it has. */
    record AddPodLabels(NamespacedName pod, Map<String, String> labels) implements CaseAction {
        public AddPodLabels {
            Objects.requireNonNull(pod, "pod");
            labels = Map.copyOf(labels);
        }
    }
}
