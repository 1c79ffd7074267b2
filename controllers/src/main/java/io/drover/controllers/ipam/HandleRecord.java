package io.drover.controllers.ipam;

import java.util.List;

/**
 * What the store keeps per handle and network: the addresses it holds and the blocks they came from. Written
 * in the same transaction as the blocks, so the two never disagree; a retry with the same handle answers from
 * here.
 *
 * @param handle    the {@link HandleId} in its string form
 * @param ownerType {@code POD} or {@code CONTAINER}: which garbage collector is responsible
 * @param owner     the pod uid or container id
 * @param node      the node that asked, whose blocks were tried first
 */
public record HandleRecord(
        String handle,
        HandleId.OwnerType ownerType,
        String owner,
        String interfaceName,
        String network,
        String node,
        List<Address> addresses) {

    public HandleRecord {
        addresses = addresses == null ? List.of() : List.copyOf(addresses);
    }

    /**
     * One address of the handle.
     *
     * @param prefix  the prefix length of the network's subnet (not of the block): what the interface gets
     * @param block   the store key of the block the address belongs to
     */
    public record Address(String ip, int prefix, String gateway, String block) {}

    public HandleId id() {
        return HandleId.parse(handle);
    }

    public List<AllocatedAddress> allocated() {
        return addresses.stream().map(a -> new AllocatedAddress(network, a.ip(), a.prefix(), a.gateway())).toList();
    }
}
