package io.drover.agent.kernel.linux;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The libc calls Drover needs, as FFM downcalls that capture errno. Each method returns normally or throws
 * {@link ErrnoException} naming the call; EINTR is retried where the call is restartable.
 *
 * <p>errno is captured into a per-thread segment because the same handles run on many namespace threads at once.
 * The constants are Linux's generic ABI values, identical on x86-64 and arm64.
 */
@SuppressWarnings("restricted") // downcalls are what this class is for; the JVM runs with --enable-native-access
final class Libc {

    static final int AF_NETLINK = 16;
    static final int SOCK_RAW = 3;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int SOL_SOCKET = 1;
    static final int SO_SNDBUF = 7;
    static final int SO_RCVBUF = 8;
    static final int SO_RCVTIMEO = 20;
    static final int MSG_TRUNC = 0x20;
    static final int MSG_DONTWAIT = 0x40;

    static final int O_RDONLY = 0;
    static final int O_WRONLY = 1;
    static final int O_CREAT = 0x40;
    static final int O_EXCL = 0x80;
    static final int O_CLOEXEC = 0x80000;

    static final int CLONE_NEWNET = 0x40000000;
    static final long MS_BIND = 0x1000;
    static final long MS_REC = 0x4000;
    static final long MS_SHARED = 1L << 20;
    static final int MNT_DETACH = 2;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    // Arena.ofAuto: the segment dies with the thread that used it (namespace threads come and go).
    private static final ThreadLocal<MemorySegment> CAPTURE =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE_LAYOUT));

    private static final MethodHandle SOCKET = handle("socket", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle BIND = handle("bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SETSOCKOPT = handle("setsockopt",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SENDTO = handle("sendto",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle RECVFROM = handle("recvfrom",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle SETNS = handle("setns", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle UNSHARE = handle("unshare", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle MOUNT = handle("mount",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));
    private static final MethodHandle UMOUNT2 = handle("umount2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    // open(2) is variadic: the mode is the first variadic argument, passed as a promoted int.
    private static final MethodHandle OPEN = handle("open",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle CLOSE = handle("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle UNLINK = handle("unlink", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle READ = handle("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle WRITE = handle("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));

    private Libc() {}

    private static MethodHandle handle(String name, FunctionDescriptor descriptor, Linker.Option... extra) {
        MemorySegment symbol = LIBC.find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no symbol " + name));
        Linker.Option[] options = new Linker.Option[extra.length + 1];
        options[0] = CAPTURE_ERRNO;
        System.arraycopy(extra, 0, options, 1, extra.length);
        return LINKER.downcallHandle(symbol, descriptor, options);
    }

    private static int errno(MemorySegment capture) {
        return (int) ERRNO.get(capture, 0L);
    }

    private static ErrnoException failure(String call, MemorySegment capture) {
        return new ErrnoException(errno(capture), call);
    }

    /** Rethrows what a downcall can only throw on a programming error (wrong handle type). */
    private static RuntimeException unexpected(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    static int socket(int domain, int type, int protocol) {
        MemorySegment capture = CAPTURE.get();
        try {
            int fd = (int) SOCKET.invokeExact(capture, domain, type, protocol);
            if (fd < 0) {
                throw failure("socket", capture);
            }
            return fd;
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static void bind(int fd, MemorySegment address) {
        MemorySegment capture = CAPTURE.get();
        try {
            if ((int) BIND.invokeExact(capture, fd, address, (int) address.byteSize()) < 0) {
                throw failure("bind", capture);
            }
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static void setsockopt(int fd, int level, int option, MemorySegment value) {
        MemorySegment capture = CAPTURE.get();
        try {
            if ((int) SETSOCKOPT.invokeExact(capture, fd, level, option, value, (int) value.byteSize()) < 0) {
                throw failure("setsockopt(" + level + ", " + option + ")", capture);
            }
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static long sendto(int fd, MemorySegment buffer, long length, MemorySegment address) {
        MemorySegment capture = CAPTURE.get();
        try {
            while (true) {
                long n = (long) SENDTO.invokeExact(capture, fd, buffer, length, 0, address, (int) address.byteSize());
                if (n >= 0) {
                    return n;
                }
                if (errno(capture) != Errno.EINTR) {
                    throw failure("sendto", capture);
                }
            }
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** Receives one datagram; with MSG_TRUNC in flags the result is its real length even when it did not fit. */
    static long recvfrom(int fd, MemorySegment buffer, long length, int flags) {
        MemorySegment capture = CAPTURE.get();
        try {
            while (true) {
                long n = (long) RECVFROM.invokeExact(capture, fd, buffer, length, flags, MemorySegment.NULL, MemorySegment.NULL);
                if (n >= 0) {
                    return n;
                }
                if (errno(capture) != Errno.EINTR) {
                    throw failure("recvfrom", capture);
                }
            }
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static void setns(int fd, int nstype) {
        MemorySegment capture = CAPTURE.get();
        try {
            if ((int) SETNS.invokeExact(capture, fd, nstype) < 0) {
                throw failure("setns", capture);
            }
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static void unshare(int flags) {
        MemorySegment capture = CAPTURE.get();
        try {
            if ((int) UNSHARE.invokeExact(capture, flags) < 0) {
                throw failure("unshare", capture);
            }
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static void mount(String source, String target, String fstype, long flags) {
        MemorySegment capture = CAPTURE.get();
        try (Arena arena = Arena.ofConfined()) {
            int rc = (int) MOUNT.invokeExact(capture, arena.allocateFrom(source), arena.allocateFrom(target),
                    arena.allocateFrom(fstype), flags, MemorySegment.NULL);
            if (rc < 0) {
                throw failure("mount " + target, capture);
            }
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static void umount2(String target, int flags) {
        MemorySegment capture = CAPTURE.get();
        try (Arena arena = Arena.ofConfined()) {
            if ((int) UMOUNT2.invokeExact(capture, arena.allocateFrom(target), flags) < 0) {
                throw failure("umount " + target, capture);
            }
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static int open(String path, int flags, int mode) {
        MemorySegment capture = CAPTURE.get();
        try (Arena arena = Arena.ofConfined()) {
            while (true) {
                int fd = (int) OPEN.invokeExact(capture, arena.allocateFrom(path), flags, mode);
                if (fd >= 0) {
                    return fd;
                }
                if (errno(capture) != Errno.EINTR) {
                    throw failure("open " + path, capture);
                }
            }
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** Closes quietly: there is nothing useful to do about a failed close of a descriptor we own. */
    static void close(int fd) {
        MemorySegment capture = CAPTURE.get();
        try {
            int ignored = (int) CLOSE.invokeExact(capture, fd);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static void unlink(String path) {
        MemorySegment capture = CAPTURE.get();
        try (Arena arena = Arena.ofConfined()) {
            if ((int) UNLINK.invokeExact(capture, arena.allocateFrom(path)) < 0) {
                throw failure("unlink " + path, capture);
            }
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static long read(int fd, MemorySegment buffer, long length) {
        MemorySegment capture = CAPTURE.get();
        try {
            while (true) {
                long n = (long) READ.invokeExact(capture, fd, buffer, length);
                if (n >= 0) {
                    return n;
                }
                if (errno(capture) != Errno.EINTR) {
                    throw failure("read", capture);
                }
            }
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static long write(int fd, MemorySegment buffer, long length) {
        MemorySegment capture = CAPTURE.get();
        try {
            while (true) {
                long n = (long) WRITE.invokeExact(capture, fd, buffer, length);
                if (n >= 0) {
                    return n;
                }
                if (errno(capture) != Errno.EINTR) {
                    throw failure("write", capture);
                }
            }
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }
}
