package io.drover.agent.desired;

import io.drover.agent.kernel.NetNs;

/**
 * A pod namespace the agent creates (under /run/netns) and keeps with its loopback up; pods in namespaces that a
 * runtime brings have none of these.
 *
 * @param pod  {@code <namespace>/<pod>}
 * @param name the name under /run/netns
 */
public record DesiredNamespace(String pod, String name) {

    public NetNs netns() {
        return NetNs.named(name);
    }
}
