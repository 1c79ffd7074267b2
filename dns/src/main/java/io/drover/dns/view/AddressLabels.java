package io.drover.dns.view;

import io.drover.model.net.IpAddresses;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Optional;

/**
 * An address written as one DNS label, as CoreDNS names pods ({@code 10-3-0-7.ns.pod.zone}) and endpoints without a
 * hostname ({@code 10-3-0-7.svc.ns.svc.zone}): the dots (IPv4) or colons (IPv6, compressed form) become dashes.
 */
public final class AddressLabels {

    private AddressLabels() {}

    /** {@code 10.3.0.7} → {@code 10-3-0-7}; {@code 2001:db8::1} → {@code 2001-db8--1}. */
    public static String of(InetAddress address) {
        String text = IpAddresses.format(address);
        return address instanceof Inet4Address ? text.replace('.', '-') : text.replace(':', '-');
    }

    /** The address a label names, if it names one (either family; case-insensitive hex). */
    public static Optional<InetAddress> parse(String label) {
        if (label == null || label.isEmpty() || label.length() > 63) {
            return Optional.empty();
        }
        long dashes = label.chars().filter(c -> c == '-').count();
        String v4 = label.replace('-', '.');
        if (dashes == 3 && IpAddresses.isValid(v4)) {
            return Optional.of(IpAddresses.parse(v4));
        }
        String v6 = label.replace('-', ':');
        if (dashes >= 2 && v6.contains(":") && IpAddresses.isValid(v6)) {
            InetAddress address = IpAddresses.parse(v6);
            // "::ffff:10.0.0.1"-style text makes Java hand back an IPv4 address; such a label names no pod.
            return address instanceof Inet4Address ? Optional.empty() : Optional.of(address);
        }
        return Optional.empty();
    }
}
