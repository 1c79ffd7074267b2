package io.drover.lab.runtime;

import io.drover.agent.kernel.NetNs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The processes inside a named network namespace, found as {@code ip netns pids} finds them: a process is inside
 * when its /proc/PID/ns/net is the same namespace (device and inode) as /run/netns/NAME.
 */
final class NamespaceMembers {

    private NamespaceMembers() {}

    static List<Long> pidsIn(String namespace) {
        Object target = identity(NetNs.named(namespace).path());
        if (target == null) {
            return List.of();
        }
        List<Long> pids = new ArrayList<>();
        try (DirectoryStream<Path> proc = Files.newDirectoryStream(Path.of("/proc"), NamespaceMembers::isPidDir)) {
            for (Path dir : proc) {
                if (target.equals(identity(dir.resolve("ns/net")))) {
                    pids.add(Long.parseLong(dir.getFileName().toString()));
                }
            }
        } catch (IOException e) {
            return pids;
        }
        pids.sort(null);
        return pids;
    }

    /** The command line of a process, arguments joined by spaces; empty when it is gone. */
    static String commandLine(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').trim();
        } catch (IOException e) {
            return "";
        }
    }

    private static boolean isPidDir(Path p) {
        String name = p.getFileName().toString();
        return !name.isEmpty() && name.chars().allMatch(Character::isDigit);
    }

    /** The (device, inode) pair of the namespace a path refers to, or null when unreadable or gone. */
    private static Object identity(Path nsFile) {
        try {
            return List.of(Objects.requireNonNull(Files.getAttribute(nsFile, "unix:dev")),
                    Objects.requireNonNull(Files.getAttribute(nsFile, "unix:ino")));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
