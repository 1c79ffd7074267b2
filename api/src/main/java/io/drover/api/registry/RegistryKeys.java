package io.drover.api.registry;

import io.drover.model.ResourceKind;

/**
 * Where each object lives in the store: {@code /drover/registry/<plural>/<namespace>/<name>} for namespaced
 * kinds, {@code /drover/registry/<plural>/<name>} for cluster-scoped ones. Names cannot hold '/', so prefixes
 * never capture a neighbour.
 */
public final class RegistryKeys {

    public static final String ROOT = "/drover/registry/";

    /** Bumped by every network write, so that overlap checks and network writes serialize through CAS. */
    public static final String NETWORKS_GUARD = "/drover/guards/networks";

    /**
     * Bumped by every firewall policy write, so that two policies cannot take one priority of a tier at the same
     * moment.
     */
    public static final String FIREWALL_POLICIES_GUARD = "/drover/guards/firewallpolicies";

    /** Bumped by every security group write, so that two writes cannot close a cycle of nested groups together. */
    public static final String SECURITY_GROUPS_GUARD = "/drover/guards/securitygroups";

    /**
     * One key per address or port a service holds, written in the transaction that writes the service and only when
     * absent, so that two servers can never hand out the same one; the value names the holder ({@code NS/NAME}).
     */
    public static final String SERVICE_IP_CLAIMS = ROOT + "claims/service-ips/";
    public static final String LOAD_BALANCER_IP_CLAIMS = ROOT + "claims/load-balancer-ips/";
    public static final String NODE_PORT_CLAIMS = ROOT + "claims/node-ports/";

    /** Touched by every write of an object that references another; see {@link #references}. */
    public static final String REFERENCES_ROOT = "/drover/guards/references/";

    private RegistryKeys() {}

    /**
     * Written (in the same transaction) by every write of an object that references the cluster-scoped object
     * {@code kind/name} (a pod its namespace and networks, a namespace its tenant). Deleting that object
     * compares this key's revision with the one it saw before looking for users, so a user created in
     * between cannot be missed.
     */
    public static String references(ResourceKind kind, String name) {
        return REFERENCES_ROOT + kind.plural() + "/" + name;
    }

    public static String key(ResourceKind kind, String namespace, String name) {
        return kind.namespaced() ? ROOT + kind.plural() + "/" + namespace + "/" + name : ROOT + kind.plural() + "/" + name;
    }

    /** The prefix of a list: every object of the kind, or of the kind in one namespace. */
    public static String prefix(ResourceKind kind, String namespace) {
        if (kind.namespaced() && namespace != null) {
            return ROOT + kind.plural() + "/" + namespace + "/";
        }
        return ROOT + kind.plural() + "/";
    }
}
