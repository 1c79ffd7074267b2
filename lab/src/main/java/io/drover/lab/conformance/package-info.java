/**
 * NetworkPolicy conformance on a real lab: the cases of {@code conformance/netpol/} (read with
 * {@link io.drover.lab.conformance.CaseFiles}, which locates every problem as file:line) run by
 * {@link io.drover.lab.conformance.NetpolConformanceRunner} on the 9-pod model made real through the API
 * ({@link io.drover.lab.conformance.ConformanceWorkload}), each probe a round of real connections from inside the
 * pods' namespaces ({@link io.drover.lab.conformance.LabMatrixProber}), repeated until enforcement has caught up or a
 * step's time limit passes; {@link io.drover.lab.conformance.ConformanceReport} writes the outcome.
 */
package io.drover.lab.conformance;
