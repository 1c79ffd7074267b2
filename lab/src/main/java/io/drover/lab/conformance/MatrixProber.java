package io.drover.lab.conformance;

import io.drover.policy.conformance.Probe;
import java.util.List;

/**
 * Sends one round of real connections for probes of a case: the lab's {@link LabMatrixProber}, or a test's fake.
 */
public interface MatrixProber {

    /** One observed matrix per probe, in the same order; the probes may run at the same time. */
    List<ObservedMatrix> probe(List<Probe> probes);
}
