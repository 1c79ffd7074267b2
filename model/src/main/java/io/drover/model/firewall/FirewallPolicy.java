package io.drover.model.firewall;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.drover.model.Resource;
import io.drover.model.ResourceKind;
import io.drover.model.meta.ObjectMeta;

/**
 * A policy of the distributed firewall: ordered rules (allow, drop, reject or pass) in one of the ordered
 * {@link Tier tiers}, at a priority within the tier, enforced at the pods it is applied to. Cluster-scoped. The tiers
 * before NetworkPolicy decide first; a connection no rule decides goes to NetworkPolicy, and for pods NetworkPolicy
 * does not isolate, to the baseline tier and then the cluster's default action ({@link FirewallSettings}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FirewallPolicy(String apiVersion, String kind, ObjectMeta metadata, FirewallPolicySpec spec) implements Resource {

    public FirewallPolicy {
        apiVersion = apiVersion == null ? ResourceKind.API_VERSION : apiVersion;
        kind = kind == null ? "FirewallPolicy" : kind;
        spec = spec == null ? FirewallPolicySpec.EMPTY : spec;
    }

    public static FirewallPolicy of(ObjectMeta metadata, FirewallPolicySpec spec) {
        return new FirewallPolicy(null, null, metadata, spec);
    }

    @Override
    public FirewallPolicy withMetadata(ObjectMeta newMetadata) {
        return new FirewallPolicy(apiVersion, kind, newMetadata, spec);
    }
}
