package io.drover.cli.serve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** This machine's host name, the default node name of an all-in-one server's agent. */
final class HostName {

    private HostName() {}

    static String current() {
        try {
            // The kernel's own, not a DNS lookup that may hang on a machine without a resolver.
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim().toLowerCase(Locale.ROOT);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read this machine's host name (" + e.getMessage()
                    + "); give the node's name with --node NAME");
        }
    }
}
