package io.drover.dns.net;

import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An address and port in a named network namespace ({@code drl-lab-node-1/172.31.0.1:53}), or in this process's own
 * namespace when {@code netns} is null ({@code 127.0.0.1:1053}).
 */
public record NetnsAddress(String netns, InetSocketAddress address) {

    /** What {@code ip netns} accepts as a name. */
    private static final Pattern NETNS = Pattern.compile("[A-Za-z0-9_.][A-Za-z0-9_.-]{0,254}");

    public NetnsAddress {
        Objects.requireNonNull(address, "address");
        if (netns != null && (!NETNS.matcher(netns).matches() || netns.equals(".") || netns.equals(".."))) {
            throw new IllegalArgumentException("'" + netns + "' is not a network namespace name (letters, digits, '.',"
                    + " '_' and '-', as under /run/netns)");
        }
    }

    public static NetnsAddress here(InetSocketAddress address) {
        return new NetnsAddress(null, address);
    }

    /**
     * Splits {@code NETNS/REST} into the namespace and the rest (null namespace without a slash), for the caller to
     * parse the address part.
     */
    public static String[] split(String text) {
        int slash = text.indexOf('/');
        return slash < 0 ? new String[] {null, text} : new String[] {text.substring(0, slash), text.substring(slash + 1)};
    }

    /** {@code 127.0.0.1:53}, {@code [::1]:53}, {@code NETNS/172.31.0.1:53}. */
    @Override
    public String toString() {
        return (netns == null ? "" : netns + "/") + display(address);
    }

    public static String display(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
