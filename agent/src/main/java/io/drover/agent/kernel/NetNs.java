package io.drover.agent.kernel;

import java.nio.file.Path;

/**
 * A network namespace, named by a file that refers to it: {@code /run/netns/NAME} (made by {@code ip netns add}
 * or by Drover's lab), {@code /proc/PID/ns/net}, or a CNI runtime's {@code CNI_NETNS} path. {@link #SELF} is the
 * namespace the agent runs in: the node's, whose root namespace in production and a lab node's namespace in
 * tests.
 */
public record NetNs(Path path) {

    public static final NetNs SELF = new NetNs(Path.of("/proc/self/ns/net"));

    public static NetNs named(String name) {
        return new NetNs(Path.of("/run/netns", name));
    }

    public boolean isSelf() {
        return this.equals(SELF);
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
