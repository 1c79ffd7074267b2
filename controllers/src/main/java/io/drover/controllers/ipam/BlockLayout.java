package io.drover.controllers.ipam;

import io.drover.model.net.Cidr;
import io.drover.model.net.IpAddresses;
import io.drover.model.net.IpFamily;
import java.math.BigInteger;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * How one subnet of a network is cut into per-node blocks, and which addresses are never handed out.
 *
 * <p>Block {@code i} is the {@code i}-th prefix of length {@link #blockPrefix} inside the subnet; an address
 * inside a block is named by its ordinal (offset from the block's first address). A subnet smaller than the
 * configured block size is one block.
 *
 * <p>Reserved: the subnet's first address (IPv4 network address, IPv6 subnet-router anycast), its last address
 * (IPv4 broadcast; for IPv6 the top of the range RFC 2526 reserves for subnet anycast, and keeping it out makes
 * the rule and the counts users see the same for both families), and the gateway.
 */
public record BlockLayout(Cidr subnet, int blockPrefix, InetAddress gateway) {

    /**
     * Blocks are stored as one value holding an entry per address; 2^16 addresses per block keeps that value
     * small enough for etcd's request limit and for the per-allocation compare-and-swap to stay cheap.
     */
    public static final int MAX_BLOCK_HOST_BITS = 16;

    public BlockLayout {
        if (blockPrefix < subnet.prefixLength() || blockPrefix > subnet.family().bits()) {
            throw new IllegalArgumentException("block prefix /" + blockPrefix + " does not fit in " + subnet);
        }
        if (!subnet.contains(gateway)) {
            throw new IllegalArgumentException("gateway " + IpAddresses.format(gateway) + " is not in " + subnet);
        }
    }

    /**
     * The layout of {@code subnet} for a configured block prefix length: the subnet itself when it is smaller
     * than a block. Refuses blocks too large to store as one value, saying which setting to change.
     */
    public static BlockLayout of(Cidr subnet, int configuredBlockPrefix, InetAddress gateway) {
        int bits = subnet.family().bits();
        int blockPrefix = Math.max(configuredBlockPrefix, subnet.prefixLength());
        if (bits - blockPrefix > MAX_BLOCK_HOST_BITS) {
            String setting = subnet.family() == IpFamily.IPV4 ? "ipv4BlockSize" : "ipv6BlockSize";
            throw new IllegalArgumentException("block size /" + configuredBlockPrefix + " for " + subnet + " is too large: at most "
                    + (1 << MAX_BLOCK_HOST_BITS) + " addresses per block; set spec." + setting + " to "
                    + (bits - MAX_BLOCK_HOST_BITS) + " or more");
        }
        return new BlockLayout(subnet, Math.min(blockPrefix, bits), gateway);
    }

    public IpFamily family() {
        return subnet.family();
    }

    /** Addresses per block. */
    public int blockSize() {
        return 1 << (family().bits() - blockPrefix);
    }

    /** How many blocks the subnet holds (2^58 for a /64 in /122 blocks, hence BigInteger). */
    public BigInteger blockCount() {
        return BigInteger.ONE.shiftLeft(blockPrefix - subnet.prefixLength());
    }

    /** The {@code index}-th block of the subnet. */
    public Cidr block(BigInteger index) {
        if (index.signum() < 0 || index.compareTo(blockCount()) >= 0) {
            throw new IllegalArgumentException("block " + index + " is outside " + subnet + " (" + blockCount() + " blocks)");
        }
        return new Cidr(IpAddresses.fromBigInteger(subnet.first().add(index.shiftLeft(family().bits() - blockPrefix)), family()), blockPrefix);
    }

    /** Whether {@code cidr} is one of this layout's blocks (inside the subnet, of the block size). */
    public boolean isBlock(Cidr cidr) {
        return cidr.prefixLength() == blockPrefix && subnet.contains(cidr);
    }

    public BigInteger indexOf(Cidr block) {
        if (!isBlock(block)) {
            throw new IllegalArgumentException(block + " is not a /" + blockPrefix + " block of " + subnet);
        }
        return block.first().subtract(subnet.first()).shiftRight(family().bits() - blockPrefix);
    }

    /** The subnet addresses that are never handed out, in ascending order. */
    public List<InetAddress> reservedAddresses() {
        TreeSet<BigInteger> values = new TreeSet<>(List.of(subnet.first(), subnet.last(), IpAddresses.toBigInteger(gateway)));
        List<InetAddress> out = new ArrayList<>();
        for (BigInteger v : values) {
            out.add(IpAddresses.fromBigInteger(v, family()));
        }
        return out;
    }

    /** The ordinals of {@code block} that are reserved, ascending. */
    public List<Integer> reservedOrdinals(Cidr block) {
        List<Integer> out = new ArrayList<>();
        for (InetAddress a : reservedAddresses()) {
            if (block.contains(a)) {
                out.add(block.offsetOf(a).intValueExact());
            }
        }
        return out;
    }

    /** How many addresses of the subnet can be handed out at all. */
    public BigInteger usableAddresses() {
        return subnet.size().subtract(BigInteger.valueOf(reservedAddresses().size())).max(BigInteger.ZERO);
    }

    /** A fresh, empty block of this layout claimed by {@code node}. */
    public AllocationBlock newBlock(String network, Cidr block, String node) {
        if (!isBlock(block)) {
            throw new IllegalArgumentException(block + " is not a /" + blockPrefix + " block of " + subnet);
        }
        return AllocationBlock.empty(network, block, node, blockSize(), reservedOrdinals(block));
    }
}
