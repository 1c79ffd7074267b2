/**
 * Health checks of service endpoints, run by the agent of the endpoint's node (Consul's check kinds: http, tcp,
 * script). {@link io.drover.agent.health.HealthTargets} says what this node checks, {@link io.drover.agent.health.CheckState}
 * turns attempts into a status with Kubernetes' probe thresholds, {@link io.drover.agent.health.HealthSchedule} says
 * when each check is due, {@link io.drover.agent.health.HealthReports} says which endpoints objects need a write: all
 * pure and tested with a fake clock. {@link io.drover.agent.health.ProbeRunner} does the checking,
 * {@link io.drover.agent.health.HealthReporter} the writing, and {@link io.drover.agent.health.HealthChecks} runs it all
 * beside the {@link io.drover.agent.NodeAgent}. The endpoints controller turns the reported health into readiness;
 * the agents balance only ready endpoints.
 */
package io.drover.agent.health;
