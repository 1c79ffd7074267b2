package io.drover.cli.apply;

import io.drover.model.Resource;
import io.drover.model.ResourceKind;
import io.drover.model.firewall.FirewallPeer;
import io.drover.model.firewall.SecurityGroup;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The order in which objects are written: what others refer to first (tenants, then namespaces, networks and
 * nodes), then the firewall (security groups before the policies that name them) and network policies before the
 * pods they select, so that one manifest can define a namespace and its pods in any order. Deletion runs the reverse.
 * Within a rank, the order of the manifests is kept.
 */
public final class ApplyOrder {

    private ApplyOrder() {}

    public static int rank(ResourceKind kind) {
        // Exhaustive on purpose: a new kind does not compile until someone decides where it goes.
        return switch (kind) {
            case TENANT -> 0;
            case NAMESPACE -> 1;
            case NETWORK -> 2;
            case NODE -> 3;
            // Groups before the policies that name them (the server refuses a policy naming a group it lacks), the
            // settings and policies before pods, so that a pod of the same manifest is never reachable in a way its
            // policies forbid.
            case SECURITY_GROUP -> 4;
            case FIREWALL_SETTINGS -> 5;
            case FIREWALL_POLICY -> 6;
            case NETWORK_POLICY -> 7;
            case POD -> 8;
            // After the pods they select, so that their endpoints exist as soon as they do.
            case SERVICE -> 9;
            case SERVICE_ENDPOINTS -> 10;
            case BLOCK -> 11; // written by IPAM only; the server refuses it with the reason
        };
    }

    /**
     * Stable: objects of the same rank keep their order, except that a security group comes after the groups of the
     * same manifests it names (the server refuses a group naming one it lacks).
     */
    public static List<Resource> forApply(List<Resource> resources) {
        return nestedGroups(resources.stream().sorted(Comparator.comparingInt(r -> rank(r.resourceKind()))).toList(), false);
    }

    /** Dependents first, so that no object is deleted while another still refers to it. */
    public static List<Resource> forDelete(List<Resource> resources) {
        return nestedGroups(resources.stream()
                .sorted(Comparator.comparingInt((Resource r) -> rank(r.resourceKind())).reversed())
                .toList(), true);
    }

    /**
     * The security groups (one run in the ranked list) reordered so that each follows those it names, or for deletion
     * precedes them; the others keep their place. A cycle, which the server refuses anyway, keeps the written order
     * for what is left.
     */
    private static List<Resource> nestedGroups(List<Resource> ranked, boolean forDelete) {
        List<SecurityGroup> groups = ranked.stream().filter(SecurityGroup.class::isInstance).map(SecurityGroup.class::cast)
                .toList();
        if (groups.size() < 2) {
            return ranked;
        }
        Map<String, SecurityGroup> byName = new LinkedHashMap<>();
        groups.forEach(g -> byName.putIfAbsent(g.name(), g));
        List<Resource> ordered = new ArrayList<>();
        Set<String> placed = new HashSet<>();
        List<SecurityGroup> left = new ArrayList<>(groups);
        while (!left.isEmpty()) {
            SecurityGroup next = left.stream()
                    .filter(g -> names(g).stream().allMatch(n -> placed.contains(n) || !byName.containsKey(n) || n.equals(g.name())))
                    .findFirst()
                    .orElse(left.getFirst());
            left.remove(next);
            placed.add(next.name());
            ordered.add(next);
        }
        List<Resource> result = new ArrayList<>();
        Iterator<Resource> sortedGroups = (forDelete ? ordered.reversed() : ordered).iterator();
        for (Resource r : ranked) {
            result.add(r instanceof SecurityGroup ? sortedGroups.next() : r);
        }
        return result;
    }

    private static List<String> names(SecurityGroup group) {
        return group.spec() == null ? List.of() : group.spec().members().stream()
                .filter(m -> m != null && m.group() != null)
                .map(FirewallPeer::group)
                .toList();
    }
}
