package io.drover.store.sqlite;

import io.drover.store.StoreException;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Revokes leases whose time is up. It only finds candidates; the writer checks the expiry again when it
 * revokes, so a keep-alive that wins the race keeps its lease.
 */
final class LeaseReaper implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(LeaseReaper.class);

    private final StoreReader reader;
    private final GroupCommitWriter writer;
    private final LongSupplier clock;

    LeaseReaper(StoreReader reader, GroupCommitWriter writer, LongSupplier clock) {
        this.reader = reader;
        this.writer = writer;
        this.clock = clock;
    }

    @Override
    public void run() {
        try {
            for (long leaseId : reader.expiredLeases(clock.getAsLong())) {
                if (writer.execute(new WriteCommand.RevokeLease(leaseId, true))) {
                    log.debug("Lease {} expired and was revoked", leaseId);
                }
            }
        } catch (StoreException e) {
            // The store is closing or a write failed; the next round tries again.
            log.debug("Lease expiry round failed: {}", e.getMessage());
        }
    }
}
