package io.drover.lab.conformance;

import io.drover.model.policy.NetworkPolicy;
import io.drover.policy.NamespacedName;
import java.util.Map;

/**
 * The API side of a conformance run: what a case's actions change, and the reset between cases. The real one is
 * {@link ConformanceWorkload}, through the lab's API server; tests use fakes.
 */
public interface ConformanceCluster {

    /** Back to the model's initial state: no policy in the model's namespaces, every label as it was created. */
    void reset();

    /** A case's {@code createPolicy}: the policy must not exist yet. */
    void createPolicy(NetworkPolicy policy);

    /** A case's {@code updatePolicy}: replaces the policy of the same namespace and name. */
    void replacePolicy(NetworkPolicy policy);

    /** A case's {@code deleteAllPolicies}. */
    void deleteAllPolicies();

    /** A case's {@code addNamespaceLabels}: adds labels, replacing the values of keys the namespace has. */
    void addNamespaceLabels(String namespace, Map<String, String> labels);

    /** A case's {@code addPodLabels}: adds labels, replacing the values of keys the pod has. */
    void addPodLabels(NamespacedName pod, Map<String, String> labels);
}
