package io.drover.policy;

import io.drover.model.net.Cidr;
import java.util.List;
import java.util.Objects;

/**
 * A security group's members at the snapshot's moment, nested groups included.
 *
 * @param pods      the pods chosen by labels or namespace, in name order
 * @param blocks    the address blocks, excepts taken out, as non-overlapping prefixes
 * @param addresses every member address: the pods' and the blocks, as non-overlapping prefixes (what an address set
 *                  of the group holds)
 */
public record GroupMembers(String group, List<NamespacedName> pods, List<Cidr> blocks, List<Cidr> addresses) {

    public GroupMembers {
        Objects.requireNonNull(group, "group");
        pods = List.copyOf(pods);
        blocks = List.copyOf(blocks);
        addresses = List.copyOf(addresses);
    }
}
