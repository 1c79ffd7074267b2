package io.drover.controllers.ipam;

import io.drover.api.registry.RegistryKeys;
import io.drover.model.ResourceKind;
import io.drover.model.codec.ResourceCodec;
import io.drover.model.ipam.Block;
import io.drover.model.meta.ObjectMeta;
import io.drover.store.Op;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * The {@link Block} object that tells every node which node a claimed block belongs to. IPAM writes it in the same
 * transaction that claims the block, so an agent that sees the block routes to a node that really holds it, and a
 * claim that lost its race leaves no object behind.
 */
final class BlockRecords {

    private BlockRecords() {}

    /** The write of the block's object, to go into the claiming transaction. */
    static Op put(AllocationBlock claimed) {
        Block block = Block.of(
                ObjectMeta.named(Block.nameOf(claimed.network(), claimed.cidr()))
                        .withServerFields(UUID.randomUUID().toString(), null,
                                Instant.now().truncatedTo(ChronoUnit.SECONDS).toString()),
                new Block.BlockSpec(claimed.network(), claimed.cidr(), claimed.affinity()));
        return Op.put(key(claimed.network(), claimed.cidr()), ResourceCodec.toJson(block));
    }

    /** The removal of the block's object, to go into the transaction that gives the block up. */
    static Op delete(AllocationBlock block) {
        return Op.delete(key(block.network(), block.cidr()));
    }

    static String key(String network, String cidr) {
        return RegistryKeys.key(ResourceKind.BLOCK, null, Block.nameOf(network, cidr));
    }
}
