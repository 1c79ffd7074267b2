package io.drover.agent.kernel.linux;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * Reads and writes /proc/sys. Must run on the namespace's thread: /proc/sys/net shows the network namespace of
 * the task that opens the file. Through libc rather than java.nio so that a refused write reports its errno
 * (EINVAL for a bad value, ENOENT for an unknown key).
 */
final class Sysctls {

    private static final int MAX_VALUE = 64 * 1024;

    private Sysctls() {}

    /**
     * {@code net.ipv4.ip_forward} -> {@code /proc/sys/net/ipv4/ip_forward}. As in sysctl(8), a key written with
     * slashes keeps its dots, for interface names with dots: {@code net/ipv4/conf/eth0.100/forwarding}.
     */
    static String path(String key) {
        if (key == null || key.isEmpty() || key.startsWith("/") || key.startsWith(".") || key.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("'" + key + "' is not a sysctl key such as net.ipv4.ip_forward");
        }
        String relative = key.contains("/") ? key : key.replace('.', '/');
        for (String part : relative.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                throw new IllegalArgumentException("'" + key + "' is not a sysctl key such as net.ipv4.ip_forward");
            }
        }
        return "/proc/sys/" + relative;
    }

    /** The value without its trailing newline. */
    static String read(String key) {
        int fd = Libc.open(path(key), Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(MAX_VALUE);
            long total = 0;
            while (total < MAX_VALUE) {
                long n = Libc.read(fd, buffer.asSlice(total), MAX_VALUE - total);
                if (n == 0) {
                    break;
                }
                total += n;
            }
            String value = new String(buffer.asSlice(0, total).toArray(JAVA_BYTE), StandardCharsets.UTF_8);
            return value.endsWith("\n") ? value.substring(0, value.length() - 1) : value;
        } finally {
            Libc.close(fd);
        }
    }

    /** Writes the value in one write(2), as procfs parses each write on its own. */
    static void write(String key, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        int fd = Libc.open(path(key), Libc.O_WRONLY | Libc.O_CLOEXEC, 0);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(Math.max(1, bytes.length));
            MemorySegment.copy(bytes, 0, buffer, JAVA_BYTE, 0, bytes.length);
            long n = Libc.write(fd, buffer, bytes.length);
            if (n != bytes.length) {
                throw new ErrnoException(Errno.EINVAL, "", "the kernel took " + n + " of " + bytes.length + " bytes");
            }
        } finally {
            Libc.close(fd);
        }
    }
}
