package io.drover.cli.dns;

import io.drover.agent.kernel.Kernel;
import io.drover.agent.kernel.NetNs;
import io.drover.dns.net.NetworkNamespaces;
import io.drover.dns.net.SocketPlace;
import java.nio.file.Files;
import java.util.concurrent.Callable;

/**
 * Named network namespaces as places for the DNS server's sockets, entered through the kernel (a thread that has
 * joined the namespace opens the socket), so that {@code drover dns} can serve inside a lab's namespaces while it
 * reaches the API server over this machine's loopback.
 */
final class KernelNamespaces implements NetworkNamespaces {

    private final Kernel kernel;

    KernelNamespaces(Kernel kernel) {
        this.kernel = kernel;
    }

    @Override
    public SocketPlace named(String netns) {
        NetNs ns = NetNs.named(netns);
        if (!Files.exists(ns.path())) {
            throw new IllegalArgumentException("network namespace '" + netns + "' does not exist (no " + ns.path()
                    + "); create it first (ip netns add " + netns + ") or name one 'ip netns list' shows");
        }
        return new SocketPlace() {
            @Override
            public <T> T open(Callable<T> opening) {
                return kernel.inNamespace(ns, opening);
            }

            @Override
            public String toString() {
                return "network namespace " + netns;
            }
        };
    }
}
