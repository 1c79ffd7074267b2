package io.drover.model.firewall;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.drover.model.Resource;
import io.drover.model.ResourceKind;
import io.drover.model.meta.ObjectMeta;

/**
 * The distributed firewall's cluster-wide settings: one object, named {@code default}. Without it, the default
 * action is Allow, so that a cluster without firewall policies behaves as plain Kubernetes.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FirewallSettings(String apiVersion, String kind, ObjectMeta metadata, FirewallSettingsSpec spec)
        implements Resource {

    /** The one name a FirewallSettings may have. */
    public static final String NAME = "default";

    public FirewallSettings {
        apiVersion = apiVersion == null ? ResourceKind.API_VERSION : apiVersion;
        kind = kind == null ? "FirewallSettings" : kind;
        spec = spec == null ? FirewallSettingsSpec.EMPTY : spec;
    }

    public static FirewallSettings of(FirewallSettingsSpec spec) {
        return new FirewallSettings(null, null, ObjectMeta.named(NAME), spec);
    }

    @Override
    public FirewallSettings withMetadata(ObjectMeta newMetadata) {
        return new FirewallSettings(apiVersion, kind, newMetadata, spec);
    }
}
