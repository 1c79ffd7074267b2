package io.drover.cli.apply;

import io.drover.model.Resource;
import io.drover.model.codec.ResourceCodec;
import io.drover.model.meta.ObjectMeta;
import io.drover.model.network.Network;
import io.drover.model.node.Node;
import io.drover.model.pod.Pod;
import io.drover.model.firewall.FirewallPolicy;
import io.drover.model.firewall.FirewallSettings;
import io.drover.model.firewall.SecurityGroup;
import io.drover.model.policy.NetworkPolicy;
import io.drover.model.service.Service;
import io.drover.model.service.ServiceEndpoints;
import io.drover.model.service.ServicePort;
import io.drover.model.service.ServiceSpec;
import io.drover.model.tenant.Namespace;
import io.drover.model.tenant.Tenant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Decides created / configured / unchanged by comparing what the user wrote with what the server has: the spec,
 * the labels and the annotations, the parts a manifest owns. Status and server-set metadata (uid,
 * resourceVersion, creationTimestamp) are the server's and never count as a difference.
 */
public final class ApplyDecision {

    private ApplyDecision() {}

    public static ApplyAction decide(Resource desired, Optional<Resource> current) {
        if (current.isEmpty()) {
            // Server-set fields (from a manifest saved with "get -o yaml") have no meaning for a new object.
            return new ApplyAction.Create(desired.withMetadata(meta(desired).withServerFields(null, null, null)));
        }
        Resource stored = current.get();
        desired = keepServerAssigned(desired, stored);
        if (sameIntent(desired, stored)) {
            return new ApplyAction.Unchanged();
        }
        // The server's resourceVersion makes the replace conditional: a concurrent write turns into a conflict
        // instead of being overwritten unseen.
        ObjectMeta meta = meta(desired).withResourceVersion(meta(stored).resourceVersion());
        return new ApplyAction.Replace(desired.withMetadata(meta));
    }

    /**
     * Fields the manifest leaves out and the server filled in stay as the server set them, as kubectl's apply keeps
     * fields it does not manage: a pod without {@code spec.node} was placed by the scheduler, and re-applying the
     * same manifest must not read as a request to move it (which the server refuses).
     */
    static Resource keepServerAssigned(Resource desired, Resource stored) {
        if (desired instanceof Pod want && stored instanceof Pod have && want.spec().node() == null && have.spec().node() != null) {
            return new Pod(want.apiVersion(), want.kind(), want.metadata(), want.spec().withNode(have.spec().node()), want.status());
        }
        if (desired instanceof Service want && stored instanceof Service have) {
            return want.withSpec(withAllocated(want.spec(), have.spec()));
        }
        return desired;
    }

    /**
     * The cluster IP and node ports the server allocated, where the manifest leaves them out (and the type still has
     * them), as the server itself keeps them on a replace.
     */
    private static ServiceSpec withAllocated(ServiceSpec want, ServiceSpec have) {
        io.drover.model.service.ServiceSpecBuilder builder = want.toBuilder();
        boolean sameAddressing = want.effectiveType() != io.drover.model.service.ServiceType.EXTERNAL_NAME
                && have.effectiveType() != io.drover.model.service.ServiceType.EXTERNAL_NAME;
        if ((want.clusterIP() == null || want.clusterIP().isEmpty()) && sameAddressing) {
            builder.clusterIP(have.clusterIP()).clusterIPs(want.clusterIPs() == null ? have.clusterIPs() : want.clusterIPs());
        }
        if (want.allocatesNodePorts() && have.allocatesNodePorts() && want.ports() != null) {
            builder.ports(want.ports().stream().map(port -> port.nodePort() != null ? port : have.portList().stream()
                    .filter(old -> sameServicePort(port, old))
                    .findFirst().map(old -> port.withNodePort(old.nodePort())).orElse(port)).toList());
        }
        return builder.build();
    }

    private static boolean sameServicePort(ServicePort a, ServicePort b) {
        return a.name() != null && !a.name().isEmpty() ? a.name().equals(b.name())
                : java.util.Objects.equals(a.port(), b.port()) && a.effectiveProtocol().equals(b.effectiveProtocol());
    }

    public static boolean sameIntent(Resource desired, Resource stored) {
        ObjectMeta want = meta(desired);
        ObjectMeta have = meta(stored);
        return specTree(desired).equals(specTree(stored))
                && want.labels().equals(withoutServerLabels(stored, want.labels(), have.labels()))
                && want.annotations().equals(have.annotations());
    }

    /**
     * The server labels every namespace with its name (as Kubernetes does, so that selectors can pick a
     * namespace); a manifest that does not mention that label has not asked to remove it.
     */
    private static Map<String, String> withoutServerLabels(Resource stored, Map<String, String> wanted, Map<String, String> labels) {
        if (!(stored instanceof Namespace) || wanted.containsKey(Namespace.NAME_LABEL)) {
            return labels;
        }
        Map<String, String> result = new HashMap<>(labels);
        result.remove(Namespace.NAME_LABEL);
        return result;
    }

    private static Object spec(Resource resource) {
        return switch (resource) {
            case Tenant t -> t.spec();
            case Namespace n -> n.spec();
            case Network n -> n.spec();
            case Node n -> n.spec();
            case Pod p -> p.spec();
            case io.drover.model.ipam.Block b -> b.spec();
            case NetworkPolicy np -> np.spec();
            case SecurityGroup g -> g.spec();
            case FirewallPolicy fp -> fp.spec();
            case FirewallSettings fs -> fs.spec();
            case Service s -> s.spec();
            case ServiceEndpoints e -> e.endpoints();
        };
    }

    private static ObjectMeta meta(Resource resource) {
        return resource.metadata() == null ? ObjectMeta.named(null) : resource.metadata();
    }

    /**
     * A NetworkPolicy's spec compares as it is: there an empty object or list is meaningful ({@code podSelector: {}}
     * selects every pod, {@code ingress: [{}]} allows everything, and a peer {@code {podSelector: {}}} is not a peer
     * {@code {namespaceSelector: {}}}), and its records keep what was written. So do security groups' and firewall
     * policies' ({@code podSelector: {}} is every pod, a rule's omitted sources are any).
     */
    private static JsonNode specTree(Resource resource) {
        if (resource instanceof NetworkPolicy np) {
            return ResourceCodec.tree(np.spec());
        }
        if (resource instanceof SecurityGroup g) {
            return ResourceCodec.tree(g.spec());
        }
        if (resource instanceof FirewallPolicy fp) {
            return ResourceCodec.tree(fp.spec());
        }
        return normalized(spec(resource));
    }

    /**
     * The spec as JSON without nulls, empty lists and empty objects: the model turns an omitted list into an empty
     * one, so "networks: []" and no networks at all mean the same and must compare equal.
     */
    static JsonNode normalized(Object spec) {
        JsonNode tree = spec == null ? ResourceCodec.json().createObjectNode() : ResourceCodec.tree(spec);
        return prune(tree);
    }

    private static JsonNode prune(JsonNode node) {
        if (node.isObject()) {
            ObjectNode result = ResourceCodec.json().createObjectNode();
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                JsonNode value = prune(field.getValue());
                if (!isEmpty(value)) {
                    result.set(field.getKey(), value);
                }
            }
            return result;
        }
        if (node.isArray()) {
            ArrayNode result = ResourceCodec.json().createArrayNode();
            node.values().forEach(element -> result.add(prune(element)));
            return result;
        }
        return node;
    }

    private static boolean isEmpty(JsonNode node) {
        return node.isNull() || node.isMissingNode() || ((node.isObject() || node.isArray()) && node.isEmpty());
    }
}
