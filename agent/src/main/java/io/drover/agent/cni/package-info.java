/**
 * CNI in the node agent: a container a runtime attaches (podman, containerd, Kubernetes) becomes a pod of the node in
 * the Drover API, addressed by IPAM and plumbed by the agent like any other pod, so that networks, policies and
 * services treat it as one.
 *
 * <p>The pieces: {@link io.drover.agent.cni.CniService} implements the operations; {@link io.drover.agent.cni.CniPods}
 * names, makes and finds the attachments' pods, which carry their {@link io.drover.agent.cni.CniAttachment} (container
 * id, interface name, namespace) as annotations; {@link io.drover.agent.cni.CniPodNamespaces} makes the agent plumb
 * such pods into the runtime's namespace under the runtime's interface name; {@code Addressing} and {@code Plumbing}
 * wait for IPAM and for the agent's sync; {@link io.drover.agent.cni.CniEndpoint} serves the socket the drover-cni
 * executable talks to; {@link io.drover.agent.cni.CniAgent} puts the agent and all of this together.
 */
package io.drover.agent.cni;
