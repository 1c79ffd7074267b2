package io.drover.agent.desired;

/**
 * A pod of the node that is not (fully) plumbed, and why: no addresses from IPAM yet, a network the agent has not
 * seen yet, a port that cannot be published. It is picked up by the sync after the change it waits for.
 */
public record Waiting(String pod, String reason) {}
