package io.drover.agent.kernel.linux;

import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Linux error numbers with their symbolic names and glibc's messages, so that an error reads
 * {@code File exists (EEXIST)} whatever thread or libc produced it. A Java table rather than strerror(3): strerror
 * is not thread-safe, strerrorname_np is glibc-only, and the table keeps messages identical in unit tests.
 */
final class Errno {

    record Entry(int number, String name, String message) {}

    private static final Map<Integer, Entry> BY_NUMBER = Map.ofEntries(
            entry(1, "EPERM", "Operation not permitted"),
            entry(2, "ENOENT", "No such file or directory"),
            entry(3, "ESRCH", "No such process"),
            entry(4, "EINTR", "Interrupted system call"),
            entry(5, "EIO", "Input/output error"),
            entry(6, "ENXIO", "No such device or address"),
            entry(7, "E2BIG", "Argument list too long"),
            entry(9, "EBADF", "Bad file descriptor"),
            entry(11, "EAGAIN", "Resource temporarily unavailable"),
            entry(12, "ENOMEM", "Cannot allocate memory"),
            entry(13, "EACCES", "Permission denied"),
            entry(14, "EFAULT", "Bad address"),
            entry(16, "EBUSY", "Device or resource busy"),
            entry(17, "EEXIST", "File exists"),
            entry(18, "EXDEV", "Invalid cross-device link"),
            entry(19, "ENODEV", "No such device"),
            entry(20, "ENOTDIR", "Not a directory"),
            entry(21, "EISDIR", "Is a directory"),
            entry(22, "EINVAL", "Invalid argument"),
            entry(23, "ENFILE", "Too many open files in system"),
            entry(24, "EMFILE", "Too many open files"),
            entry(25, "ENOTTY", "Inappropriate ioctl for device"),
            entry(28, "ENOSPC", "No space left on device"),
            entry(30, "EROFS", "Read-only file system"),
            entry(31, "EMLINK", "Too many links"),
            entry(32, "EPIPE", "Broken pipe"),
            entry(33, "EDOM", "Numerical argument out of domain"),
            entry(34, "ERANGE", "Numerical result out of range"),
            entry(35, "EDEADLK", "Resource deadlock avoided"),
            entry(36, "ENAMETOOLONG", "File name too long"),
            entry(38, "ENOSYS", "Function not implemented"),
            entry(39, "ENOTEMPTY", "Directory not empty"),
            entry(40, "ELOOP", "Too many levels of symbolic links"),
            entry(61, "ENODATA", "No data available"),
            entry(71, "EPROTO", "Protocol error"),
            entry(74, "EBADMSG", "Bad message"),
            entry(75, "EOVERFLOW", "Value too large for defined data type"),
            entry(88, "ENOTSOCK", "Socket operation on non-socket"),
            entry(90, "EMSGSIZE", "Message too long"),
            entry(92, "ENOPROTOOPT", "Protocol not available"),
            entry(93, "EPROTONOSUPPORT", "Protocol not supported"),
            entry(95, "EOPNOTSUPP", "Operation not supported"),
            entry(97, "EAFNOSUPPORT", "Address family not supported by protocol"),
            entry(98, "EADDRINUSE", "Address already in use"),
            entry(99, "EADDRNOTAVAIL", "Cannot assign requested address"),
            entry(100, "ENETDOWN", "Network is down"),
            entry(101, "ENETUNREACH", "Network is unreachable"),
            entry(103, "ECONNABORTED", "Software caused connection abort"),
            entry(104, "ECONNRESET", "Connection reset by peer"),
            entry(105, "ENOBUFS", "No buffer space available"),
            entry(110, "ETIMEDOUT", "Connection timed out"),
            entry(111, "ECONNREFUSED", "Connection refused"),
            entry(113, "EHOSTUNREACH", "No route to host"),
            entry(114, "EALREADY", "Operation already in progress"),
            entry(115, "EINPROGRESS", "Operation now in progress"),
            entry(125, "ECANCELED", "Operation canceled"),
            // Kernel-internal, but rtnetlink lets it escape for some unsupported driver operations.
            entry(524, "ENOTSUPP", "Operation not supported"));

    private static final Map<String, Integer> BY_MESSAGE = BY_NUMBER.values().stream()
            .filter(e -> e.number() != 524)
            .collect(Collectors.toMap(Entry::message, Entry::number, (a, b) -> a));

    static final int ENOENT = 2;
    static final int EINTR = 4;
    static final int ENOBUFS = 105;
    static final int EAGAIN = 11;
    static final int EEXIST = 17;
    static final int ENODEV = 19;
    static final int EINVAL = 22;
    static final int EMSGSIZE = 90;
    static final int EOPNOTSUPP = 95;
    static final int ETIMEDOUT = 110;
    static final int ECANCELED = 125;

    private Errno() {}

    private static Map.Entry<Integer, Entry> entry(int number, String name, String message) {
        return Map.entry(number, new Entry(number, name, message));
    }

    /** {@code File exists (EEXIST)}, or {@code errno 200} for numbers outside the table. */
    static String describe(int errno) {
        Entry e = BY_NUMBER.get(errno);
        return e == null ? "errno " + errno : e.message() + " (" + e.name() + ")";
    }

    static String name(int errno) {
        Entry e = BY_NUMBER.get(errno);
        return e == null ? "errno " + errno : e.name();
    }

    /** The errno whose message is exactly {@code message} (as tools like nft print strerror), if any. */
    static Optional<Integer> fromMessage(String message) {
        return Optional.ofNullable(BY_MESSAGE.get(message.strip()));
    }
}
