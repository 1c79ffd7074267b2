package io.drover.lab.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A process as the kernel knows it: its PID together with its start time (field 22 of /proc/PID/stat, in clock
 * ticks since boot). PIDs are recycled; the pair is not, so a lab only ever signals a PID whose start time is still
 * the one it recorded when it started the process.
 */
public record ProcessIdentity(long pid, long startTime) {

    private static final Path PROC = Path.of("/proc");

    /** The identity of a running process, or empty when no process has that PID. */
    public static Optional<ProcessIdentity> of(long pid) {
        return startTimeOf(pid).map(start -> new ProcessIdentity(pid, start));
    }

    /**
     * Whether this very process still runs: same PID and same start time. A zombie (exited, not yet reaped by its
     * parent) does not run: it holds no resources and takes no signal.
     */
    public boolean isRunning() {
        return startTimeOf(pid).map(start -> start == startTime).orElse(false);
    }

    /** The start time of a live (not zombie) process. */
    static Optional<Long> startTimeOf(long pid) {
        if (pid <= 0) {
            return Optional.empty();
        }
        String stat;
        try {
            stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
        } catch (NoSuchFileException gone) {
            return Optional.empty();
        } catch (IOException e) {
            // ESRCH while reading: the process exited between open and read.
            return Optional.empty();
        }
        return isZombie(stat) ? Optional.empty() : Optional.of(parseStartTime(stat));
    }

    /** Field 3, the state: Z (zombie) and X (dead) are exited processes whose entry has not yet gone. */
    static boolean isZombie(String stat) {
        String state = fieldsAfterName(stat)[0];
        return state.equals("Z") || state.equals("X");
    }

    /**
     * Field 22 of a /proc/PID/stat line. The second field is the command name in parentheses and may itself contain
     * spaces and parentheses, so fields are counted from the last ')'.
     */
    static long parseStartTime(String stat) {
        String[] rest = fieldsAfterName(stat);
        // rest[0] is field 3 (state), so field 22 is rest[19].
        if (rest.length < 20) {
            throw new IllegalArgumentException("a /proc/PID/stat line with too few fields: " + stat);
        }
        return Long.parseLong(rest[19]);
    }

    private static String[] fieldsAfterName(String stat) {
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            throw new IllegalArgumentException("not a /proc/PID/stat line: " + stat);
        }
        return stat.substring(close + 1).trim().split(" +");
    }
}
