package io.drover.model.pod;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * @param phase     {@code Pending} until every address is allocated, then {@code Allocated}; {@code Failed} with a message
 * @param addresses one entry per network and address family
 * @param message   why the pod is not (yet) addressed, in words a person can act on
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record PodStatus(String phase, List<PodAddress> addresses, String message) {

    public static final String PENDING = "Pending";
    public static final String ALLOCATED = "Allocated";
    public static final String FAILED = "Failed";

    public PodStatus {
        addresses = addresses == null ? List.of() : List.copyOf(addresses);
    }

    /** One address of a pod interface, as the data plane programs it. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PodAddress(
            String network,
            @com.fasterxml.jackson.annotation.JsonProperty("interface") String interfaceName,
            String ip,
            Integer prefix,
            String gateway) {}
}
