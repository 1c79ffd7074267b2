package io.drover.cli.dns;

import io.drover.dns.DnsOptions;
import io.drover.dns.answer.PodRecords;
import io.drover.dns.answer.Zone;
import io.drover.dns.net.NetnsAddress;
import io.drover.model.net.Cidr;
import io.drover.model.service.ServiceNetworkOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Turns the DNS flags of {@code drover dns} and {@code drover server --dns} into {@link DnsOptions}; each mistake
 * names its flag, what is wrong and what to write.
 */
public final class DnsFlags {

    private DnsFlags() {}

    /**
     * @param listenFlag the flag the address came from ({@code --listen}, {@code --dns}), for messages
     * @param ttl        null: the default
     * @param pods       null: the default (verified)
     * @param serviceCidr null: the default
     */
    public static DnsOptions parse(CommandSpec spec, String listenFlag, String listen, String zone, List<String> upstreams,
            String ttl, String pods, String serviceCidr, String zoneFlag, String upstreamFlag) {
        return parse(spec, listenFlag, List.of(listen), zone, upstreams, ttl, pods, serviceCidr, zoneFlag, upstreamFlag);
    }

    /** As above, for a server that listens on several addresses ({@code drover dns --listen A --listen B}). */
    public static DnsOptions parse(CommandSpec spec, String listenFlag, List<String> listens, String zone,
            List<String> upstreams, String ttl, String pods, String serviceCidr, String zoneFlag, String upstreamFlag) {
        List<NetnsAddress> addresses = new ArrayList<>();
        for (String l : listens) {
            addresses.add(parsed(spec, listenFlag, () -> DnsOptions.parseListen(l)));
        }
        String domain = parsed(spec, zoneFlag, () -> DnsOptions.parseZone(zone == null ? Zone.DEFAULT_DOMAIN : zone));
        long seconds = ttl == null ? Zone.DEFAULT_TTL : parsed(spec, "--ttl", () -> DnsOptions.parseTtl(ttl));
        PodRecords podRecords = pods == null ? PodRecords.VERIFIED : parsed(spec, "--pods", () -> DnsOptions.parsePodRecords(pods));
        List<NetnsAddress> upstreamAddresses = new ArrayList<>();
        for (String u : upstreams == null ? List.<String>of() : upstreams) {
            upstreamAddresses.add(parsed(spec, upstreamFlag, () -> DnsOptions.parseUpstream(u)));
        }
        Cidr cidr = parsed(spec, "--service-cidr", () -> ServiceNetworkOptions.parseServiceCidr(
                serviceCidr == null ? ServiceNetworkOptions.DEFAULT_SERVICE_CIDR : serviceCidr));
        return DnsOptions.on(addresses.getFirst().address()).withListen(addresses).withZone(Zone.of(domain, seconds, podRecords)).withUpstreams(upstreamAddresses)
                .withReverseCidrs(List.of(cidr));
    }

    private static <T> T parsed(CommandSpec spec, String flag, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), flag + ": " + e.getMessage());
        }
    }
}
