package io.drover.model.ipam;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.drover.model.Resource;
import io.drover.model.ResourceKind;
import io.drover.model.meta.ObjectMeta;
import java.util.Locale;

/**
 * An address block of a network claimed by a node: IPAM hands that node's pods their addresses from it, and every
 * other node routes the block to that node (directly in routed mode, through the overlay in VXLAN mode). Written by
 * IPAM in the same transaction that claims the block, so that it never disagrees with the allocations; read-only
 * for everyone else. As Calico's block affinities.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Block(String apiVersion, String kind, ObjectMeta metadata, BlockSpec spec) implements Resource {

    public Block {
        apiVersion = apiVersion == null ? ResourceKind.API_VERSION : apiVersion;
        kind = kind == null ? "Block" : kind;
        spec = spec == null ? new BlockSpec(null, null, null) : spec;
    }

    /**
     * @param network the network the block belongs to
     * @param cidr    the block, e.g. {@code 10.10.0.64/26}
     * @param node    the node that claimed it
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record BlockSpec(String network, String cidr, String node) {}

    public static Block of(ObjectMeta metadata, BlockSpec spec) {
        return new Block(null, null, metadata, spec);
    }

    /**
     * The object name of a network's block: the network, then the CIDR with every '.', ':' and '/' written as '-'
     * ({@code blue-10-10-0-64-26}), a valid DNS subdomain name that sorts a network's blocks together.
     */
    public static String nameOf(String network, String cidr) {
        return (network + "-" + cidr.replace('.', '-').replace(':', '-').replace('/', '-')).toLowerCase(Locale.ROOT);
    }

    @Override
    public Block withMetadata(ObjectMeta newMetadata) {
        return new Block(apiVersion, kind, newMetadata, spec);
    }
}
