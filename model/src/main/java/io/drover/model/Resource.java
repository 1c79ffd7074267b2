package io.drover.model;

import io.drover.model.firewall.FirewallPolicy;
import io.drover.model.firewall.FirewallSettings;
import io.drover.model.firewall.SecurityGroup;
import io.drover.model.ipam.Block;
import io.drover.model.meta.ObjectMeta;
import io.drover.model.network.Network;
import io.drover.model.node.Node;
import io.drover.model.pod.Pod;
import io.drover.model.policy.NetworkPolicy;
import io.drover.model.service.Service;
import io.drover.model.service.ServiceEndpoints;
import io.drover.model.tenant.Namespace;
import io.drover.model.tenant.Tenant;

/**
 * Every object Drover stores: Kubernetes-shaped, with apiVersion, kind, metadata, spec and (for some) status.
 * The set of kinds is closed so that a switch over them is checked by the compiler; a new kind is added
 * here, in {@link ResourceKind}, and in {@code io.drover.model.validation.Validators}.
 */
public sealed interface Resource permits Tenant, Namespace, Network, Node, Pod, Block, NetworkPolicy,
        SecurityGroup, FirewallPolicy, FirewallSettings, Service, ServiceEndpoints {

    String apiVersion();

    String kind();

    ObjectMeta metadata();

    /** The same object with other metadata; spec and status are kept. */
    Resource withMetadata(ObjectMeta metadata);

    default ResourceKind resourceKind() {
        return ResourceKind.of(getClass());
    }

    default String name() {
        return metadata() == null ? null : metadata().name();
    }

    default String namespace() {
        return metadata() == null ? null : metadata().namespace();
    }
}
