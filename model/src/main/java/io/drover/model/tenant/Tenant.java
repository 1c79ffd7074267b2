package io.drover.model.tenant;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.drover.model.Resource;
import io.drover.model.ResourceKind;
import io.drover.model.meta.ObjectMeta;

/** An organisation that owns namespaces (projects). A tenant named {@code default} always exists. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Tenant(String apiVersion, String kind, ObjectMeta metadata, TenantSpec spec) implements Resource {

    public static final String DEFAULT = "default";

    public Tenant {
        apiVersion = apiVersion == null ? ResourceKind.API_VERSION : apiVersion;
        kind = kind == null ? "Tenant" : kind;
        spec = spec == null ? new TenantSpec(null) : spec;
    }

    public static Tenant of(ObjectMeta metadata, TenantSpec spec) {
        return new Tenant(null, null, metadata, spec);
    }

    @Override
    public Tenant withMetadata(ObjectMeta newMetadata) {
        return new Tenant(apiVersion, kind, newMetadata, spec);
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TenantSpec(String description) {}
}
