package io.drover.controllers.ipam;

/**
 * Where IPAM state lives in the store, beside (never inside) the registry's {@code /drover/registry/}:
 * <ul>
 *   <li>{@code /drover/ipam/blocks/<network>/<block>}: an {@link AllocationBlock}, the block's CIDR with '/'
 *       written as '-' ({@code 10.10.0.64-26});</li>
 *   <li>{@code /drover/ipam/handles/<network>/<handle>}: a {@link HandleRecord}.</li>
 * </ul>
 * Network names cannot hold '/', handles never do, so a network's prefix never captures another's keys.
 */
public final class IpamKeys {

    public static final String ROOT = "/drover/ipam/";
    public static final String BLOCKS = ROOT + "blocks/";
    public static final String HANDLES = ROOT + "handles/";

    private IpamKeys() {}

    public static String blocks(String network) {
        return BLOCKS + network + "/";
    }

    public static String block(String network, String cidr) {
        return blocks(network) + cidr.replace('/', '-');
    }

    public static String handles(String network) {
        return HANDLES + network + "/";
    }

    public static String handle(String network, HandleId handle) {
        return handles(network) + handle;
    }
}
