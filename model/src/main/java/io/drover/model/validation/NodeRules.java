package io.drover.model.validation;

import io.drover.model.net.IpAddresses;
import io.drover.model.node.Node.NodeSpec;

/** A node: its underlay address, when given, is a literal IP (agents connect to it without DNS). */
final class NodeRules {

    private NodeRules() {}

    static void validate(NodeSpec spec, Errors errors) {
        if (spec == null || spec.address() == null) {
            return;
        }
        try {
            IpAddresses.parse(spec.address());
        } catch (IllegalArgumentException e) {
            errors.add("spec.address", e.getMessage() + "; give the node's IP address (Drover does not resolve host names)");
        }
    }
}
