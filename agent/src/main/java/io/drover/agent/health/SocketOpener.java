package io.drover.agent.health;

import io.drover.agent.kernel.Kernel;
import io.drover.agent.kernel.NetNs;
import java.io.IOException;
import java.net.ProtocolFamily;
import java.nio.channels.SocketChannel;

/**
 * Opens the (unconnected, blocking) sockets of HTTP and TCP checks in the node's network namespace, from where pod
 * addresses are reached. That is not always the namespace the agent runs in ({@code drover agent --netns}, the
 * tests' throwaway nodes), so a socket is made by the kernel's thread of that namespace: a socket stays in the
 * namespace it was made in, whichever thread then connects it. Only the making happens there, which takes
 * microseconds, never the connecting, which may take the whole timeout and would hold up the reconciler's work in the
 * namespace.
 */
@FunctionalInterface
public interface SocketOpener {

    SocketChannel open(ProtocolFamily family) throws IOException;

    /** Sockets made in {@code ns} through {@code kernel}; directly when {@code ns} is the agent's own. */
    static SocketOpener in(Kernel kernel, NetNs ns) {
        if (ns.isSelf()) {
            return SocketChannel::open;
        }
        return family -> kernel.inNamespace(ns, () -> SocketChannel.open(family));
    }
}
