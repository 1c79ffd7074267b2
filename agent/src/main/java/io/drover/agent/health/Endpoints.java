package io.drover.agent.health;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.time.Duration;

/** Small helpers the probers share: addresses as people write them, timeouts as sockets take them. */
final class Endpoints {

    private Endpoints() {}

    static String format(String address, int port) {
        return (address.contains(":") ? "[" + address + "]" : address) + ":" + port;
    }

    /** The socket's family, so that a check works where the other family is disabled. */
    static ProtocolFamily family(InetAddress ip) {
        return ip instanceof Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
    }

    /** A socket timeout in milliseconds: at least 1, since 0 means forever. */
    static int millis(Duration d) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, d.toMillis()));
    }

    static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    /** An exception as one line: its message, or its type when it has none. */
    static String message(Throwable e) {
        Throwable t = e;
        // The kernel wraps what a task in a namespace threw: the cause says what went wrong.
        while (t.getCause() != null && (t.getMessage() == null || t instanceof io.drover.agent.kernel.KernelException)) {
            t = t.getCause();
        }
        return t.getMessage() == null || t.getMessage().isBlank() ? t.getClass().getSimpleName() : t.getMessage();
    }
}
