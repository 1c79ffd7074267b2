package io.drover.agent.kernel.linux;

import io.drover.agent.kernel.NetNs;
import io.drover.model.net.IpAddresses;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/** Deleting conntrack entries through the {@code conntrack} tool (conntrack-tools), inside a namespace. */
final class Conntrack {

    private static final long TIMEOUT_SECONDS = 30;

    private final String conntrack = NamespacedCommand.locate("conntrack");
    private final String nsenter = NamespacedCommand.locate("nsenter");

    /**
     * Deletes the UDP entries whose original destination is {@code destination} (any address when null) and
     * {@code port}, and whose reply comes from {@code replySource}: the flows a DNAT sent to an endpoint. None found
     * is no error (conntrack exits 1 then, saying "0 flow entries have been deleted").
     */
    /**
     * The number of entries whose reply comes from {@code replySource} and whose destination was translated, leaving
     * out TCP connections that are over (TIME_WAIT, CLOSE: conntrack keeps them for up to two minutes) and those that
     * never got an answer (SYN_SENT: a client that gave up leaves one for two minutes).
     */
    int countDestinationNat(NetNs ns, InetAddress replySource) {
        String[] args = {"-L", "-f", replySource instanceof java.net.Inet6Address ? "ipv6" : "ipv4", "--reply-src",
                IpAddresses.format(replySource), "--dst-nat"};
        NamespacedCommand.Output out = NamespacedCommand.run(nsenter, ns, conntrack, null, TIMEOUT_SECONDS, args);
        if (out.exitCode() != 0) {
            String text = out.stderr().strip();
            throw new ErrnoException(Errno.EINVAL, "", "conntrack " + String.join(" ", args) + " exited with status "
                    + out.exitCode() + (text.isEmpty() ? "" : ": " + text));
        }
        return (int) out.stdout().lines().filter(l -> !l.isBlank() && !l.contains(" TIME_WAIT ") && !l.contains(" CLOSE ")
                && !l.contains(" SYN_SENT ")).count();
    }

    void deleteUdp(NetNs ns, InetAddress destination, int port, InetAddress replySource) {
        List<String> args = new ArrayList<>(List.of("-D", "-p", "udp"));
        if (destination != null) {
            args.addAll(List.of("--orig-dst", IpAddresses.format(destination)));
        }
        args.addAll(List.of("--orig-port-dst", Integer.toString(port), "--reply-src", IpAddresses.format(replySource)));
        NamespacedCommand.Output out = NamespacedCommand.run(nsenter, ns, conntrack, null, TIMEOUT_SECONDS,
                args.toArray(String[]::new));
        if (out.exitCode() != 0 && !out.stderr().contains("0 flow entries have been deleted")) {
            String text = out.stderr().strip();
            throw new ErrnoException(Errno.EINVAL, "", "conntrack " + String.join(" ", args) + " exited with status "
                    + out.exitCode() + (text.isEmpty() ? "" : ": " + text));
        }
    }
}
