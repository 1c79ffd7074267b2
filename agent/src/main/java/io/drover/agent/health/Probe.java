package io.drover.agent.health;

import io.drover.agent.kernel.NetNs;
import java.util.List;

/**
 * What one attempt of a check does, resolved against one endpoint: the kinds of {@code spec.healthCheck}, plus
 * {@link Unresolved} for a check that cannot be made (a named port the pod does not have), which fails every attempt
 * with its reason, so that the endpoint turns failing through the same thresholds and says why.
 */
public sealed interface Probe {

    /** GET {@code http://address:port/path}; a 2xx or 3xx answer passes, redirects are not followed. */
    record Http(String address, int port, String path) implements Probe {}

    /** A TCP connection to {@code address:port}; passes when it is accepted within the timeout. */
    record Tcp(String address, int port) implements Probe {}

    /** {@code command} run inside {@code netns} (the pod's network namespace); exit code 0 passes. */
    record Script(NetNs netns, List<String> command) implements Probe {
        public Script {
            command = List.copyOf(command);
        }
    }

    /** A check that cannot be made; {@code why} is its output. */
    record Unresolved(String why) implements Probe {}
}
