package io.drover.model.pod;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Optional;

/**
 * @param phase          {@code Pending} until every address (and automatic host port) is allocated, then
 *                       {@code Allocated}; {@code Failed} with a message
 * @param addresses      one entry per network and address family
 * @param publishedPorts the host ports assigned automatically ({@code spec.publishAllPorts}), one per port that
 *                       names no {@code hostPort}; ports with an explicit {@code hostPort} are not repeated here,
 *                       their spec says it all
 * @param message        why the pod is not (yet) addressed or published, in words a person can act on
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record PodStatus(String phase, List<PodAddress> addresses, List<PublishedPort> publishedPorts, String message) {

    public static final String PENDING = "Pending";
    public static final String ALLOCATED = "Allocated";
    public static final String FAILED = "Failed";

    public PodStatus {
        addresses = addresses == null ? List.of() : List.copyOf(addresses);
        publishedPorts = publishedPorts == null ? List.of() : List.copyOf(publishedPorts);
    }

    /** A status without automatic host ports. */
    public PodStatus(String phase, List<PodAddress> addresses, String message) {
        this(phase, addresses, List.of(), message);
    }

    /** The host port assigned to the pod's {@code port}/{@code protocol}, if one is. */
    public Optional<PublishedPort> publishedPort(int port, String protocol) {
        return publishedPorts.stream()
                .filter(p -> p.port() != null && p.port() == port && p.effectiveProtocol().equals(protocol))
                .findFirst();
    }

    /** One address of a pod interface, as the data plane programs it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PodAddress(
            String network,
            @com.fasterxml.jackson.annotation.JsonProperty("interface") String interfaceName,
            String ip,
            Integer prefix,
            String gateway) {}

    /**
     * A port of the pod published on an automatically assigned host port of its node, as {@code docker port} shows:
     * {@code hostIP:hostPort -> port/protocol}.
     *
     * @param port     the pod's port ({@code spec.ports[].port})
     * @param protocol TCP, UDP or SCTP
     * @param hostPort the node's port, from the server's host port range
     * @param hostIP   the node address it is published on, as {@code spec.ports[].hostIP}; every address when omitted
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PublishedPort(Integer port, String protocol, Integer hostPort, String hostIP) {

        public String effectiveProtocol() {
            return protocol == null || protocol.isEmpty() ? "TCP" : protocol;
        }
    }
}
