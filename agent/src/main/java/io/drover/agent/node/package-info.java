/** The node as the API knows it: registration and heartbeats ({@link io.drover.agent.node.NodeRegistration}). */
package io.drover.agent.node;
