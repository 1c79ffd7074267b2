package io.drover.model.firewall;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.drover.model.Resource;
import io.drover.model.ResourceKind;
import io.drover.model.meta.ObjectMeta;

/**
 * A named set of pods and addresses that firewall policies refer to (NSX's groups): pods by labels, by namespace
 * and by address, address blocks, and other groups. Cluster-scoped. Its membership is not stored but computed from
 * the pods and namespaces there are, so it follows pods as they come and go.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SecurityGroup(String apiVersion, String kind, ObjectMeta metadata, SecurityGroupSpec spec) implements Resource {

    public SecurityGroup {
        apiVersion = apiVersion == null ? ResourceKind.API_VERSION : apiVersion;
        kind = kind == null ? "SecurityGroup" : kind;
        spec = spec == null ? SecurityGroupSpec.EMPTY : spec;
    }

    public static SecurityGroup of(ObjectMeta metadata, SecurityGroupSpec spec) {
        return new SecurityGroup(null, null, metadata, spec);
    }

    @Override
    public SecurityGroup withMetadata(ObjectMeta newMetadata) {
        return new SecurityGroup(apiVersion, kind, newMetadata, spec);
    }
}
