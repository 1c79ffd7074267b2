package io.drover.dns.net;

/** Finds the {@link SocketPlace} of a named network namespace (a name under /run/netns). */
@FunctionalInterface
public interface NetworkNamespaces {

    /** For a server that only ever listens and forwards in its own namespace. */
    NetworkNamespaces NONE = netns -> {
        throw new IllegalArgumentException("network namespace '" + netns + "' was named, but this DNS server opens "
                + "sockets in its own namespace only; run 'drover dns' as root to listen or forward inside a network "
                + "namespace, or drop the 'NETNS/' prefix");
    };

    /** The place of {@code netns}; throws {@link IllegalArgumentException} saying what to do when there is none. */
    SocketPlace named(String netns);

    /** The place of {@code netns}, or this namespace when it is null. */
    default SocketPlace of(String netns) {
        return netns == null ? SocketPlace.HERE : named(netns);
    }
}
