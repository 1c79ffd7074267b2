package io.drover.cli.manifest;

import io.drover.cli.CliException;
import io.drover.cli.output.ResourceNames;
import io.drover.model.Resource;
import io.drover.model.codec.Manifest;
import io.drover.model.meta.ObjectMeta;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns read manifests into the objects to send: namespaced objects without a namespace get the one of
 * {@code -n} (or {@code default}); cluster-scoped ones lose a stray namespace, as kubectl ignores it. Objects
 * that cannot be addressed (no name) or that contradict an explicit {@code -n} are reported with their location
 * before any request is sent.
 */
public final class ManifestObjects {

    private ManifestObjects() {}

    /**
     * @param namespace         the namespace from {@code -n}, or the default
     * @param namespaceExplicit whether the user gave {@code -n}: only then does a different namespace in a manifest
     *                          count as a contradiction
     */
    public static List<Resource> prepare(List<Manifest> manifests, String namespace, boolean namespaceExplicit) {
        List<Resource> resources = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Manifest manifest : manifests) {
            Resource resource = manifest.resource();
            ObjectMeta meta = resource.metadata() == null ? ObjectMeta.named(null) : resource.metadata();
            if (meta.name() == null || meta.name().isBlank()) {
                problems.add(manifest.locateNearest("metadata.name") + ": this " + resource.kind()
                        + " has no metadata.name; every object needs a name");
                continue;
            }
            String own = meta.namespace() == null || meta.namespace().isBlank() ? null : meta.namespace();
            if (!resource.resourceKind().namespaced()) {
                resources.add(own == null ? resource : resource.withMetadata(meta.withNamespace(null)));
            } else if (own == null) {
                resources.add(resource.withMetadata(meta.withNamespace(namespace)));
            } else if (namespaceExplicit && !own.equals(namespace)) {
                problems.add(manifest.locateNearest("metadata.namespace") + ": " + ResourceNames.ref(resource)
                        + " is in namespace \"" + own + "\" but -n says \"" + namespace
                        + "\"; drop -n or change the manifest");
            } else {
                resources.add(resource);
            }
        }
        if (!problems.isEmpty()) {
            throw new CliException(problems);
        }
        return resources;
    }
}
