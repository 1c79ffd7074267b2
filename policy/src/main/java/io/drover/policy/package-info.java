/**
 * Kubernetes NetworkPolicy and distributed firewall semantics, pure: no I/O, no clock, no kernel.
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
 * <p>The distributed firewall ({@link io.drover.policy.Firewall}: security groups, firewall policies in tiers, the
 * default action) is evaluated at each end of a connection, as NSX's distributed firewall evaluates its rule table at
 * the source's and at the destination's interface: the client's egress, the server's ingress. At each end, in order:
 * the rules of the tiers emergency, security and application (by tier, then policy priority, then the order written)
 * that are enforced there and select the connection: the first decides with Allow (NetworkPolicy not consulted), Drop
 * or Reject, or with Pass hands the decision down; then NetworkPolicy, when one isolates the pod in that direction;
 * otherwise the baseline tier's rules and at the bottom the default action (Allow unless a FirewallSettings says
 * otherwise). {@link io.drover.policy.FirewallVerdict} explains one end, and
 * {@link io.drover.policy.PolicySnapshot#compileFirewall} gives a pod's {@link io.drover.policy.FirewallChain chains}.
 *
 * <p>The rules: a pod selected by a policy that isolates a direction is isolated in it, and then only what some
 * rule of some such policy allows passes; a connection needs the client's egress and the server's ingress; a pod
 * may always connect to itself. Replies of allowed connections pass, which the data plane gets from connection
 * tracking, so nothing here answers per packet.
 */
package io.drover.policy;
