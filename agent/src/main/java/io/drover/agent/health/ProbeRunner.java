package io.drover.agent.health;

import io.drover.agent.kernel.Kernel;
import io.drover.agent.kernel.NetNs;
import java.time.Duration;

/** The real {@link Prober}: each kind of check against the kernel, the network and the node's programs. */
public final class ProbeRunner implements Prober {

    private final HttpProber http;
    private final TcpProber tcp;
    private final ScriptProber script;

    /**
     * @param sockets where HTTP and TCP checks connect from: the node's namespace
     * @param nsenter the program that enters a pod's namespace for a script (normally {@code nsenter})
     */
    public ProbeRunner(SocketOpener sockets, String nsenter) {
        this.http = new HttpProber(sockets);
        this.tcp = new TcpProber(sockets);
        this.script = new ScriptProber(nsenter);
    }

    /** Checks from the node namespace {@code nodeNs}, through {@code kernel}. */
    public static ProbeRunner on(Kernel kernel, NetNs nodeNs) {
        return new ProbeRunner(SocketOpener.in(kernel, nodeNs), "nsenter");
    }

    @Override
    public Outcome run(Probe probe, Duration timeout) {
        try {
            return switch (probe) {
                case Probe.Http h -> http.probe(h, timeout);
                case Probe.Tcp t -> tcp.probe(t, timeout);
                case Probe.Script s -> script.probe(s, timeout);
                case Probe.Unresolved u -> Outcome.fail(u.why());
            };
        } catch (RuntimeException e) {
            return Outcome.fail("the check could not run: " + Endpoints.message(e));
        }
    }
}
