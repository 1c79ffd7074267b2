/**
 * The embedded SQLite implementation of {@link io.drover.store.KeyValueStore}.
 *
 * <p>How the parts fit:
 * <ul>
 *   <li>{@link io.drover.store.sqlite.SqliteKeyValueStore} opens the store and wires the rest.</li>
 *   <li>{@code DataDirectory} holds the directory exclusively (lock file with the owner's pid);
 *       {@code SqliteSchema} creates or recognizes the database; {@code SqliteConnections} configures
 *       connections (WAL, synchronous=FULL).</li>
 *   <li>Writes: callers hand a {@code WriteCommand} to the {@code GroupCommitWriter}, whose single thread
 *       applies whole batches with the {@code CommandApplier} inside one SQLite transaction and one fsync.</li>
 *   <li>Reads: {@code StoreReader} queries through the {@code ReadPool}'s read-only connections.</li>
 *   <li>Watches: the writer publishes committed revisions to the {@code WatchHub}, which queues them per
 *       {@code WatchStream}; each stream replays history and delivers on its own virtual thread.</li>
 *   <li>Housekeeping: {@code LeaseReaper} revokes expired leases, {@code HistoryCompactor} bounds history.</li>
 * </ul>
 */
package io.drover.store.sqlite;
