package io.drover.controllers.ipam;

import io.drover.model.net.Cidr;
import java.math.BigInteger;

/**
 * A block as last read or written, with its mod revision, its parsed CIDR and first address (the planner asks
 * for them for every block on every batch; computing them each time dominated its cost).
 */
record CachedBlock(String key, AllocationBlock block, long modRevision, Cidr cidr, BigInteger first) {

    CachedBlock(String key, AllocationBlock block, long modRevision, Cidr cidr) {
        this(key, block, modRevision, cidr, cidr.first());
    }

    static CachedBlock of(String key, AllocationBlock block, long modRevision) {
        return new CachedBlock(key, block, modRevision, block.prefix());
    }

    /** The same block with new content, keeping the parsed parts when the CIDR is unchanged. */
    CachedBlock with(AllocationBlock newBlock, long newModRevision) {
        return newBlock.cidr().equals(block.cidr())
                ? new CachedBlock(key, newBlock, newModRevision, cidr, first)
                : of(key, newBlock, newModRevision);
    }
}
