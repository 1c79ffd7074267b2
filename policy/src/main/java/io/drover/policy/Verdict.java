package io.drover.policy;

import io.drover.model.firewall.FirewallService;
import io.drover.model.firewall.RuleAction;
import java.util.List;
import java.util.Objects;

/**
 * Whether a connection is allowed, and why: a connection passes when the client's egress and the server's
 * ingress both let it through, or when a pod connects to itself, which policies never block. Each end decides through
 * the distributed firewall's tiers, NetworkPolicy, the baseline tier and the default action ({@link FirewallVerdict});
 * without a firewall, NetworkPolicy alone.
 *
 * @param loopback        whether client and server are the same pod
 * @param egress          what NetworkPolicy says at the client
 * @param ingress         what NetworkPolicy says at the server
 * @param egressFirewall  how the client decides, NetworkPolicy included
 * @param ingressFirewall how the server decides, NetworkPolicy included
 */
public record Verdict(Endpoint from, Endpoint to, String protocol, int port, boolean loopback,
        DirectionVerdict egress, DirectionVerdict ingress, FirewallVerdict egressFirewall, FirewallVerdict ingressFirewall) {

    public Verdict {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(egress, "egress");
        Objects.requireNonNull(ingress, "ingress");
        Objects.requireNonNull(egressFirewall, "egressFirewall");
        Objects.requireNonNull(ingressFirewall, "ingressFirewall");
    }

    public boolean allowed() {
        return loopback || egressFirewall.allows() && ingressFirewall.allows();
    }

    /**
     * How a blocked connection ends for the client: Drop (silence, then a timeout) or Reject (refused at once), as
     * the first end that blocks it decides; Allow when it is allowed.
     */
    public RuleAction outcome() {
        if (allowed()) {
            return RuleAction.ALLOW;
        }
        return egressFirewall.allows() ? ingressFirewall.action() : egressFirewall.action();
    }

    /**
     * The verdict and its reasons, one per line, as {@code drover policy explain} prints them. Without a firewall
     * (no firewall policy, default action Allow), NetworkPolicy's reasons per end:
     * <pre>
     * x/a -&gt; y/b 81/TCP: allowed
     *   egress of x/a: not isolated (no egress policy selects it)
     *   ingress of y/b: isolated by y/deny-all, y/allow-81; allowed by y/allow-81 ingress[0] (from ...; port 81/TCP)
     * </pre>
     * With one, each end's decision through the tiers, then every firewall rule that selects the pair there:
     * <pre>
     * x/a -&gt; x/b 80/TCP: blocked by egress and ingress
     *   egress of x/a: dropped by firewall rule isolate-web/web-to-web (tier security, priority 10)
     *     decides: isolate-web/web-to-web Drop (tier security, priority 10; from group web-tier; to group web-tier; any service)
     *   ingress of x/b: dropped by firewall rule isolate-web/web-to-web (tier security, priority 10)
     *     decides: isolate-web/web-to-web Drop (tier security, priority 10; from group web-tier; to group web-tier; any service)
     * </pre>
     */
    public String render() {
        boolean firewall = egressFirewall.configured() || ingressFirewall.configured();
        String outcome = loopback
                ? "allowed (a pod may always connect to itself; policies do not apply)"
                : allowed() ? "allowed" : "blocked by " + blockingSides()
                        + (outcome() == RuleAction.REJECT ? " (rejected: the client is refused at once)" : "");
        String target = protocol.equals(FirewallService.ICMP) ? protocol : port + "/" + protocol;
        StringBuilder text = new StringBuilder(egress.subject() + " -> " + ingress.subject() + " " + target + ": "
                + outcome + "\n");
        if (!firewall) {
            return text.append("  ").append(egress.describe()).append("\n")
                    .append("  ").append(ingress.describe()).append("\n").toString();
        }
        for (FirewallVerdict end : List.of(egressFirewall, ingressFirewall)) {
            text.append("  ").append(end.describe()).append("\n");
            end.matches().forEach(match -> text.append("    ").append(match.describe()).append("\n"));
        }
        return text.toString();
    }

    private String blockingSides() {
        if (!egressFirewall.allows() && !ingressFirewall.allows()) {
            return "egress and ingress";
        }
        return egressFirewall.allows() ? "ingress" : "egress";
    }

    @Override
    public String toString() {
        return render();
    }
}
