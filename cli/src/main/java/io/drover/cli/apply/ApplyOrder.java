package io.drover.cli.apply;

import io.drover.model.Resource;
import io.drover.model.ResourceKind;
import java.util.Comparator;
import java.util.List;

/**
 * The order in which objects are written: what others refer to first (tenants, then namespaces, networks and
 * nodes), then network policies before the pods they select, so that one manifest can define a namespace and its
 * pods in any order. Deletion runs the reverse.
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
            // Before pods, so that a pod of the same manifest is never reachable in a way its policies forbid.
            case NETWORK_POLICY -> 4;
            case POD -> 5;
            case BLOCK -> 6; // written by IPAM only; the server refuses it with the reason
        };
    }

    /** Stable: objects of the same rank keep their order. */
    public static List<Resource> forApply(List<Resource> resources) {
        return resources.stream().sorted(Comparator.comparingInt(r -> rank(r.resourceKind()))).toList();
    }

    /** Dependents first, so that no object is deleted while another still refers to it. */
    public static List<Resource> forDelete(List<Resource> resources) {
        return resources.stream()
                .sorted(Comparator.comparingInt((Resource r) -> rank(r.resourceKind())).reversed())
                .toList();
    }
}
