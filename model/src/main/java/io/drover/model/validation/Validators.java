package io.drover.model.validation;

import io.drover.model.Resource;
import io.drover.model.ResourceKind;
import io.drover.model.meta.LabelRules;
import io.drover.model.meta.ObjectMeta;
import io.drover.model.firewall.FirewallPolicy;
import io.drover.model.firewall.FirewallSettings;
import io.drover.model.firewall.SecurityGroup;
import io.drover.model.network.Network;
import io.drover.model.ipam.Block;
import io.drover.model.node.Node;
import io.drover.model.pod.Pod;
import io.drover.model.policy.NetworkPolicy;
import io.drover.model.service.Service;
import io.drover.model.service.ServiceEndpoints;
import io.drover.model.tenant.Namespace;
import io.drover.model.tenant.Tenant;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The field rules of every kind, as Kubernetes' validation: each broken rule is one {@link FieldError} naming
 * the field and saying what to write. Only the object itself is checked; references to other objects (does
 * the network exist?) and overlaps with other networks ({@link NetworkOverlap}) are the registry's to check.
 *
 * <p>Namespaced objects must carry their namespace: whoever defaults it (CLI, registry) does so before this.
 */
public final class Validators {

    /** A network's bridge name is derived from its name, and Linux limits interface names to 15 characters. */
    public static final int MAX_NETWORK_NAME_LENGTH = 12;
    /** Interfaces eth0 ... eth15. */
    public static final int MAX_POD_NETWORKS = 16;
    /** As Kubernetes: the sum of the lengths (UTF-8 bytes) of all annotation keys and values. */
    public static final int MAX_ANNOTATIONS_BYTES = 256 * 1024;

    private Validators() {}

    /** Every broken field rule of the resource; empty when it is valid. */
    public static List<FieldError> validate(Resource resource) {
        Objects.requireNonNull(resource, "resource");
        Errors errors = new Errors();
        validateTypeFields(resource, errors);
        validateMetadata(resource, errors);
        switch (resource) {
            case Tenant t -> { }
            case Namespace ns -> {
                String tenant = ns.spec().tenant();
                if (tenant != null && !tenant.isEmpty()) {
                    errors.addIfProblem("spec.tenant", tenant, LabelRules.dns1123SubdomainProblem(tenant));
                }
            }
            case Network n -> NetworkRules.validate(n.spec(), errors);
            case Node n -> NodeRules.validate(n.spec(), errors);
            case Pod p -> {
                PodRules.validate(p, errors);
                ServiceRules.validateWeightAnnotation(p.metadata(), errors);
            }
            case Block b -> BlockRules.validate(b, errors);
            case NetworkPolicy np -> NetworkPolicyRules.validate(np.spec(), errors);
            case SecurityGroup g -> FirewallRules.validate(g, errors);
            case FirewallPolicy fp -> FirewallRules.validate(fp.spec(), errors);
            case FirewallSettings fs -> FirewallRules.validate(fs, errors);
            case Service s -> ServiceRules.validate(s, errors);
            case ServiceEndpoints e -> ServiceEndpointsRules.validate(e, errors);
        }
        return errors.toList();
    }

    /** A body decoded straight into a record (not through ManifestReader) may still carry a wrong kind or version. */
    private static void validateTypeFields(Resource resource, Errors errors) {
        ResourceKind kind = resource.resourceKind();
        if (!kind.kind().equals(resource.kind())) {
            errors.add("kind", Errors.quote(resource.kind()) + " does not match the resource, a " + kind.kind()
                    + "; write kind: " + kind.kind());
        }
        if (!kind.apiVersion().equals(resource.apiVersion())) {
            errors.add("apiVersion", Errors.quote(resource.apiVersion()) + " does not go with kind " + kind.kind()
                    + "; write apiVersion: " + kind.apiVersion());
        }
    }

    /**
     * Each key and value of a label map (an object's labels, a selector's matchLabels) as Kubernetes requires them.
     * Sorted, so that the errors come in the same order every time (the maps are unordered).
     */
    static void validateLabels(String field, Map<String, String> labels, Errors errors) {
        for (Map.Entry<String, String> label : new TreeMap<>(labels).entrySet()) {
            String labelField = Errors.key(field, label.getKey());
            String keyProblem = LabelRules.keyProblem(label.getKey());
            if (keyProblem != null) {
                errors.add(labelField, "key " + Errors.quote(label.getKey()) + " " + keyProblem);
            }
            String valueProblem = LabelRules.valueProblem(label.getValue());
            if (valueProblem != null) {
                errors.add(labelField, "value " + Errors.quote(label.getValue()) + " " + valueProblem);
            }
        }
    }

    private static void validateMetadata(Resource resource, Errors errors) {
        ResourceKind kind = resource.resourceKind();
        ObjectMeta meta = resource.metadata();
        if (meta == null) {
            errors.add("metadata", "is required; give at least metadata.name");
            return;
        }
        String name = meta.name();
        if (name == null || name.isEmpty()) {
            errors.add("metadata.name", "is required");
        } else {
            errors.addIfProblem("metadata.name", name, switch (kind) {
                // Namespace names become DNS labels (pod.namespace.svc...); network names become bridge names.
                case NAMESPACE -> LabelRules.dns1123LabelProblem(name);
                case NETWORK -> Names.networkNameProblem(name);
                // Service names become DNS labels (name.namespace.svc...), and so do their endpoints', which share them.
                case SERVICE, SERVICE_ENDPOINTS -> Names.serviceNameProblem(name);
                case TENANT, NODE, POD, BLOCK, NETWORK_POLICY, SECURITY_GROUP, FIREWALL_POLICY, FIREWALL_SETTINGS ->
                        LabelRules.dns1123SubdomainProblem(name);
            });
        }
        String namespace = meta.namespace();
        boolean hasNamespace = namespace != null && !namespace.isEmpty();
        if (kind.namespaced()) {
            if (!hasNamespace) {
                errors.add("metadata.namespace", "is required: a " + kind.kind()
                        + " belongs to a namespace; set metadata.namespace (e.g. default)");
            } else {
                errors.addIfProblem("metadata.namespace", namespace, LabelRules.dns1123LabelProblem(namespace));
            }
        } else if (hasNamespace) {
            errors.add("metadata.namespace", "must not be set: a " + kind.kind()
                    + " is cluster-scoped and belongs to no namespace; remove metadata.namespace");
        }
        validateLabels("metadata.labels", meta.labels(), errors);
        long annotationBytes = 0;
        for (Map.Entry<String, String> annotation : new TreeMap<>(meta.annotations()).entrySet()) {
            String keyProblem = LabelRules.keyProblem(annotation.getKey());
            if (keyProblem != null) {
                errors.add(Errors.key("metadata.annotations", annotation.getKey()),
                        "key " + Errors.quote(annotation.getKey()) + " " + keyProblem);
            }
            annotationBytes += annotation.getKey().getBytes(StandardCharsets.UTF_8).length
                    + annotation.getValue().getBytes(StandardCharsets.UTF_8).length;
        }
        if (annotationBytes > MAX_ANNOTATIONS_BYTES) {
            errors.add("metadata.annotations", "are too large: " + annotationBytes + " bytes of keys and values, "
                    + "the limit is " + MAX_ANNOTATIONS_BYTES + " (256 KiB); keep large data elsewhere");
        }
    }
}
