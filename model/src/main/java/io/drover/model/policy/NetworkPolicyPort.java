package io.drover.model.policy;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A port of a rule: {@code protocol} TCP (default), UDP or SCTP; {@code port} a number, a name (resolved against
 * each destination pod's named ports) or omitted (every port of the protocol); {@code endPort} makes a numeric
 * {@code port} the start of a range.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NetworkPolicyPort(String protocol, PortReference port, Integer endPort) {

    @JsonIgnore
    public String effectiveProtocol() {
        return protocol == null || protocol.isEmpty() ? "TCP" : protocol;
    }
}
