package io.drover.model.tenant;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.drover.model.Resource;
import io.drover.model.ResourceKind;
import io.drover.model.meta.ObjectMeta;

/**
 * A project: the scope of namespaced objects such as pods. It belongs to one tenant
 * ({@code spec.tenant}, {@code default} when omitted). A namespace named {@code default} always exists.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Namespace(String apiVersion, String kind, ObjectMeta metadata, NamespaceSpec spec) implements Resource {

    public static final String DEFAULT = "default";
    /** Set by the server on every namespace, as Kubernetes does, so that selectors can name a namespace. */
    public static final String NAME_LABEL = "kubernetes.io/metadata.name";

    public Namespace {
        apiVersion = apiVersion == null ? ResourceKind.API_VERSION : apiVersion;
        kind = kind == null ? "Namespace" : kind;
        spec = spec == null ? new NamespaceSpec(null) : spec;
    }

    public static Namespace of(ObjectMeta metadata, NamespaceSpec spec) {
        return new Namespace(null, null, metadata, spec);
    }

    @Override
    public Namespace withMetadata(ObjectMeta newMetadata) {
        return new Namespace(apiVersion, kind, newMetadata, spec);
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record NamespaceSpec(String tenant) {
        public String tenantOrDefault() {
            return tenant == null || tenant.isEmpty() ? Tenant.DEFAULT : tenant;
        }
    }
}
