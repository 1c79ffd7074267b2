package io.drover.model.pod;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.drover.model.Resource;
import io.drover.model.ResourceKind;
import io.drover.model.meta.ObjectMeta;

/** A workload endpoint: one network namespace with an interface on each network it joins. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Pod(String apiVersion, String kind, ObjectMeta metadata, PodSpec spec, PodStatus status) implements Resource {

    public Pod {
        apiVersion = apiVersion == null ? ResourceKind.API_VERSION : apiVersion;
        kind = kind == null ? "Pod" : kind;
        spec = spec == null ? PodSpec.EMPTY : spec;
    }

    public static Pod of(ObjectMeta metadata, PodSpec spec) {
        return new Pod(null, null, metadata, spec, null);
    }

    @Override
    public Pod withMetadata(ObjectMeta newMetadata) {
        return new Pod(apiVersion, kind, newMetadata, spec, status);
    }

    public Pod withStatus(PodStatus newStatus) {
        return new Pod(apiVersion, kind, metadata, spec, newStatus);
    }
}
