package io.drover.dns.answer;

import java.util.Locale;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.TextParseException;

/**
 * The cluster zone as DNS serves it.
 *
 * @param name       the cluster domain, absolute and lower case ({@code cluster.local.})
 * @param ttl        the TTL of every record, and of negative answers (the SOA minimum)
 * @param podRecords which pod address names answer
 */
public record Zone(Name name, long ttl, PodRecords podRecords) {

    public static final String DEFAULT_DOMAIN = "cluster.local";
    /** CoreDNS's default TTL for the kubernetes plugin. */
    public static final long DEFAULT_TTL = 5;
    /** The schema version {@code dns-version.<zone>} answers. */
    public static final String SCHEMA_VERSION = "1.1.0";
    static final Name IN_ADDR_ARPA = Name.fromConstantString("in-addr.arpa.");
    static final Name IP6_ARPA = Name.fromConstantString("ip6.arpa.");

    public Zone {
        if (!name.isAbsolute()) {
            throw new IllegalArgumentException("the zone must be an absolute name: " + name);
        }
        if (ttl < 0 || ttl > 3600) {
            throw new IllegalArgumentException("TTL " + ttl + " is out of range; give 0 to 3600 seconds");
        }
    }

    public static Zone of(String domain, long ttl, PodRecords podRecords) {
        try {
            String text = domain.toLowerCase(Locale.ROOT);
            return new Zone(Name.fromString(text.endsWith(".") ? text : text + "."), ttl, podRecords);
        } catch (TextParseException e) {
            throw new IllegalArgumentException("\"" + domain + "\" is not a domain name: " + e.getMessage());
        }
    }

    public static Zone defaults() {
        return of(DEFAULT_DOMAIN, DEFAULT_TTL, PodRecords.VERIFIED);
    }

    /** {@code labels...zone}, e.g. {@code name("web", "shop", "svc")} = {@code web.shop.svc.cluster.local.}. */
    public Name name(String... labels) {
        try {
            return Name.fromString(String.join(".", labels), name);
        } catch (TextParseException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The primary name server the SOA and NS records name: {@code ns.dns.<zone>}, as CoreDNS. */
    public Name nameServer() {
        return name("ns", "dns");
    }

    /** The SOA of {@code owner} (the zone, or a reverse zone): CoreDNS's timers, the TTL as the negative TTL. */
    SOARecord soa(Name owner, long serial) {
        return new SOARecord(owner, DClass.IN, ttl, nameServer(), name("hostmaster"), serial & 0xffffffffL,
                7200, 1800, 86400, ttl);
    }

    NSRecord ns() {
        return new NSRecord(name, DClass.IN, ttl, nameServer());
    }
}
