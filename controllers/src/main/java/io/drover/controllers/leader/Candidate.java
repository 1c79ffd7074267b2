package io.drover.controllers.leader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.UUID;

/**
 * Who takes part in an election, as operators see it in {@code /readyz} and in the leader key.
 *
 * @param id   unique among the candidates, also across restarts of one process id: {@code host/pid/random}
 * @param host the machine's host name
 * @param pid  the process id
 * @param url  where this candidate's API answers (null when it has none)
 */
public record Candidate(String id, String host, long pid, String url) {

    public Candidate {
        Objects.requireNonNull(id, "id");
        if (id.isEmpty()) {
            throw new IllegalArgumentException("a candidate id may not be empty");
        }
    }

    /** This process, serving its API at {@code url} (or null). */
    public static Candidate ofThisProcess(String url) {
        String host = hostName();
        long pid = ProcessHandle.current().pid();
        return new Candidate(host + "/" + pid + "/" + UUID.randomUUID().toString().substring(0, 8), host, pid, url);
    }

    /** The kernel's host name (no DNS lookup, which may hang on a machine without a resolver). */
    static String hostName() {
        try {
            String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or no procfs: fall through.
        }
        String env = System.getenv("HOSTNAME");
        return env == null || env.isBlank() ? "localhost" : env;
    }
}
