/**
 * Kubernetes NetworkPolicy semantics, pure: no I/O, no clock, no kernel.
 *
 * <ul>
 *   <li>{@link io.drover.policy.PolicySnapshot} holds namespaces, pods and policies at one moment.</li>
 *   <li>{@link io.drover.policy.PolicySnapshot#evaluate} answers one connection
 *       ({@link io.drover.policy.Endpoint} to endpoint, protocol, port) with a {@link io.drover.policy.Verdict}:
 *       allowed or blocked, and per direction ({@link io.drover.policy.DirectionVerdict}) whether the pod is
 *       isolated, by which policies, and which rules ({@link io.drover.policy.RuleMatch}) let it through. This is
 *       what {@code drover policy explain} prints.</li>
 *   <li>{@link io.drover.policy.PolicySnapshot#compile} gives a pod's policy as the data plane programs it
 *       ({@link io.drover.policy.PodPolicy}): per direction, isolated or not, and
 *       {@link io.drover.policy.AllowEntry allow entries} of peer prefixes and {@link io.drover.policy.PortSet
 *       port sets}, with selectors, ipBlock excepts and named ports already resolved.</li>
 * </ul>
 *
 * <p>The rules: a pod selected by a policy that isolates a direction is isolated in it, and then only what some
 * rule of some such policy allows passes; a connection needs the client's egress and the server's ingress; a pod
 * may always connect to itself. Replies of allowed connections pass, which the data plane gets from connection
 * tracking, so nothing here answers per packet.
 */
package io.drover.policy;
