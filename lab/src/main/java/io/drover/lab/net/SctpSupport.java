package io.drover.lab.net;

import com.sun.nio.sctp.SctpChannel;
import java.io.IOException;
import java.util.Optional;

/**
 * Whether this machine can speak SCTP. Java's SCTP channels need two things the JDK does not bring: the kernel's
 * SCTP protocol (module sctp) and the user-space library libsctp.so.1, which the JDK loads on first use. Either may
 * be missing on a perfectly good machine, so SCTP is optional: the echo server and the probe skip it with the reason
 * this class gives, instead of failing.
 */
public final class SctpSupport {

    private static volatile Optional<String> cached;

    private SctpSupport() {}

    /** Empty when SCTP works; otherwise why not, and what to install. Checked once per JVM. */
    public static Optional<String> unavailableReason() {
        Optional<String> result = cached;
        if (result == null) {
            result = probe();
            cached = result;
        }
        return result;
    }

    public static boolean available() {
        return unavailableReason().isEmpty();
    }

    private static Optional<String> probe() {
        // Opening a channel loads libsctp and creates a kernel socket: exactly the two things that can be missing.
        // The socket is never bound, so it does not matter which network namespace the caller is in.
        try (SctpChannel _ = SctpChannel.open()) {
            return Optional.empty();
        } catch (UnsupportedOperationException | LinkageError | IOException e) {
            return Optional.of(explain(e));
        }
    }

    /**
     * The JDK reports both failures as UnsupportedOperationException (a missing library with dlopen's message, a
     * kernel without SCTP with EPROTONOSUPPORT's "Protocol not supported"), so the message tells them apart.
     */
    static String explain(Throwable e) {
        String root = rootMessage(e);
        if (e instanceof LinkageError || root.contains("libsctp")) {
            return "SCTP is unavailable: the JDK cannot load libsctp.so.1 (" + root
                    + "); install it, e.g. 'apt-get install -y libsctp1'";
        }
        return "SCTP is unavailable: the kernel refused an SCTP socket (" + root
                + "); load the kernel's SCTP module ('modprobe sctp') or use a kernel built with it";
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
