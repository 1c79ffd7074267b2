package io.drover.policy;

import java.util.Objects;

/**
 * Whether a connection is allowed, and why: a connection passes when the client's egress and the server's
 * ingress both let it through, or when a pod connects to itself, which policies never block.
 *
 * @param loopback whether client and server are the same pod
 */
public record Verdict(Endpoint from, Endpoint to, String protocol, int port, boolean loopback,
        DirectionVerdict egress, DirectionVerdict ingress) {

    public Verdict {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(egress, "egress");
        Objects.requireNonNull(ingress, "ingress");
    }

    public boolean allowed() {
        return loopback || egress.allows() && ingress.allows();
    }

    /**
     * The verdict and its reasons, one per line, as {@code drover policy explain} prints them:
     * <pre>
     * x/a -&gt; y/b 81/TCP: allowed
     *   egress of x/a: not isolated (no egress policy selects it)
     *   ingress of y/b: isolated by y/deny-all, y/allow-81; allowed by y/allow-81 ingress[0] (from ...; port 81/TCP)
     * </pre>
     */
    public String render() {
        String outcome = loopback
                ? "allowed (a pod may always connect to itself; policies do not apply)"
                : allowed() ? "allowed" : "blocked by " + blockingSides();
        return egress.subject() + " -> " + ingress.subject() + " " + port + "/" + protocol + ": " + outcome + "\n"
                + "  " + egress.describe() + "\n"
                + "  " + ingress.describe() + "\n";
    }

    private String blockingSides() {
        if (!egress.allows() && !ingress.allows()) {
            return "egress and ingress";
        }
        return egress.allows() ? "ingress" : "egress";
    }

    @Override
    public String toString() {
        return render();
    }
}
