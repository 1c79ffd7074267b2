package io.drover.model.network;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.drover.model.Resource;
import io.drover.model.ResourceKind;
import io.drover.model.meta.ObjectMeta;

/** A layer-3 network pods join: one or two subnets (IPv4 and/or IPv6) split into per-node blocks. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Network(String apiVersion, String kind, ObjectMeta metadata, NetworkSpec spec, NetworkStatus status)
        implements Resource {

    public Network {
        apiVersion = apiVersion == null ? ResourceKind.API_VERSION : apiVersion;
        kind = kind == null ? "Network" : kind;
    }

    public static Network of(ObjectMeta metadata, NetworkSpec spec) {
        return new Network(null, null, metadata, spec, null);
    }

    @Override
    public Network withMetadata(ObjectMeta newMetadata) {
        return new Network(apiVersion, kind, newMetadata, spec, status);
    }

    public Network withStatus(NetworkStatus newStatus) {
        return new Network(apiVersion, kind, metadata, spec, newStatus);
    }
}
