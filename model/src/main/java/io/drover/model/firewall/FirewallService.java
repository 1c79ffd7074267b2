package io.drover.model.firewall;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A service a rule matches: {@code protocol} TCP (the default), UDP, SCTP or ICMP (ICMP for IPv4, ICMPv6 for IPv6);
 * {@code port} a destination port number, omitted for every port of the protocol; {@code endPort} makes {@code port}
 * the start of a range. ICMP has no ports.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FirewallService(String protocol, Integer port, Integer endPort) {

    public static final String ICMP = "ICMP";

    @JsonIgnore
    public String effectiveProtocol() {
        return protocol == null || protocol.isEmpty() ? "TCP" : protocol;
    }
}
