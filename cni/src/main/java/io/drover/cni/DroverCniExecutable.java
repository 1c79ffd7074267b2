package io.drover.cni;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The thin drover-cni executable (compiled from {@code src/main/c} by the build, into {@code cni/target/bin} and into
 * this jar), and how to install it where runtimes look for plugins, e.g. {@code /opt/cni/bin}.
 */
public final class DroverCniExecutable {

    /** Where the jar carries the executable. */
    public static final String RESOURCE = "/io/drover/cni/bin/drover-cni";

    /** The plugin type runtimes must name in configurations to run it ("type": "drover"). */
    public static final String TYPE = "drover";

    private DroverCniExecutable() {}

    /** True when this jar (or class path) carries the executable. */
    public static boolean packaged() {
        return DroverCniExecutable.class.getResource(RESOURCE) != null;
    }

    /**
     * Copies the packaged executable to {@code dir/name} with mode 0755. The copy is written beside the target and
     * renamed over it, so a runtime that runs the plugin meanwhile sees the old file or the new one, never half of one.
     *
     * @return the installed file
     */
    public static Path install(Path dir, String name) throws IOException {
        Files.createDirectories(dir);
        Path target = dir.resolve(name);
        Path temp = Files.createTempFile(dir, "." + name + "-", ".tmp");
        try (InputStream in = DroverCniExecutable.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException("this build of Drover carries no drover-cni executable (" + RESOURCE
                        + "); build the cni module with gcc installed");
            }
            Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
