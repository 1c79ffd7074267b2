package io.drover.api.registry;

import io.drover.api.ApiException;
import io.drover.api.ApiException.Cause;
import io.drover.api.ApiException.Reason;
import io.drover.model.Resource;
import io.drover.model.ResourceKind;
import io.drover.model.codec.ResourceCodec;
import io.drover.model.firewall.FirewallPeer;
import io.drover.model.firewall.FirewallPolicy;
import io.drover.model.firewall.FirewallPolicySpec;
import io.drover.model.firewall.FirewallRule;
import io.drover.model.firewall.SecurityGroup;
import io.drover.model.firewall.Tier;
import io.drover.store.Compare;
import io.drover.store.KeyValue;
import io.drover.store.KeyValueStore;
import io.drover.store.Op;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the registry checks of the distributed firewall's objects beyond their own fields: every group they name
 * exists, two policies of a tier never share a priority, nested groups never contain themselves, and a group in use
 * is not deleted. Each check reads the store and is then guarded in the write's transaction (a references key per
 * named group, a sentinel per kind), so that concurrent writes cannot slip past it.
 */
final class FirewallAdmission {

    /** A group named in a field of an object. */
    record GroupReference(String field, String group) {}

    private final KeyValueStore store;

    FirewallAdmission(KeyValueStore store) {
        this.store = store;
    }

    List<Guard> guardsForWrite(SecurityGroup group) {
        long sentinel = revision(RegistryKeys.SECURITY_GROUPS_GUARD);
        List<GroupReference> references = references(group);
        List<Cause> causes = new ArrayList<>(missing(references));
        if (causes.isEmpty()) {
            causes.addAll(cycles(group, references));
        }
        if (!causes.isEmpty()) {
            throw Problems.invalid(group, causes);
        }
        List<Guard> guards = referenceGuards(group, references);
        guards.add(Guard.sentinel(Compare.modRevisionIs(RegistryKeys.SECURITY_GROUPS_GUARD, sentinel),
                bump(RegistryKeys.SECURITY_GROUPS_GUARD)));
        return guards;
    }

    List<Guard> guardsForWrite(FirewallPolicy policy) {
        long sentinel = revision(RegistryKeys.FIREWALL_POLICIES_GUARD);
        List<GroupReference> references = references(policy);
        List<Cause> causes = new ArrayList<>(missing(references));
        priorityTaken(policy).ifPresent(causes::add);
        if (!causes.isEmpty()) {
            throw Problems.invalid(policy, causes);
        }
        List<Guard> guards = referenceGuards(policy, references);
        guards.add(Guard.sentinel(Compare.modRevisionIs(RegistryKeys.FIREWALL_POLICIES_GUARD, sentinel),
                bump(RegistryKeys.FIREWALL_POLICIES_GUARD)));
        return guards;
    }

    /** Refuses deleting a group that a policy or another group still names, saying where. */
    void checkDeletable(SecurityGroup group) {
        List<String> users = new ArrayList<>();
        for (FirewallPolicy policy : all(ResourceKind.FIREWALL_POLICY, FirewallPolicy.class)) {
            List<String> fields = references(policy).stream().filter(r -> r.group().equals(group.name()))
                    .map(GroupReference::field).toList();
            if (!fields.isEmpty()) {
                users.add("firewall policy " + policy.name() + " (" + String.join(", ", fields) + ")");
            }
        }
        for (SecurityGroup other : all(ResourceKind.SECURITY_GROUP, SecurityGroup.class)) {
            List<String> fields = references(other).stream().filter(r -> r.group().equals(group.name()))
                    .map(GroupReference::field).toList();
            if (!other.name().equals(group.name()) && !fields.isEmpty()) {
                users.add("security group " + other.name() + " (" + String.join(", ", fields) + ")");
            }
        }
        if (!users.isEmpty()) {
            throw new ApiException(Reason.CONFLICT, "security group \"" + group.name() + "\" is still used by "
                    + String.join(", ", users.size() <= 5 ? users : users.subList(0, 5)) + (users.size() > 5 ? ", ..." : "")
                    + "; remove those references first (deleting it would change what their rules match)");
        }
    }

    /** Every group a policy names, with the field that names it. */
    static List<GroupReference> references(FirewallPolicy policy) {
        List<GroupReference> references = new ArrayList<>();
        FirewallPolicySpec spec = policy.spec();
        peers("spec.appliedTo", spec.appliedToList(), references);
        List<FirewallRule> rules = spec.ruleList();
        for (int i = 0; i < rules.size(); i++) {
            FirewallRule rule = rules.get(i);
            peers("spec.rules[" + i + "].sources", rule.sourceList(), references);
            peers("spec.rules[" + i + "].destinations", rule.destinationList(), references);
        }
        return references;
    }

    static List<GroupReference> references(SecurityGroup group) {
        List<GroupReference> references = new ArrayList<>();
        peers("spec.members", group.spec().members(), references);
        return references;
    }

    private static void peers(String field, List<FirewallPeer> peers, List<GroupReference> into) {
        for (int i = 0; i < peers.size(); i++) {
            FirewallPeer peer = peers.get(i);
            if (peer != null && peer.group() != null && !peer.group().isEmpty()) {
                into.add(new GroupReference(field + "[" + i + "].group", peer.group()));
            }
        }
    }

    private List<Cause> missing(List<GroupReference> references) {
        List<Cause> causes = new ArrayList<>();
        for (GroupReference r : references) {
            if (store.get(RegistryKeys.key(ResourceKind.SECURITY_GROUP, null, r.group())).isEmpty()) {
                causes.add(new Cause(r.field(), missingMessage(r.group())));
            }
        }
        return causes;
    }

    private static String missingMessage(String group) {
        return "security group \"" + group + "\" does not exist; create it first (kind: SecurityGroup, metadata.name: "
                + group + "), or name one listed by 'drover get securitygroups'";
    }

    /** A named group must exist when the write commits, and its deletion must see this new user. */
    private static List<Guard> referenceGuards(Resource resource, List<GroupReference> references) {
        List<Guard> guards = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (GroupReference r : references) {
            if (seen.add(r.group())) {
                guards.add(Guard.references(Compare.present(RegistryKeys.key(ResourceKind.SECURITY_GROUP, null, r.group())),
                        RegistryKeys.references(ResourceKind.SECURITY_GROUP, r.group()),
                        () -> Problems.invalid(resource, r.field(), missingMessage(r.group()))));
            }
        }
        return guards;
    }

    /**
     * The priority is another policy's of the same tier: which of the two would go first would be a coin toss. The
     * message names the other policy and the nearest free priority.
     */
    private java.util.Optional<Cause> priorityTaken(FirewallPolicy policy) {
        Integer priority = policy.spec().priority();
        if (priority == null) {
            return java.util.Optional.empty();
        }
        Tier tier = policy.spec().effectiveTier();
        Map<Integer, String> taken = new TreeMap<>();
        for (FirewallPolicy other : all(ResourceKind.FIREWALL_POLICY, FirewallPolicy.class)) {
            if (!other.name().equals(policy.name()) && other.spec().effectiveTier() == tier && other.spec().priority() != null) {
                taken.putIfAbsent(other.spec().priority(), other.name());
            }
        }
        String holder = taken.get(priority);
        if (holder == null) {
            return java.util.Optional.empty();
        }
        String free = "";
        for (int p = priority + 1; p <= FirewallPolicySpec.MAX_PRIORITY; p++) {
            if (!taken.containsKey(p)) {
                free = ", e.g. " + p + " (free)";
                break;
            }
        }
        return java.util.Optional.of(new Cause("spec.priority", "priority " + priority + " of tier " + tier.yamlName()
                + " is already firewall policy \"" + holder + "\"'s; policies of a tier go in priority order, so two "
                + "cannot share one: choose another priority" + free + ", or change \"" + holder + "\"'s"));
    }

    /**
     * The members that would make the group contain itself: a named group from which the stored groups (with this
     * one as it is being written) lead back to it. The message shows the way round.
     */
    private List<Cause> cycles(SecurityGroup group, List<GroupReference> references) {
        Map<String, List<String>> nested = new HashMap<>();
        for (SecurityGroup stored : all(ResourceKind.SECURITY_GROUP, SecurityGroup.class)) {
            nested.put(stored.name(), references(stored).stream().map(GroupReference::group).toList());
        }
        nested.put(group.name(), references.stream().map(GroupReference::group).toList());
        List<Cause> causes = new ArrayList<>();
        for (GroupReference r : references) {
            List<String> path = pathBack(r.group(), group.name(), nested);
            if (!path.isEmpty()) {
                causes.add(new Cause(r.field(), "group \"" + r.group() + "\" contains \"" + group.name() + "\" ("
                        + group.name() + " -> " + String.join(" -> ", path) + "), so \"" + group.name()
                        + "\" would contain itself; a group cannot: remove this member, or the nesting on the way"));
            }
        }
        return causes;
    }

    /** The way from {@code from} to {@code target} through nested groups, both included; empty when there is none. */
    private static List<String> pathBack(String from, String target, Map<String, List<String>> nested) {
        Map<String, String> cameFrom = new LinkedHashMap<>();
        Deque<String> todo = new ArrayDeque<>(List.of(from));
        cameFrom.put(from, null);
        while (!todo.isEmpty()) {
            String next = todo.removeFirst();
            if (next.equals(target)) {
                List<String> path = new ArrayList<>();
                for (String at = next; at != null; at = cameFrom.get(at)) {
                    path.addFirst(at);
                }
                return path;
            }
            for (String inner : nested.getOrDefault(next, List.of())) {
                if (!cameFrom.containsKey(inner)) {
                    cameFrom.put(inner, next);
                    todo.addLast(inner);
                }
            }
        }
        return List.of();
    }

    private <T extends Resource> List<T> all(ResourceKind kind, Class<T> type) {
        return store.range(RegistryKeys.prefix(kind, null)).kvs().stream()
                .map(kv -> type.cast(ResourceCodec.fromJson(kv.value(), kind)))
                .toList();
    }

    private long revision(String key) {
        return store.get(key).map(KeyValue::modRevision).orElse(0L);
    }

    private static Op bump(String key) {
        return Op.put(key, Long.toString(System.nanoTime()).getBytes(StandardCharsets.UTF_8));
    }
}
