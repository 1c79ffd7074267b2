package io.drover.model.validation;

import io.drover.model.ipam.Block;
import io.drover.model.net.Cidr;

/** A block: its network, CIDR and node are all given, and its name is the one {@link Block#nameOf} gives. */
final class BlockRules {

    private BlockRules() {}

    static void validate(Block block, Errors errors) {
        Block.BlockSpec spec = block.spec();
        required("spec.network", spec.network(), errors);
        required("spec.node", spec.node(), errors);
        if (!required("spec.cidr", spec.cidr(), errors)) {
            return;
        }
        try {
            Cidr.parse(spec.cidr());
        } catch (IllegalArgumentException e) {
            errors.add("spec.cidr", e.getMessage());
            return;
        }
        if (spec.network() != null && block.name() != null && !block.name().equals(Block.nameOf(spec.network(), spec.cidr()))) {
            errors.add("metadata.name", "must be " + Block.nameOf(spec.network(), spec.cidr())
                    + " for block " + spec.cidr() + " of network " + spec.network());
        }
    }

    private static boolean required(String field, String value, Errors errors) {
        if (value == null || value.isEmpty()) {
            errors.add(field, "is required");
            return false;
        }
        return true;
    }
}
