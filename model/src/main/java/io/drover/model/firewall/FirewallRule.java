package io.drover.model.firewall;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One rule of a firewall policy. It matches a connection whose client is one of {@code sources}, whose server is one
 * of {@code destinations} and whose protocol and destination port are one of {@code services} (each omitted or
 * empty: any), at an end where the rule is enforced ({@code direction}, and the policy's {@code appliedTo}).
 *
 * @param name      identifies the rule in explanations, counters and logs; unique within the policy
 * @param action    {@code Allow}, {@code Drop}, {@code Reject} or {@code Pass} ({@link RuleAction})
 * @param direction {@code In}, {@code Out} or {@code InOut} (the default; {@link RuleDirection})
 * @param logging   log each connection the rule decides (or passes)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FirewallRule(String name, String action, String direction, List<FirewallPeer> sources,
        List<FirewallPeer> destinations, List<FirewallService> services, Boolean logging) {

    public FirewallRule {
        sources = sources == null ? null : List.copyOf(sources);
        destinations = destinations == null ? null : List.copyOf(destinations);
        services = services == null ? null : List.copyOf(services);
    }

    /** Empty means every client. */
    @JsonIgnore
    public List<FirewallPeer> sourceList() {
        return sources == null ? List.of() : sources;
    }

    /** Empty means every server. */
    @JsonIgnore
    public List<FirewallPeer> destinationList() {
        return destinations == null ? List.of() : destinations;
    }

    /** Empty means every protocol and port. */
    @JsonIgnore
    public List<FirewallService> serviceList() {
        return services == null ? List.of() : services;
    }

    @JsonIgnore
    public boolean logged() {
        return Boolean.TRUE.equals(logging);
    }
}
