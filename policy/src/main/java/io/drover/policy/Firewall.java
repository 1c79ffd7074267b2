package io.drover.policy;

import io.drover.model.firewall.FirewallPolicy;
import io.drover.model.firewall.FirewallSettings;
import io.drover.model.firewall.FirewallSettingsSpec;
import io.drover.model.firewall.RuleAction;
import io.drover.model.firewall.SecurityGroup;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The distributed firewall's objects at one moment: security groups, firewall policies and the settings (the default
 * action). Immutable. {@link #NONE} is a cluster without any: NetworkPolicy alone decides, and what it does not
 * isolate is allowed.
 */
public final class Firewall {

    /** Orders policies as they are evaluated: by tier, then priority, then (the server refuses ties) name. */
    static final Comparator<FirewallPolicy> EVALUATION_ORDER = Comparator
            .comparingInt((FirewallPolicy p) -> p.spec().effectiveTier().order())
            .thenComparingInt(p -> p.spec().priority() == null ? Integer.MAX_VALUE : p.spec().priority())
            .thenComparing(FirewallPolicy::name);

    public static final Firewall NONE = new Firewall(Map.of(), List.of(), null);

    private final Map<String, SecurityGroup> groups;
    private final List<FirewallPolicy> policies;
    private final FirewallSettings settings;

    private Firewall(Map<String, SecurityGroup> groups, List<FirewallPolicy> policies, FirewallSettings settings) {
        this.groups = groups;
        this.policies = policies;
        this.settings = settings;
    }

    /**
     * @param settings the cluster's FirewallSettings, if one is stored (without: default action Allow)
     * @throws IllegalArgumentException when two groups or two policies have the same name
     */
    public static Firewall of(Collection<SecurityGroup> groups, Collection<FirewallPolicy> policies,
            Optional<FirewallSettings> settings) {
        Map<String, SecurityGroup> byName = new TreeMap<>();
        for (SecurityGroup group : groups) {
            if (byName.put(group.name(), group) != null) {
                throw new IllegalArgumentException("security group " + group.name() + " is given twice");
            }
        }
        Map<String, FirewallPolicy> seen = new HashMap<>();
        for (FirewallPolicy policy : policies) {
            if (seen.put(policy.name(), policy) != null) {
                throw new IllegalArgumentException("firewall policy " + policy.name() + " is given twice");
            }
        }
        return new Firewall(Map.copyOf(byName), policies.stream().sorted(EVALUATION_ORDER).toList(),
                Objects.requireNonNull(settings, "settings").orElse(null));
    }

    /** Groups and policies with the settings' default ({@code Allow}). */
    public static Firewall of(Collection<SecurityGroup> groups, Collection<FirewallPolicy> policies) {
        return of(groups, policies, Optional.empty());
    }

    /** The security groups by name. */
    public Map<String, SecurityGroup> groups() {
        return groups;
    }

    /** The policies in evaluation order: by tier, then priority. */
    public List<FirewallPolicy> policies() {
        return policies;
    }

    public Optional<FirewallSettings> settings() {
        return Optional.ofNullable(settings);
    }

    /** What happens to a connection no rule decides and NetworkPolicy does not isolate: Allow unless set. */
    public RuleAction defaultAction() {
        return spec().effectiveDefaultAction();
    }

    public boolean defaultLogged() {
        return spec().logged();
    }

    /** Whether anything here changes what NetworkPolicy alone would make of a connection, or logs it. */
    public boolean configured() {
        return !policies.isEmpty() || defaultAction() != RuleAction.ALLOW || defaultLogged();
    }

    private FirewallSettingsSpec spec() {
        return settings == null ? FirewallSettingsSpec.EMPTY : settings.spec();
    }
}
