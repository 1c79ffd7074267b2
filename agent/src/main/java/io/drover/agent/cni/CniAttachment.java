package io.drover.agent.cni;

import io.drover.agent.desired.InterfaceNames;
import io.drover.model.pod.Pod;
import java.util.Map;
import java.util.Optional;

/**
 * What ties a pod to the CNI call that made it: the runtime's container id and interface name (the key the
 * specification gives an attachment) and the container's namespace. Stored on the pod as annotations, so that the
 * agent (through {@link CniPodNamespaces}) plumbs the pod into the runtime's namespace, and so that DEL, CHECK and GC
 * find the pod again; and as one label, a hash of the key, so that a pod can be found without knowing its name.
 *
 * @param containerId CNI_CONTAINERID
 * @param ifName      CNI_IFNAME: the interface's name inside the container
 * @param netns       CNI_NETNS: the path of the container's network namespace
 * @param primary     whether this is the container's first attachment, whose interface carries the default routes
 *                    (a container attached to several networks has one way out)
 */
public record CniAttachment(String containerId, String ifName, String netns, boolean primary) {

    public static final String CONTAINER_ID_ANNOTATION = "drover.io/cni-container-id";
    public static final String IFNAME_ANNOTATION = "drover.io/cni-ifname";
    public static final String NETNS_ANNOTATION = "drover.io/cni-netns";
    public static final String PRIMARY_ANNOTATION = "drover.io/cni-primary";
    /** A hash of (container id, interface name): labels hold at most 63 characters, container ids often 64. */
    public static final String LABEL = "drover.io/cni-attachment";

    private static final int LABEL_HASH_CHARS = 32;

    /** The attachment a pod was made for, when CNI made it. */
    public static Optional<CniAttachment> of(Pod pod) {
        Map<String, String> a = pod.metadata() == null ? Map.of() : pod.metadata().annotations();
        String id = a.get(CONTAINER_ID_ANNOTATION);
        String ifName = a.get(IFNAME_ANNOTATION);
        if (id == null || id.isEmpty() || ifName == null || ifName.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new CniAttachment(id, ifName, a.getOrDefault(NETNS_ANNOTATION, ""),
                !"false".equals(a.get(PRIMARY_ANNOTATION))));
    }

    /** Whether this is the attachment (container id, interface name), wherever its namespace is. */
    public boolean is(String otherContainerId, String otherIfName) {
        return containerId.equals(otherContainerId) && ifName.equals(otherIfName);
    }

    /** The same attachment as its container's first or further one. */
    public CniAttachment withPrimary(boolean newPrimary) {
        return new CniAttachment(containerId, ifName, netns, newPrimary);
    }

    public Map<String, String> annotations() {
        return Map.of(CONTAINER_ID_ANNOTATION, containerId, IFNAME_ANNOTATION, ifName, NETNS_ANNOTATION, netns,
                PRIMARY_ANNOTATION, Boolean.toString(primary));
    }

    public String labelValue() {
        return labelValue(containerId, ifName);
    }

    public static String labelValue(String containerId, String ifName) {
        return InterfaceNames.hash(containerId + "/" + ifName, LABEL_HASH_CHARS);
    }
}
