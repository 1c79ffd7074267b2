package io.drover.lab.e2e;

import io.drover.agent.kernel.linux.LinuxKernel;

/** The one real kernel the end-to-end tests share (its namespace threads end when idle; they are daemons). */
final class E2eKernel {

    private static LinuxKernel kernel;

    private E2eKernel() {}

    static synchronized LinuxKernel get() {
        if (kernel == null) {
            kernel = new LinuxKernel();
        }
        return kernel;
    }
}
