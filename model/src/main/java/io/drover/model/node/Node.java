package io.drover.model.node;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.drover.model.Resource;
import io.drover.model.ResourceKind;
import io.drover.model.meta.ObjectMeta;

/** A host that runs pods. Its agent registers it and reports readiness. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Node(String apiVersion, String kind, ObjectMeta metadata, NodeSpec spec, NodeStatus status) implements Resource {

    public Node {
        apiVersion = apiVersion == null ? ResourceKind.API_VERSION : apiVersion;
        kind = kind == null ? "Node" : kind;
        spec = spec == null ? new NodeSpec(null) : spec;
    }

    public static Node of(ObjectMeta metadata, NodeSpec spec) {
        return new Node(null, null, metadata, spec, null);
    }

    @Override
    public Node withMetadata(ObjectMeta newMetadata) {
        return new Node(apiVersion, kind, newMetadata, spec, status);
    }

    public Node withStatus(NodeStatus newStatus) {
        return new Node(apiVersion, kind, metadata, spec, newStatus);
    }

    /** @param address the node's underlay address, through which other nodes reach it */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record NodeSpec(String address) {}

    /**
     * @param message  why the node is not ready
     * @param warnings what works only in part, though the node is ready: e.g. peers its pods cannot reach, with what
     *                 to do
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record NodeStatus(Boolean ready, String lastHeartbeat, String message, java.util.List<String> warnings) {

        public NodeStatus {
            warnings = warnings == null ? java.util.List.of() : java.util.List.copyOf(warnings);
        }

        public NodeStatus(Boolean ready, String lastHeartbeat, String message) {
            this(ready, lastHeartbeat, message, java.util.List.of());
        }
    }
}
