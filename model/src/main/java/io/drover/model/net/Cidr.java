package io.drover.model.net;

import java.math.BigInteger;
import java.net.InetAddress;

/**
 * An IP prefix such as {@code 10.10.0.0/16} or {@code fd00:10::/64}. Always in canonical form: host bits
 * are zero ({@link #parse} refuses a CIDR with host bits set, naming the network it probably meant).
 */
public record Cidr(InetAddress network, int prefixLength) implements Comparable<Cidr> {

    public Cidr {
        IpFamily family = IpFamily.of(network);
        if (prefixLength < 0 || prefixLength > family.bits()) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is out of range 0-" + family.bits());
        }
    }

    public static Cidr parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("empty CIDR");
        }
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("'" + text + "' is not a CIDR: expected ADDRESS/PREFIX, e.g. 10.10.0.0/16");
        }
        InetAddress address = IpAddresses.parse(text.substring(0, slash));
        IpFamily family = IpFamily.of(address);
        int prefix;
        try {
            prefix = Integer.parseInt(text.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' has a prefix length that is not a number");
        }
        if (prefix < 0 || prefix > family.bits()) {
            throw new IllegalArgumentException("'" + text + "' has prefix length " + prefix + ", outside 0-" + family.bits());
        }
        Cidr cidr = containing(address, prefix);
        if (!cidr.network.equals(address)) {
            throw new IllegalArgumentException("'" + text + "' has host bits set; did you mean " + cidr + "?");
        }
        return cidr;
    }

    /** The prefix of the given length that contains the address. */
    public static Cidr containing(InetAddress address, int prefixLength) {
        IpFamily family = IpFamily.of(address);
        BigInteger value = IpAddresses.toBigInteger(address);
        BigInteger mask = BigInteger.ONE.shiftLeft(family.bits() - prefixLength).subtract(BigInteger.ONE).not();
        return new Cidr(IpAddresses.fromBigInteger(value.and(mask), family), prefixLength);
    }

    public IpFamily family() {
        return IpFamily.of(network);
    }

    public BigInteger size() {
        return BigInteger.ONE.shiftLeft(family().bits() - prefixLength);
    }

    public BigInteger first() {
        return IpAddresses.toBigInteger(network);
    }

    public BigInteger last() {
        return first().add(size()).subtract(BigInteger.ONE);
    }

    public InetAddress address(BigInteger offset) {
        if (offset.signum() < 0 || offset.compareTo(size()) >= 0) {
            throw new IllegalArgumentException("offset " + offset + " is outside " + this);
        }
        return IpAddresses.fromBigInteger(first().add(offset), family());
    }

    public InetAddress firstHost() {
        return address(size().compareTo(BigInteger.ONE) > 0 ? BigInteger.ONE : BigInteger.ZERO);
    }

    /** The broadcast address of an IPv4 subnet (its last address); IPv6 has none. */
    public InetAddress lastAddress() {
        return IpAddresses.fromBigInteger(last(), family());
    }

    public boolean contains(InetAddress address) {
        if (IpFamily.of(address) != family()) {
            return false;
        }
        BigInteger v = IpAddresses.toBigInteger(address);
        return v.compareTo(first()) >= 0 && v.compareTo(last()) <= 0;
    }

    public boolean contains(Cidr other) {
        return other.family() == family() && other.prefixLength >= prefixLength && contains(other.network);
    }

    public boolean overlaps(Cidr other) {
        return contains(other) || other.contains(this);
    }

    /** Offset of an address inside this prefix. */
    public BigInteger offsetOf(InetAddress address) {
        if (!contains(address)) {
            throw new IllegalArgumentException(IpAddresses.format(address) + " is not in " + this);
        }
        return IpAddresses.toBigInteger(address).subtract(first());
    }

    @Override
    public int compareTo(Cidr o) {
        int c = Integer.compare(family().bits(), o.family().bits());
        if (c != 0) {
            return c;
        }
        c = first().compareTo(o.first());
        return c != 0 ? c : Integer.compare(prefixLength, o.prefixLength);
    }

    @Override
    public String toString() {
        return IpAddresses.format(network) + "/" + prefixLength;
    }
}
