package io.drover.policy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/** The ports an allow entry opens: every port of every protocol, or some port ranges. */
public sealed interface PortSet {

    boolean allows(String protocol, int port);

    /** A rule that lists no ports: every protocol, every port, including protocols without ports (ICMP). */
    record AnyPort() implements PortSet {
        @Override
        public boolean allows(String protocol, int port) {
            return true;
        }

        @Override
        public String toString() {
            return "any port and protocol";
        }
    }

    /** Non-overlapping ranges, by protocol and then port. */
    record Ranges(List<PortRange> ranges) implements PortSet {

        public Ranges {
            ranges = List.copyOf(ranges);
        }

        @Override
        public boolean allows(String protocol, int port) {
            return ranges.stream().anyMatch(range -> range.contains(protocol, port));
        }

        @Override
        public String toString() {
            return ranges.stream().map(PortRange::toString).collect(Collectors.joining(", "));
        }
    }

    static PortSet any() {
        return new AnyPort();
    }

    /** The ranges merged where they overlap or touch, so the data plane gets each port once. */
    static PortSet of(Collection<PortRange> ranges) {
        List<PortRange> merged = new ArrayList<>();
        for (PortRange range : ranges.stream().sorted().toList()) {
            PortRange last = merged.isEmpty() ? null : merged.getLast();
            if (last != null && last.protocol().equals(range.protocol()) && range.from() <= last.to() + 1) {
                merged.set(merged.size() - 1, new PortRange(last.protocol(), last.from(), Math.max(last.to(), range.to())));
            } else {
                merged.add(range);
            }
        }
        return new Ranges(merged);
    }
}
