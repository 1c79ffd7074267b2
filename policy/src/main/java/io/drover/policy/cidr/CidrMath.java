package io.drover.policy.cidr;

import io.drover.model.net.Cidr;
import io.drover.model.net.IpAddresses;
import io.drover.model.net.IpFamily;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Set arithmetic on prefixes. The data plane takes address sets as lists of prefixes, so an ipBlock with
 * {@code except}s must become the prefixes that cover exactly the addresses left, and a union of prefixes the
 * fewest non-overlapping ones (nftables interval sets refuse overlapping elements).
 */
public final class CidrMath {

    private CidrMath() {}

    /** The prefix holding only this address: a /32 or a /128. */
    public static Cidr host(InetAddress address) {
        return Cidr.containing(address, IpFamily.of(address).bits());
    }

    /** Every address of a family: 0.0.0.0/0 or ::/0. */
    public static Cidr everything(IpFamily family) {
        return Cidr.parse(family == IpFamily.IPV4 ? "0.0.0.0/0" : "::/0");
    }

    /**
     * The addresses of {@code from} that are in none of {@code removed}, as non-overlapping prefixes in address
     * order. Removed prefixes of the other family or outside {@code from} change nothing.
     */
    public static List<Cidr> subtract(Cidr from, Collection<Cidr> removed) {
        List<Cidr> result = new ArrayList<>();
        subtractInto(from, List.copyOf(removed), result);
        return List.copyOf(result);
    }

    // Halving until each piece is either untouched or wholly removed yields at most (prefix bits) pieces per
    // removed prefix, and yields them in address order.
    private static void subtractInto(Cidr from, List<Cidr> removed, List<Cidr> result) {
        List<Cidr> overlapping = removed.stream().filter(from::overlaps).toList();
        if (overlapping.isEmpty()) {
            result.add(from);
            return;
        }
        if (overlapping.stream().anyMatch(r -> r.contains(from))) {
            return;
        }
        List<Cidr> halves = halves(from);
        subtractInto(halves.get(0), overlapping, result);
        subtractInto(halves.get(1), overlapping, result);
    }

    /**
     * The union of the prefixes as the fewest non-overlapping prefixes, IPv4 before IPv6, each family in address
     * order: prefixes inside others are dropped, and two halves of one prefix become that prefix.
     */
    public static List<Cidr> normalize(Collection<Cidr> cidrs) {
        List<Cidr> merged = new ArrayList<>();
        for (Cidr cidr : cidrs.stream().sorted().toList()) {
            // Sorted and disjoint, so only the last kept prefix can contain the next one.
            if (!merged.isEmpty() && merged.getLast().contains(cidr)) {
                continue;
            }
            merged.add(cidr);
            // Like a carry in binary addition: a merged parent may complete a pair with the prefix before it.
            while (merged.size() >= 2 && areHalves(merged.get(merged.size() - 2), merged.getLast())) {
                Cidr parent = parent(merged.getLast());
                merged.removeLast();
                merged.removeLast();
                merged.add(parent);
            }
        }
        return List.copyOf(merged);
    }

    /** The two prefixes one bit longer that make up {@code cidr}, lower half first. */
    public static List<Cidr> halves(Cidr cidr) {
        IpFamily family = cidr.family();
        if (cidr.prefixLength() == family.bits()) {
            throw new IllegalArgumentException(cidr + " is a single address and has no halves");
        }
        int length = cidr.prefixLength() + 1;
        InetAddress upper = IpAddresses.fromBigInteger(cidr.first().add(cidr.size().shiftRight(1)), family);
        return List.of(new Cidr(cidr.network(), length), new Cidr(upper, length));
    }

    private static boolean areHalves(Cidr lower, Cidr upper) {
        return lower.family() == upper.family()
                && lower.prefixLength() == upper.prefixLength()
                && lower.prefixLength() > 0
                && !lower.equals(upper)
                && parent(lower).equals(parent(upper));
    }

    private static Cidr parent(Cidr cidr) {
        return Cidr.containing(cidr.network(), cidr.prefixLength() - 1);
    }
}
