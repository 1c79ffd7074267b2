package io.drover.model.service;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.drover.model.Resource;
import io.drover.model.ResourceKind;
import io.drover.model.meta.ObjectMeta;
import java.util.List;

/**
 * The endpoints of one service, in the service's namespace and under its name, as Kubernetes' Endpoints and
 * EndpointSlices: derived from the service's selector, the pods and their health by a controller (the agents
 * write health), and registered by hand for a service without a selector. Every pod the selector picks is listed,
 * ready or not, with the reason it is not.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ServiceEndpoints(String apiVersion, String kind, ObjectMeta metadata, List<ServiceEndpoint> endpoints)
        implements Resource {

    public ServiceEndpoints {
        apiVersion = apiVersion == null ? ResourceKind.API_VERSION : apiVersion;
        kind = kind == null ? "ServiceEndpoints" : kind;
        endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
    }

    public static ServiceEndpoints of(ObjectMeta metadata, List<ServiceEndpoint> endpoints) {
        return new ServiceEndpoints(null, null, metadata, endpoints);
    }

    @Override
    public ServiceEndpoints withMetadata(ObjectMeta newMetadata) {
        return new ServiceEndpoints(apiVersion, kind, newMetadata, endpoints);
    }

    public ServiceEndpoints withEndpoints(List<ServiceEndpoint> newEndpoints) {
        return new ServiceEndpoints(apiVersion, kind, metadata, newEndpoints);
    }

    @JsonIgnore
    public List<ServiceEndpoint> readyEndpoints() {
        return endpoints.stream().filter(ServiceEndpoint::readyForTraffic).toList();
    }
}
