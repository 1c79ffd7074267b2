package io.drover.store.sqlite;

import io.drover.store.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that writes. Callers queue commands and wait; the thread takes everything pending (up to
 * the batch bound), applies it in queue order inside one SQLite transaction and commits once, so many
 * concurrent transactions share one fsync. Each command still gets its own revision and sees the commands
 * before it. Only after the commit are the callers answered and the changes published, in revision order.
 *
 * <p>A platform thread, not a virtual one: it spends its time in native SQLite calls (and fsync), which
 * would pin a carrier anyway.
 */
final class GroupCommitWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);

    private final Connection connection;
    private final ApplierFactory applierFactory;
    /** Null after a failed batch until the next batch rebuilds it. */
    private CommandApplier applier;
    private final int maxBatchSize;
    private final Consumer<List<RevisionEvents>> publisher;
    private final LinkedBlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
    /** Makes "check closed, then enqueue" atomic against close, so no request is left behind unanswered. */
    private final ReentrantLock admission = new ReentrantLock();
    private final Thread thread;

    private boolean closing;
    private volatile long revision;
    private volatile long compactRevision;
    private long nextLeaseId;

    private static final Pending<Void> STOP = new Pending<>(null);

    /** Prepares the statements of a {@link CommandApplier} on the writer connection. */
    @FunctionalInterface
    interface ApplierFactory {
        CommandApplier create(Connection connection) throws SQLException;
    }

    GroupCommitWriter(Connection connection, ApplierFactory applierFactory, SqliteSchema.State state,
            int maxBatchSize, Consumer<List<RevisionEvents>> publisher) {
        this.connection = connection;
        this.applierFactory = applierFactory;
        this.maxBatchSize = maxBatchSize;
        this.publisher = publisher;
        this.revision = state.revision();
        this.compactRevision = state.compactRevision();
        this.nextLeaseId = state.nextLeaseId();
        this.thread = Thread.ofPlatform().name("drover-store-writer").daemon(true).unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    /** The last committed revision. Updated before callers are answered, so a caller sees its own write. */
    long revision() {
        return revision;
    }

    long compactRevision() {
        return compactRevision;
    }

    /** Runs a command durably; returns its answer or throws what it threw. */
    <R> R execute(WriteCommand<R> command) {
        Pending<R> pending = new Pending<>(command);
        admission.lock();
        try {
            if (closing) {
                throw SqliteKeyValueStore.closedException();
            }
            queue.add(pending);
        } finally {
            admission.unlock();
        }
        return pending.await();
    }

    /** Finishes what is queued, then stops the thread. */
    @Override
    public void close() {
        admission.lock();
        try {
            if (closing) {
                return;
            }
            closing = true;
            queue.add(STOP);
        } finally {
            admission.unlock();
        }
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (applier != null) {
            applier.close();
        }
    }

    private void run() {
        List<Pending<?>> batch = new ArrayList<>(maxBatchSize);
        boolean stop = false;
        while (!stop) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                // Only close() ends this thread, so that no queued caller is left waiting.
                continue;
            }
            queue.drainTo(batch, maxBatchSize - 1);
            if (batch.getLast() == STOP) {
                batch.removeLast();
                stop = true;
            }
            if (!batch.isEmpty()) {
                commit(batch);
            }
            batch.clear();
        }
        // close() admitted nothing after STOP, so the queue is empty here.
    }

    private void commit(List<Pending<?>> pendings) {
        Batch batch = new Batch(revision, compactRevision, nextLeaseId);
        Object[] outcomes = new Object[pendings.size()];
        try {
            if (applier == null) {
                applier = applierFactory.create(connection);
            }
            applier.begin();
            try {
                for (int i = 0; i < pendings.size(); i++) {
                    try {
                        outcomes[i] = applier.apply(pendings.get(i).command, batch);
                    } catch (StoreException refused) {
                        // Refused before writing anything (see CommandApplier); the others go on.
                        outcomes[i] = refused;
                    }
                }
                applier.writeCounters(batch);
                applier.commit();
            } catch (SQLException | RuntimeException e) {
                applier.rollback();
                throw e;
            }
        } catch (SQLException | RuntimeException e) {
            if (applier != null) {
                applier.close();
                applier = null;
            }
            String cause = e instanceof SQLException sql ? SqliteErrors.cause(sql) : e.toString();
            // One line per failed batch: a full disk fails every batch until space is freed.
            log.error("A write batch of {} command(s) failed and was rolled back: {}", pendings.size(), cause);
            log.debug("Write batch failure", e);
            for (Pending<?> pending : pendings) {
                pending.fail(new StoreException("write failed, nothing was stored: " + cause, e));
            }
            return;
        }
        nextLeaseId = batch.nextLeaseId();
        compactRevision = batch.compactRevision();
        revision = batch.revision();
        if (!batch.changes().isEmpty()) {
            try {
                publisher.accept(batch.changes());
            } catch (RuntimeException e) {
                log.error("Publishing revisions up to {} to watchers failed", batch.revision(), e);
            }
        }
        for (int i = 0; i < pendings.size(); i++) {
            pendings.get(i).complete(outcomes[i]);
        }
    }

    private static final class Pending<R> {
        final WriteCommand<R> command;
        private final CompletableFuture<Object> future = new CompletableFuture<>();

        Pending(WriteCommand<R> command) {
            this.command = command;
        }

        void complete(Object outcome) {
            if (outcome instanceof RuntimeException refused) {
                future.completeExceptionally(refused);
            } else {
                future.complete(outcome);
            }
        }

        void fail(RuntimeException e) {
            future.completeExceptionally(e);
        }

        @SuppressWarnings("unchecked") // CommandApplier answers each command with its declared type.
        R await() {
            try {
                return (R) future.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw new StoreException("write failed: " + e.getCause(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreException("interrupted while waiting for a write; it may or may not have been applied",
                        e);
            }
        }
    }
}
