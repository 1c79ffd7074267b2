package io.drover.model.pod;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A port the pod serves. {@code name} lets services and policies refer to it; {@code hostPort} (and
 * optionally {@code hostIP}) publish it on the node, as Docker's {@code -p}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PodPort(String name, Integer port, String protocol, Integer hostPort, String hostIP) {

    public String effectiveProtocol() {
        return protocol == null || protocol.isEmpty() ? "TCP" : protocol;
    }
}
