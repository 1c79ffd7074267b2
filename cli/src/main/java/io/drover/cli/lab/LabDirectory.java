package io.drover.cli.lab;

import io.drover.cli.CliContext;
import io.drover.lab.runtime.LabLauncher;
import io.drover.lab.runtime.LabStateStore;
import java.nio.file.Path;

/**
 * Where the CLI keeps and finds lab state: {@code $DROVER_LAB_DIR} when set (tests and the lab's own processes,
 * which are told their lab's directory), else the default for this user (/run/drover/labs for root).
 */
public final class LabDirectory {

    private LabDirectory() {}

    public static LabStateStore store(CliContext context) {
        String dir = context.env(LabLauncher.LAB_DIR_ENV);
        return dir == null || dir.isBlank() ? LabStateStore.defaultStore() : new LabStateStore(Path.of(dir));
    }
}
