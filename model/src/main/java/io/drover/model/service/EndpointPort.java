package io.drover.model.service;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/** A service port resolved for one endpoint: the service port's name, the pod's port number, the protocol. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EndpointPort(String name, Integer port, String protocol) {

    @JsonIgnore
    public String effectiveProtocol() {
        return protocol == null || protocol.isEmpty() ? "TCP" : protocol;
    }
}
