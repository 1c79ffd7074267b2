package io.drover.cli.lab;

import io.drover.cli.CliException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The verbs that make or enter network namespaces need root; saying so up front beats a kernel's "Operation not
 * permitted" half-way through building a lab.
 */
public final class RootCheck {

    private RootCheck() {}

    public static void require(String verb) {
        if (!isRoot()) {
            throw new CliException("'drover " + verb + "' needs root: it works with network namespaces. Run it as root,"
                    + " e.g. sudo ./drover " + verb);
        }
    }

    static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException | ClassCastException e) {
            return false;
        }
    }
}
