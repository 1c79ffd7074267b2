package io.drover.agent.kernel.linux;

import io.drover.agent.kernel.NetNs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The namespace threads, one per namespace file, created on demand and ended when idle, retired or closed.
 * Calls for one namespace run one after the other on its thread; calls for different namespaces run in parallel.
 *
 * <p>A thread is keyed by the namespace's path, but a path can come to name another namespace (deleted and made
 * again under the same name, by us or by `ip netns`). So every call compares the path's current nsfs identity with
 * the one the thread entered, and replaces a thread that sits in a stale namespace; otherwise its changes would
 * land, silently, in a namespace nobody can see any more.
 */
final class NamespaceThreads implements AutoCloseable {

    private static final long JOIN_MILLIS = 5_000;

    /** Work for a namespace thread. */
    interface Task<T> {
        T run(NamespaceThread.Context context) throws Exception;
    }

    private final long idleNanos;
    private final Map<Path, NamespaceThread> threads = new HashMap<>(); // guarded by this
    private boolean closed; // guarded by this

    NamespaceThreads(Duration idle) {
        this.idleNanos = idle.toNanos();
    }

    /** Runs the task on the namespace's thread and returns its result; its exceptions reach the caller as they are. */
    <T> T call(NetNs ns, Task<T> task) throws Exception {
        NamespaceThread.Context here = NamespaceThread.current();
        if (here != null && here.ns().equals(ns)) {
            return task.run(here); // already there: queueing behind ourselves would deadlock
        }
        Object identity = NamespaceThread.identityOf(ns.path());
        Job<T> job = new Job<>(task);
        List<NamespaceThread> stale = new ArrayList<>(1);
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the kernel's namespace threads are closed");
            }
            NamespaceThread thread = threads.get(ns.path());
            if (thread != null && thread.identity() != null && !thread.identity().equals(identity)) {
                threads.remove(ns.path());
                thread.retire();
                stale.add(thread);
                thread = null;
            }
            if (thread == null) {
                thread = new NamespaceThread(ns, idleNanos, this);
                threads.put(ns.path(), thread);
                thread.start();
            }
            thread.enqueue(job);
        }
        stale.forEach(NamespaceThreads::join);
        return job.await(ns);
    }

    /** Ends the thread of a namespace file (before the namespace is deleted: the thread keeps it alive). */
    void retire(Path path) {
        NamespaceThread thread;
        synchronized (this) {
            thread = threads.remove(path);
            if (thread == null) {
                return;
            }
            thread.retire();
        }
        join(thread);
    }

    /** Called by an idle thread: ends it unless work arrived meanwhile. */
    synchronized boolean endIfIdle(NamespaceThread thread) {
        if (!thread.idle()) {
            return false;
        }
        ended(thread);
        return true;
    }

    /** Called by a thread that is ending; from now on no job is queued to it. */
    synchronized void ended(NamespaceThread thread) {
        threads.remove(thread.ns().path(), thread);
    }

    @Override
    public void close() {
        List<NamespaceThread> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(threads.values());
            threads.clear();
            all.forEach(NamespaceThread::retire);
        }
        all.forEach(NamespaceThreads::join);
    }

    private static void join(NamespaceThread thread) {
        if (thread.thread() == Thread.currentThread()) {
            return;
        }
        try {
            thread.thread().join(JOIN_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A task and its outcome. The namespace thread computes it inside the namespace and publishes the outcome (wakes
     * the caller) only after it has returned home; see {@link NamespaceThread}.
     */
    static final class Job<T> {
        /** Queued last to end a thread. */
        static final Job<Void> RETIRE = new Job<>(context -> null);

        private final Task<T> task;
        private final CompletableFuture<T> result = new CompletableFuture<>();
        private T value;
        private Throwable failure;

        Job(Task<T> task) {
            this.task = task;
        }

        /** Runs the task; never throws, the outcome waits for {@link #publish}. */
        void compute() {
            try {
                value = task.run(NamespaceThread.current());
            } catch (Throwable t) {
                failure = t;
            }
        }

        void publish() {
            if (failure != null) {
                result.completeExceptionally(failure);
            } else {
                result.complete(value);
            }
        }

        void fail(RuntimeException cause) {
            result.completeExceptionally(cause);
        }

        T await(NetNs ns) throws Exception {
            try {
                return result.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ErrnoException(Errno.EINTR, "", "interrupted while waiting for a task in " + ns);
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof Exception ex) {
                    throw ex;
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(cause);
            }
        }
    }
}
