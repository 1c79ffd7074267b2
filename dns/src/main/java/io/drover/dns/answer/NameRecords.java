package io.drover.dns.answer;

import java.util.List;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/**
 * Everything one name of the zone holds.
 *
 * @param exists     false: NXDOMAIN (nothing at or below the name)
 * @param records    its records of every type (none: an empty non-terminal, or a name without data yet)
 * @param additional address records of the names its SRV records point at
 * @param cname      the name it is an alias of (an ExternalName service); null otherwise
 */
record NameRecords(boolean exists, List<Record> records, List<Record> additional, Name cname) {

    static final NameRecords NX = new NameRecords(false, List.of(), List.of(), null);
    static final NameRecords EMPTY = new NameRecords(true, List.of(), List.of(), null);

    static NameRecords of(List<Record> records) {
        return new NameRecords(true, List.copyOf(records), List.of(), null);
    }

    static NameRecords of(List<Record> records, List<Record> additional) {
        return new NameRecords(true, List.copyOf(records), List.copyOf(additional), null);
    }

    static NameRecords alias(Name target) {
        return new NameRecords(true, List.of(), List.of(), target);
    }
}
