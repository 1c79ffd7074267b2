package io.drover.agent.kernel.linux;

import io.drover.agent.kernel.NetNs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One platform thread of our own that runs one network namespace's tasks, one at a time, each inside the
 * namespace (setns(2) changes only the calling thread, so this cannot be a virtual thread, which moves between
 * carriers, nor a pooled thread, which would carry the namespace into unrelated work). It owns the namespace's
 * netlink socket, opened inside on first use and bound to the namespace for good.
 *
 * <p>The thread enters the namespace only to run tasks and returns to the process's own namespace before it
 * wakes their callers. That matters: a thread created by a thread inherits its namespaces, and waking a virtual
 * thread can make the JDK's scheduler start a new carrier thread right there, on the waking thread. Done from
 * inside a pod's namespace, that carrier would run unrelated virtual threads in the pod for the rest of its life.
 * The same holds for tasks themselves: a task must not start threads or wake other threads' work.
 */
final class NamespaceThread {

    private static final Logger log = LoggerFactory.getLogger(NamespaceThread.class);
    static final Path THREAD_NETNS = Path.of("/proc/thread-self/ns/net");
    /** The namespace of the process (its main thread): where our threads live between tasks. */
    static final String HOME_NETNS = "/proc/self/ns/net";
    private static final int BATCH = 64;

    /** What a task sees: the namespace and its netlink operations. */
    interface Context {
        NetNs ns();

        RouteNetlink netlink();

        /** A NETLINK_NETFILTER socket of the namespace, for nf_tables batches. */
        NetlinkSocket netfilter();

        /** The namespace's links as its link notifications keep them, subscribed at the first call. */
        LinkTracker linkTracker();
    }

    private final NetNs ns;
    private final long idleNanos;
    private final NamespaceThreads owner;
    private final BlockingQueue<NamespaceThreads.Job<?>> queue = new LinkedBlockingQueue<>();
    private final CompletableFuture<Object> entered = new CompletableFuture<>();
    private final Thread thread;
    private final Context context;
    private RouteNetlink netlink; // confined to this thread
    private NetlinkSocket netfilter; // confined to this thread
    private LinkTracker linkTracker; // confined to this thread

    NamespaceThread(NetNs ns, long idleNanos, NamespaceThreads owner) {
        this.ns = ns;
        this.idleNanos = idleNanos;
        this.owner = owner;
        this.thread = Thread.ofPlatform()
                .name("drover-netns-" + ns.path().getFileName())
                .daemon(true)
                .unstarted(this::run);
        this.context = new Context() {
            @Override
            public NetNs ns() {
                return ns;
            }

            @Override
            public RouteNetlink netlink() {
                if (netlink == null) {
                    netlink = new RouteNetlink(NetlinkSocket.open());
                }
                return netlink;
            }

            @Override
            public NetlinkSocket netfilter() {
                if (netfilter == null) {
                    netfilter = NetlinkSocket.open(Nflog.NETLINK_NETFILTER);
                }
                return netfilter;
            }

            @Override
            public LinkTracker linkTracker() {
                if (linkTracker == null) {
                    linkTracker = LinkTracker.open();
                }
                return linkTracker;
            }
        };
    }

    void start() {
        thread.start();
    }

    NetNs ns() {
        return ns;
    }

    Thread thread() {
        return thread;
    }

    /** The identity of the namespace the thread entered, or null while it is entering or when that failed. */
    Object identity() {
        return entered.isDone() && !entered.isCompletedExceptionally() ? entered.join() : null;
    }

    /** Queues a job; the owner holds its lock so that an idle thread cannot end between its check and this. */
    void enqueue(NamespaceThreads.Job<?> job) {
        queue.add(job);
    }

    /** Ends the thread after the jobs queued so far. Nothing is queued after this (the owner sees to it). */
    void retire() {
        queue.add(NamespaceThreads.Job.RETIRE);
    }

    boolean idle() {
        return queue.isEmpty();
    }

    private void run() {
        int home = -1;
        int target = -1;
        try {
            home = Libc.open(HOME_NETNS, Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
            target = openTarget();
            enter(target);
            try {
                entered.complete(identityOf(THREAD_NETNS));
            } finally {
                Libc.setns(home, Libc.CLONE_NEWNET);
            }
        } catch (RuntimeException e) {
            entered.completeExceptionally(e);
            owner.ended(this);
            failQueued(e);
            closeQuietly(target);
            closeQuietly(home);
            return;
        }
        try {
            loop(home, target);
        } catch (InterruptedException e) {
            log.debug("namespace thread for {} interrupted", ns);
        } finally {
            owner.ended(this);
            if (netlink != null) {
                netlink.close();
            }
            if (netfilter != null) {
                netfilter.close();
            }
            if (linkTracker != null) {
                linkTracker.close();
            }
            closeQuietly(target);
            closeQuietly(home);
            failQueued(new ErrnoException(Errno.ECANCELED, "", "the thread of namespace " + ns + " has ended"));
        }
    }

    private void loop(int home, int target) throws InterruptedException {
        List<NamespaceThreads.Job<?>> batch = new ArrayList<>(BATCH);
        while (true) {
            NamespaceThreads.Job<?> first = queue.poll(idleNanos, TimeUnit.NANOSECONDS);
            if (first == null) {
                if (owner.endIfIdle(this)) {
                    return;
                }
                continue;
            }
            batch.add(first);
            queue.drainTo(batch, BATCH - 1);
            // RETIRE is queued last (after the owner stopped queueing here), so it can only end a batch.
            boolean retire = batch.getLast() == NamespaceThreads.Job.RETIRE;
            if (retire) {
                batch.removeLast();
            }
            boolean homeOk = runBatch(batch, home, target);
            batch.clear();
            if (retire || !homeOk) {
                return;
            }
        }
    }

    /**
     * Enters, computes every job of the batch, returns home, then wakes the callers. False when the thread could
     * not return home (it must end then: it is stuck in the namespace).
     */
    private boolean runBatch(List<NamespaceThreads.Job<?>> batch, int home, int target) {
        if (batch.isEmpty()) {
            return true;
        }
        try {
            Libc.setns(target, Libc.CLONE_NEWNET);
        } catch (ErrnoException e) {
            ErrnoException failure = new ErrnoException(e.errno(), "enter namespace " + ns + ": setns");
            batch.forEach(job -> job.fail(failure));
            return true;
        }
        CURRENT.set(context);
        try {
            batch.forEach(NamespaceThreads.Job::compute);
        } finally {
            CURRENT.remove();
        }
        boolean homeAgain = true;
        try {
            Libc.setns(home, Libc.CLONE_NEWNET);
        } catch (ErrnoException e) {
            log.error("namespace thread for {} cannot return to the process's namespace ({}); ending it", ns, e.getMessage());
            owner.ended(this);
            homeAgain = false;
        }
        batch.forEach(NamespaceThreads.Job::publish);
        return homeAgain;
    }

    private int openTarget() {
        try {
            return Libc.open(ns.path().toString(), Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
        } catch (ErrnoException e) {
            throw new ErrnoException(e.errno(), "enter namespace " + ns);
        }
    }

    private void enter(int target) {
        try {
            Libc.setns(target, Libc.CLONE_NEWNET);
        } catch (ErrnoException e) {
            // EINVAL: the file is not a network namespace (for example a /run/netns entry whose mount is gone).
            throw new ErrnoException(e.errno(), "enter namespace " + ns + ": setns");
        }
    }

    private void failQueued(RuntimeException cause) {
        for (NamespaceThreads.Job<?> job; (job = queue.poll()) != null; ) {
            job.fail(cause);
        }
    }

    private static void closeQuietly(int fd) {
        if (fd >= 0) {
            Libc.close(fd);
        }
    }

    /** The nsfs (device, inode) pair a namespace file refers to: equal pairs mean the same namespace. */
    static Object identityOf(Path nsFile) {
        try {
            return Files.readAttributes(nsFile, BasicFileAttributes.class).fileKey();
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ErrnoException(Errno.ENOENT, "namespace " + nsFile);
        } catch (IOException e) {
            throw new ErrnoException(Errno.EINVAL, "namespace " + nsFile, e.toString());
        }
    }

    private static final ThreadLocal<Context> CURRENT = new ThreadLocal<>();

    /** The context of the namespace task the caller runs in, or null anywhere else. */
    static Context current() {
        return CURRENT.get();
    }
}
