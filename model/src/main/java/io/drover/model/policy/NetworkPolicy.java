package io.drover.model.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.drover.model.Resource;
import io.drover.model.meta.ObjectMeta;

/**
 * Kubernetes' {@code networking.k8s.io/v1 NetworkPolicy}, accepted unchanged: which pods of its namespace it
 * selects, and the traffic it allows to (ingress) and from (egress) them. Policies only allow; a pod selected by
 * a policy of a direction is isolated in that direction, and what any of them allows passes.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NetworkPolicy(String apiVersion, String kind, ObjectMeta metadata, NetworkPolicySpec spec)
        implements Resource {

    public static final String API_VERSION = "networking.k8s.io/v1";

    public NetworkPolicy {
        apiVersion = apiVersion == null ? API_VERSION : apiVersion;
        kind = kind == null ? "NetworkPolicy" : kind;
        spec = spec == null ? NetworkPolicySpec.EMPTY : spec;
    }

    public static NetworkPolicy of(ObjectMeta metadata, NetworkPolicySpec spec) {
        return new NetworkPolicy(null, null, metadata, spec);
    }

    @Override
    public NetworkPolicy withMetadata(ObjectMeta newMetadata) {
        return new NetworkPolicy(apiVersion, kind, newMetadata, spec);
    }
}
