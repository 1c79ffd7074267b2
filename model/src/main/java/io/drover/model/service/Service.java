package io.drover.model.service;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.drover.model.Resource;
import io.drover.model.meta.ObjectMeta;

/**
 * Kubernetes' {@code v1 Service}, accepted unchanged: one stable virtual address (and node ports, load balancer
 * addresses) for the pods its selector picks. Drover adds the balancing algorithm (annotation
 * {@value #LOAD_BALANCING_ANNOTATION}) and {@code spec.healthCheck}. The server allocates {@code spec.clusterIP},
 * node ports and {@code status.loadBalancer} when it admits the service.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Service(String apiVersion, String kind, ObjectMeta metadata, ServiceSpec spec, ServiceStatus status)
        implements Resource {

    /** Kubernetes' core group: no group, version v1. */
    public static final String API_VERSION = "v1";
    /** On the service: {@code random} (default), {@code round-robin}, {@code weighted} or {@code source-hash}. */
    public static final String LOAD_BALANCING_ANNOTATION = "drover.io/load-balancing";

    public Service {
        apiVersion = apiVersion == null ? API_VERSION : apiVersion;
        kind = kind == null ? "Service" : kind;
        spec = spec == null ? ServiceSpec.EMPTY : spec;
    }

    public static Service of(ObjectMeta metadata, ServiceSpec spec) {
        return new Service(null, null, metadata, spec, null);
    }

    @Override
    public Service withMetadata(ObjectMeta newMetadata) {
        return new Service(apiVersion, kind, newMetadata, spec, status);
    }

    public Service withSpec(ServiceSpec newSpec) {
        return new Service(apiVersion, kind, metadata, newSpec, status);
    }

    public Service withStatus(ServiceStatus newStatus) {
        return new Service(apiVersion, kind, metadata, spec, newStatus);
    }

    /** The algorithm the annotation names; random when it names none (or, unvalidated, an unknown one). */
    @JsonIgnore
    public LoadBalancing loadBalancing() {
        String value = metadata == null ? null : metadata.annotations().get(LOAD_BALANCING_ANNOTATION);
        return LoadBalancing.ofAnnotation(value).orElse(LoadBalancing.DEFAULT);
    }

    /** The load balancer addresses the server allocated; empty before and for other types. */
    @JsonIgnore
    public java.util.List<String> loadBalancerIps() {
        return status == null ? java.util.List.of() : status.loadBalancerIps();
    }
}
