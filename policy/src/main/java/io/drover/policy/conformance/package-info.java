/**
 * The NetworkPolicy conformance cases ({@code conformance/netpol/README.md}): reading them
 * ({@link io.drover.policy.conformance.ConformanceCaseReader} into {@link io.drover.policy.conformance.ConformanceCase}
 * with steps, {@link io.drover.policy.conformance.CaseAction actions} and {@link io.drover.policy.conformance.Probe
 * probes}), the 9-pod cluster they run on ({@link io.drover.policy.conformance.ConformanceModel}), the reachability
 * matrices they expect ({@link io.drover.policy.conformance.ReachabilityMatrix}), and running them against the policy
 * engine ({@link io.drover.policy.conformance.ModelConformance}). The lab's runner reuses all of it and probes for
 * real instead.
 */
package io.drover.policy.conformance;
