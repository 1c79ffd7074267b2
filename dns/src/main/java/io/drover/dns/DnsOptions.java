package io.drover.dns;

import io.drover.dns.answer.PodRecords;
import io.drover.dns.answer.Zone;
import io.drover.dns.net.NetnsAddress;
import io.drover.model.meta.LabelRules;
import io.drover.model.net.Cidr;
import io.drover.model.net.IpAddresses;
import io.drover.model.service.ServiceNetworkOptions;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * How to run the DNS server.
 *
 * @param listen       the UDP and TCP addresses, each in this process's network namespace or a named one; port 0
 *                     picks a free one
 * @param zone         the cluster domain, its TTL and which pod names answer
 * @param upstreams    where names outside the cluster go (asked from this namespace or a named one); none: they are
 *                     refused
 * @param reverseCidrs ranges whose reverse names are the cluster's to answer (NXDOMAIN for an unknown address)
 *                     besides the pod networks, which the server reads from the API: the service CIDR
 * @param upstreamTimeout how long one upstream may take before the next is asked
 * @param threads      how many threads serve queries; 0: one per CPU
 */
public record DnsOptions(List<NetnsAddress> listen, Zone zone, List<NetnsAddress> upstreams, List<Cidr> reverseCidrs,
        Duration upstreamTimeout, int threads) {

    /** {@code drover dns}'s default: loopback, and a port a user without root may open. */
    public static final String DEFAULT_LISTEN = "127.0.0.1:1053";
    public static final Duration DEFAULT_UPSTREAM_TIMEOUT = Duration.ofSeconds(2);

    public DnsOptions {
        listen = List.copyOf(listen);
        if (listen.isEmpty()) {
            throw new IllegalArgumentException("a DNS server needs at least one address to listen on");
        }
        upstreams = List.copyOf(upstreams);
        reverseCidrs = List.copyOf(reverseCidrs);
        if (threads < 0) {
            throw new IllegalArgumentException("a DNS server serves on 1 or more threads (0: one per CPU), not " + threads);
        }
    }

    /** Defaults: cluster.local, TTL 5 s, verified pod names, no upstreams, the default service CIDR. */
    public static DnsOptions on(InetSocketAddress listen) {
        return new DnsOptions(List.of(NetnsAddress.here(listen)), Zone.defaults(), List.of(),
                List.of(Cidr.parse(ServiceNetworkOptions.DEFAULT_SERVICE_CIDR)), DEFAULT_UPSTREAM_TIMEOUT, 0);
    }

    public DnsOptions withZone(Zone newZone) {
        return new DnsOptions(listen, newZone, upstreams, reverseCidrs, upstreamTimeout, threads);
    }

    public DnsOptions withListen(List<NetnsAddress> addresses) {
        return new DnsOptions(addresses, zone, upstreams, reverseCidrs, upstreamTimeout, threads);
    }

    public DnsOptions withUpstreams(List<NetnsAddress> newUpstreams) {
        return new DnsOptions(listen, zone, newUpstreams, reverseCidrs, upstreamTimeout, threads);
    }

    public DnsOptions withThreads(int count) {
        return new DnsOptions(listen, zone, upstreams, reverseCidrs, upstreamTimeout, count);
    }

    public DnsOptions withReverseCidrs(List<Cidr> cidrs) {
        return new DnsOptions(listen, zone, upstreams, cidrs, upstreamTimeout, threads);
    }

    /**
     * Parses {@code [NETNS/]ADDR:PORT} ({@code [v6]:PORT} for IPv6; with a network namespace name first, the address
     * in that namespace); the message says what is wrong and what to write.
     */
    public static NetnsAddress parseListen(String text) {
        return placed(text, -1, "the DNS listen address", DEFAULT_LISTEN + " or drl-lab-node-1/172.31.0.1:53");
    }

    /**
     * Parses an upstream {@code [NETNS/]IP[:PORT]} (port 53 when omitted; {@code [v6]:PORT} for IPv6 with a port; with
     * a network namespace name first, asked from inside that namespace).
     */
    public static NetnsAddress parseUpstream(String text) {
        return placed(text, 53, "upstream", "10.0.0.2:53, 10.0.0.2, [fd00::2]:53 or drl-lab-fabric/172.31.0.254");
    }

    private static NetnsAddress placed(String text, int defaultPort, String what, String example) {
        String[] parts = NetnsAddress.split(text == null ? "" : text.strip());
        InetSocketAddress address = parseAddress(parts[1], defaultPort, what, example);
        try {
            return new NetnsAddress(parts[0], address);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " \"" + text + "\": " + e.getMessage() + "; write e.g. " + example);
        }
    }

    /** Validates and normalises a cluster domain ({@code cluster.local}); the message says what to write. */
    public static String parseZone(String text) {
        String domain = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        if (domain.endsWith(".")) {
            domain = domain.substring(0, domain.length() - 1);
        }
        String problem = LabelRules.dnsDomainProblem(domain);
        if (problem != null) {
            throw new IllegalArgumentException("zone \"" + text + "\" " + problem + "; give a domain such as "
                    + Zone.DEFAULT_DOMAIN);
        }
        return domain;
    }

    /** Validates a TTL in seconds (0 to 3600, as CoreDNS allows). */
    public static long parseTtl(String text) {
        try {
            long ttl = Long.parseLong(text.strip());
            if (ttl >= 0 && ttl <= 3600) {
                return ttl;
            }
        } catch (NumberFormatException | NullPointerException e) {
            // worded below
        }
        throw new IllegalArgumentException("TTL \"" + text + "\" is not a number of seconds from 0 to 3600; "
                + "give e.g. " + Zone.DEFAULT_TTL + " (the default)");
    }

    /** Parses a pod records mode. */
    public static PodRecords parsePodRecords(String text) {
        return PodRecords.find(text).orElseThrow(() -> new IllegalArgumentException("pod records \"" + text
                + "\" is not a mode; give " + PodRecords.known()));
    }

    private static InetSocketAddress parseAddress(String text, int defaultPort, String what, String example) {
        String spec = text == null ? "" : text.strip();
        String host;
        String port = null;
        if (spec.startsWith("[")) {
            int close = spec.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException(what + " \"" + text + "\" has no closing ']'; write e.g. " + example);
            }
            host = spec.substring(1, close);
            String rest = spec.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException(what + " \"" + text + "\": expected ':PORT' after ']'; write e.g. "
                            + example);
                }
                port = rest.substring(1);
            }
        } else if (spec.indexOf(':') != spec.lastIndexOf(':')) {
            host = spec; // a bare IPv6 address: no port
        } else {
            int colon = spec.indexOf(':');
            host = colon < 0 ? spec : spec.substring(0, colon);
            port = colon < 0 ? null : spec.substring(colon + 1);
        }
        if (port == null && defaultPort < 0) {
            throw new IllegalArgumentException(what + " \"" + text + "\" has no port; write ADDR:PORT, e.g. " + example);
        }
        if (!IpAddresses.isValid(host)) {
            throw new IllegalArgumentException(what + " \"" + text + "\": \"" + host + "\" is not an IP address (the "
                    + "DNS server does not look up names to find its own addresses or upstreams); write e.g. " + example);
        }
        int number = defaultPort;
        if (port != null) {
            try {
                number = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                number = -1;
            }
            int lowest = defaultPort < 0 ? 0 : 1;
            if (number < lowest || number > 65535) {
                throw new IllegalArgumentException(what + " \"" + text + "\": port \"" + port + "\" must be a number from "
                        + lowest + " to 65535; write e.g. " + example);
            }
        }
        InetAddress address = IpAddresses.parse(host);
        return new InetSocketAddress(address, number);
    }
}
