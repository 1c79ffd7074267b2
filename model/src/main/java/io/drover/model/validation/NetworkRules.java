package io.drover.model.validation;

import io.drover.model.net.Cidr;
import io.drover.model.net.IpAddresses;
import io.drover.model.net.IpFamily;
import io.drover.model.network.NetworkSpec;
import java.net.InetAddress;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A network's address plan: one subnet per family, each with room for hosts, gateways inside their subnets,
 * per-node blocks that fit, and an MTU a link can carry.
 */
final class NetworkRules {

    /** Smallest subnets: a /30 leaves 2 host addresses, a /126 leaves 3 besides the network address. */
    static final int MAX_IPV4_PREFIX = 30;
    static final int MAX_IPV6_PREFIX = 126;
    static final int MIN_MTU = 576;
    static final int MIN_IPV6_MTU = 1280;
    static final int MAX_MTU = 9000;

    private NetworkRules() {}

    static void validate(NetworkSpec spec, Errors errors) {
        if (spec == null) {
            errors.add("spec", "is required: a network needs spec.subnets, e.g. [\"10.10.0.0/16\"]");
            return;
        }
        Map<IpFamily, Cidr> subnets = new EnumMap<>(IpFamily.class);
        boolean subnetsValid = validateSubnets(spec.subnets(), subnets, errors);
        validateGateways(spec.gateways(), subnets, subnetsValid, errors);
        validateBlockSize("spec.ipv4BlockSize", spec.ipv4BlockSize(), NetworkSpec.DEFAULT_IPV4_BLOCK_SIZE,
                MAX_IPV4_PREFIX, subnets.get(IpFamily.IPV4), "IPv4", subnetsValid, errors);
        validateBlockSize("spec.ipv6BlockSize", spec.ipv6BlockSize(), NetworkSpec.DEFAULT_IPV6_BLOCK_SIZE,
                MAX_IPV6_PREFIX, subnets.get(IpFamily.IPV6), "IPv6", subnetsValid, errors);
        if (spec.mtu() != null) {
            boolean ipv6 = subnets.containsKey(IpFamily.IPV6);
            int min = ipv6 ? MIN_IPV6_MTU : MIN_MTU;
            if (spec.mtu() < min || spec.mtu() > MAX_MTU) {
                errors.add("spec.mtu", "must be between " + min + " and " + MAX_MTU
                        + (ipv6 ? " (IPv6 needs at least " + MIN_IPV6_MTU + ")" : "") + "; it is " + spec.mtu());
            }
        }
    }

    /** Fills {@code byFamily} with the valid subnets; false if any subnet could not be read. */
    private static boolean validateSubnets(List<String> subnets, Map<IpFamily, Cidr> byFamily, Errors errors) {
        if (subnets.isEmpty()) {
            errors.add("spec.subnets", "is required: give one IPv4 and/or one IPv6 subnet, "
                    + "e.g. [\"10.10.0.0/16\", \"fd00:10::/64\"]");
            return true;
        }
        if (subnets.size() > 2) {
            errors.add("spec.subnets", "has " + subnets.size() + " subnets; a network has at most 2, "
                    + "one IPv4 and one IPv6: create another network for more addresses");
        }
        boolean allValid = true;
        Map<IpFamily, Integer> indexOf = new EnumMap<>(IpFamily.class);
        for (int i = 0; i < subnets.size(); i++) {
            String field = Errors.index("spec.subnets", i);
            Cidr cidr;
            try {
                cidr = Cidr.parse(subnets.get(i));
            } catch (IllegalArgumentException e) {
                errors.add(field, e.getMessage());
                allValid = false;
                continue;
            }
            int maxPrefix = cidr.family() == IpFamily.IPV4 ? MAX_IPV4_PREFIX : MAX_IPV6_PREFIX;
            if (cidr.prefixLength() > maxPrefix) {
                errors.add(field, cidr + " leaves no room for pods: an " + name(cidr.family())
                        + " subnet needs a prefix length of at most " + maxPrefix);
            }
            Integer earlier = indexOf.get(cidr.family());
            if (earlier != null) {
                Cidr other = byFamily.get(cidr.family());
                String where = Errors.index("spec.subnets", earlier) + " (" + other + ")";
                errors.add(field, cidr.overlaps(other)
                        ? cidr + " overlaps " + where + "; a network has one subnet per family"
                        : "a network has at most one " + name(cidr.family()) + " subnet, and " + where
                                + " is one already; create another network for " + cidr);
            } else {
                indexOf.put(cidr.family(), i);
                byFamily.put(cidr.family(), cidr);
            }
        }
        return allValid;
    }

    private static void validateGateways(List<String> gateways, Map<IpFamily, Cidr> subnets, boolean subnetsValid,
            Errors errors) {
        Map<IpFamily, Integer> indexOf = new EnumMap<>(IpFamily.class);
        for (int i = 0; i < gateways.size(); i++) {
            String field = Errors.index("spec.gateways", i);
            InetAddress address;
            try {
                address = IpAddresses.parse(gateways.get(i));
            } catch (IllegalArgumentException e) {
                errors.add(field, e.getMessage());
                continue;
            }
            IpFamily family = IpFamily.of(address);
            String text = IpAddresses.format(address);
            Integer earlier = indexOf.putIfAbsent(family, i);
            if (earlier != null) {
                errors.add(field, "a network has at most one " + name(family) + " gateway, and "
                        + Errors.index("spec.gateways", earlier) + " is one already");
                continue;
            }
            Cidr subnet = subnets.get(family);
            if (subnet == null) {
                if (subnetsValid) {
                    errors.add(field, text + " is " + name(family) + " but the network has no " + name(family)
                            + " subnet; remove it or add a subnet that contains it");
                }
            } else if (!subnet.contains(address)) {
                errors.add(field, text + " is not inside the subnet " + subnet + "; a gateway is an address of its subnet, e.g. "
                        + IpAddresses.format(subnet.firstHost()));
            } else if (address.equals(subnet.network())) {
                errors.add(field, text + " is the network address of " + subnet + "; use a host address, e.g. "
                        + IpAddresses.format(subnet.firstHost()));
            } else if (family == IpFamily.IPV4 && address.equals(subnet.lastAddress())) {
                errors.add(field, text + " is the broadcast address of " + subnet + "; use a host address, e.g. "
                        + IpAddresses.format(subnet.firstHost()));
            }
        }
    }

    /** A per-node block lies inside the subnet and leaves room for hosts; the default must fit too. */
    private static void validateBlockSize(String field, Integer blockSize, int defaultSize, int max, Cidr subnet,
            String family, boolean subnetsValid, Errors errors) {
        if (subnet == null) {
            if (blockSize != null && subnetsValid) {
                errors.add(field, "is set but the network has no " + family + " subnet; remove it or add an "
                        + family + " subnet");
            }
            return;
        }
        int min = subnet.prefixLength();
        if (min > max) {
            return; // the subnet itself is too small, and says so
        }
        if (blockSize == null) {
            if (defaultSize < min) {
                String name = field.substring("spec.".length());
                errors.add(field, "is not set, and the default block size " + defaultSize + " is larger than the subnet "
                        + subnet + "; set " + name + (min == max ? " to " + max : " between " + min + " and " + max));
            }
            return;
        }
        if (blockSize < min || blockSize > max) {
            errors.add(field, "must be between " + min + " (the prefix length of " + subnet + ") and " + max
                    + "; it is " + blockSize);
        }
    }

    private static String name(IpFamily family) {
        return family == IpFamily.IPV4 ? "IPv4" : "IPv6";
    }
}
