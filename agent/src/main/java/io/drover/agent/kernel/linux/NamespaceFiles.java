package io.drover.agent.kernel.linux;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * Named network namespaces as iproute2 keeps them: a namespace is kept alive by a bind mount of its nsfs file on
 * {@code /run/netns/NAME}, so `ip netns`, podman and Drover all see the same ones.
 */
final class NamespaceFiles {

    static final Path RUN_DIR = Path.of("/run/netns");

    private final Path runDir;
    private final Object mountLock = new Object();

    NamespaceFiles() {
        this(RUN_DIR);
    }

    NamespaceFiles(Path runDir) {
        this.runDir = runDir;
    }

    Path path(String name) {
        if (name == null || name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")
                || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("'" + name + "' is not a namespace name: it must be a non-empty file name"
                    + " without '/', as `ip netns add NAME` takes");
        }
        return runDir.resolve(name);
    }

    /**
     * Creates the namespace: the empty file first (O_EXCL, so a taken name fails with EEXIST before anything
     * else happens), then a new namespace on a throw-away platform thread that bind-mounts its own namespace onto
     * the file and ends. That thread is never reused.
     */
    void create(String name) {
        Path file = path(name);
        prepareRunDir();
        int fd = Libc.open(file.toString(), Libc.O_RDONLY | Libc.O_CREAT | Libc.O_EXCL | Libc.O_CLOEXEC, 0);
        Libc.close(fd);
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        Thread maker = Thread.ofPlatform().name("drover-netns-create-" + name).unstarted(() -> {
            int home = -1;
            try {
                home = Libc.open(NamespaceThread.HOME_NETNS, Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
                Libc.unshare(Libc.CLONE_NEWNET);
                // /proc/thread-self: /proc/self would name the process's (main thread's) namespace.
                Libc.mount(NamespaceThread.THREAD_NETNS.toString(), file.toString(), "none", Libc.MS_BIND);
            } catch (RuntimeException e) {
                failure.set(e);
            } finally {
                // Home again before the thread ends: its end wakes the joining caller, and a wake-up may start a
                // carrier thread on this one (see NamespaceThread), which must not be born in the new namespace.
                if (home >= 0) {
                    try {
                        Libc.setns(home, Libc.CLONE_NEWNET);
                    } catch (ErrnoException e) {
                        failure.compareAndSet(null, e);
                    }
                    Libc.close(home);
                }
            }
        });
        maker.start();
        joinUninterruptibly(maker);
        if (failure.get() != null) {
            try {
                Libc.unlink(file.toString());
            } catch (ErrnoException ignored) {
                // Nothing more to undo; the original failure is what matters.
            }
            throw failure.get();
        }
    }

    /**
     * Makes the run directory a shared mount point, as `ip netns add` does, so that namespaces mounted later
     * propagate to mount namespaces that copied it (containers started by a runtime, `ip netns exec`). A directory
     * that is not a mount point yet gets bind-mounted onto itself first.
     */
    private void prepareRunDir() {
        synchronized (mountLock) {
            try {
                Files.createDirectories(runDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create " + runDir, e);
            }
            boolean madeMountPoint = false;
            while (true) {
                try {
                    Libc.mount("", runDir.toString(), "none", Libc.MS_SHARED | Libc.MS_REC);
                    return;
                } catch (ErrnoException e) {
                    if (e.errno() != Errno.EINVAL || madeMountPoint) {
                        throw e;
                    }
                }
                Libc.mount(runDir.toString(), runDir.toString(), "none", Libc.MS_BIND | Libc.MS_REC);
                madeMountPoint = true;
            }
        }
    }

    /** Detaches the mount and removes the file. ENOENT when there is no such namespace. */
    void delete(String name) {
        Path file = path(name);
        if (!Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new ErrnoException(Errno.ENOENT, "");
        }
        try {
            Libc.umount2(file.toString(), Libc.MNT_DETACH);
        } catch (ErrnoException e) {
            if (e.errno() != Errno.EINVAL) { // EINVAL: not mounted (a half-made namespace); remove the file anyway
                throw e;
            }
        }
        Libc.unlink(file.toString());
    }

    List<String> list() {
        try (Stream<Path> files = Files.list(runDir)) {
            return files.map(p -> p.getFileName().toString()).toList(); // unsorted: read on every sync
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + runDir, e);
        }
    }

    private static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
