package io.drover.dns.answer;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import org.xbill.DNS.Name;

/** Reverse names of whole addresses: {@code 4.3.2.1.in-addr.arpa.} and the 32 nibbles under {@code ip6.arpa.}. */
final class ReverseNames {

    private ReverseNames() {}

    /** The address a name reverses; empty for anything else (a partial name, a non-number label). */
    static Optional<InetAddress> address(Name name) {
        if (name.subdomain(Zone.IN_ADDR_ARPA) && name.labels() == Zone.IN_ADDR_ARPA.labels() + 4) {
            byte[] bytes = new byte[4];
            for (int i = 0; i < 4; i++) {
                String label = name.getLabelString(i);
                if (!label.matches("0|[1-9]\\d{0,2}") || Integer.parseInt(label) > 255) {
                    return Optional.empty();
                }
                bytes[3 - i] = (byte) Integer.parseInt(label);
            }
            return of(bytes);
        }
        if (name.subdomain(Zone.IP6_ARPA) && name.labels() == Zone.IP6_ARPA.labels() + 32) {
            byte[] bytes = new byte[16];
            for (int i = 0; i < 32; i++) {
                String label = name.getLabelString(i);
                int nibble = label.length() == 1 ? Character.digit(label.charAt(0), 16) : -1;
                if (nibble < 0) {
                    return Optional.empty();
                }
                int index = 15 - i / 2;
                bytes[index] |= (byte) (i % 2 == 0 ? nibble : nibble << 4);
            }
            return of(bytes);
        }
        return Optional.empty();
    }

    /** Whether the name lies under in-addr.arpa. or ip6.arpa. */
    static boolean isReverse(Name name) {
        return name.subdomain(Zone.IN_ADDR_ARPA) || name.subdomain(Zone.IP6_ARPA);
    }

    /** The reverse zone that holds the name, for the SOA of a negative answer. */
    static Name zoneOf(Name name) {
        return name.subdomain(Zone.IN_ADDR_ARPA) ? Zone.IN_ADDR_ARPA : Zone.IP6_ARPA;
    }

    private static Optional<InetAddress> of(byte[] bytes) {
        try {
            return Optional.of(InetAddress.getByAddress(bytes));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
