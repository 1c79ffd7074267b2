package io.drover.model.service;

import io.drover.model.net.Cidr;
import io.drover.model.net.IpAddresses;
import io.drover.model.net.IpFamily;
import java.math.BigInteger;
import java.net.InetAddress;

/**
 * Addresses LoadBalancer services get, as MetalLB's pools: a CIDR ({@code 172.31.0.200/29}: its addresses but the
 * network and broadcast ones) or an inclusive range ({@code 172.31.0.200-172.31.0.220}). IPv4 only for now.
 *
 * @param text  as the operator wrote it, for messages
 * @param first the first address handed out
 * @param last  the last address handed out (inclusive)
 */
public record AddressPool(String text, InetAddress first, InetAddress last) {

    public AddressPool {
        if (value(first).compareTo(value(last)) > 0) {
            throw new IllegalArgumentException("pool " + text + " ends before it starts; write FIRST-LAST with FIRST "
                    + "not after LAST, e.g. 172.31.0.200-172.31.0.220");
        }
    }

    /** Parses {@code CIDR} or {@code FIRST-LAST}; the message says what is wrong and what to write. */
    public static AddressPool parse(String text) {
        String spec = text == null ? "" : text.strip();
        if (spec.isEmpty()) {
            throw new IllegalArgumentException("an address pool is empty; write a CIDR (172.31.0.200/29) or a range "
                    + "(172.31.0.200-172.31.0.220)");
        }
        try {
            if (spec.contains("/")) {
                Cidr cidr = Cidr.parse(spec);
                requireIpv4(spec, cidr.family());
                boolean hasNetworkAndBroadcast = cidr.prefixLength() <= 30;
                BigInteger first = hasNetworkAndBroadcast ? cidr.first().add(BigInteger.ONE) : cidr.first();
                BigInteger last = hasNetworkAndBroadcast ? cidr.last().subtract(BigInteger.ONE) : cidr.last();
                return new AddressPool(spec, IpAddresses.fromBigInteger(first, IpFamily.IPV4),
                        IpAddresses.fromBigInteger(last, IpFamily.IPV4));
            }
            int dash = spec.indexOf('-');
            if (dash < 0) {
                InetAddress single = IpAddresses.parse(spec);
                requireIpv4(spec, IpFamily.of(single));
                return new AddressPool(spec, single, single);
            }
            InetAddress first = IpAddresses.parse(spec.substring(0, dash).strip());
            InetAddress last = IpAddresses.parse(spec.substring(dash + 1).strip());
            requireIpv4(spec, IpFamily.of(first));
            requireIpv4(spec, IpFamily.of(last));
            return new AddressPool(spec, first, last);
        } catch (IllegalArgumentException e) {
            throw e.getMessage().startsWith("pool ") ? e : new IllegalArgumentException("pool " + spec + ": "
                    + e.getMessage() + "; write a CIDR (172.31.0.200/29) or a range (172.31.0.200-172.31.0.220)");
        }
    }

    private static void requireIpv4(String spec, IpFamily family) {
        if (family != IpFamily.IPV4) {
            throw new IllegalArgumentException("pool " + spec + " is IPv6, and Drover's load balancer pools are IPv4 "
                    + "only for now; give an IPv4 CIDR or range");
        }
    }

    public long size() {
        return value(last).subtract(value(first)).longValueExact() + 1;
    }

    /** The address at {@code offset} (0 is {@link #first}). */
    public InetAddress address(long offset) {
        if (offset < 0 || offset >= size()) {
            throw new IllegalArgumentException("offset " + offset + " is outside pool " + text);
        }
        return IpAddresses.fromBigInteger(value(first).add(BigInteger.valueOf(offset)), IpFamily.of(first));
    }

    public boolean contains(InetAddress address) {
        if (IpFamily.of(address) != IpFamily.of(first)) {
            return false;
        }
        BigInteger v = value(address);
        return v.compareTo(value(first)) >= 0 && v.compareTo(value(last)) <= 0;
    }

    private static BigInteger value(InetAddress address) {
        return IpAddresses.toBigInteger(address);
    }

    @Override
    public String toString() {
        return text;
    }
}
