/**
 * The nftables rules of a node: one table, {@code inet drover}, owned by Drover and programmed in one {@code nft -f}
 * transaction per sync. Pure: {@link io.drover.agent.rules.NodeRules} turns the node's networks and published ports
 * into script text; the agent applies it through {@code Kernel.applyNftables}.
 *
 * <p>What the table does:
 * <ul>
 *   <li><b>Isolation.</b> Nothing crosses from one network's bridge to another's (forward), and no pod reaches the
 *       node's address on another network's bridge (input), nor a published port through it (prerouting). A pod
 *       reaches its own gateway, the node's other addresses and, through the uplink, the outside.</li>
 *   <li><b>Into a network</b> from outside it only replies and published ports (DNATed) pass. As with Docker's
 *       isolation, a published port is not reachable from pods of other networks.</li>
 *   <li><b>natOutgoing.</b> Traffic from a network that asks for it is masqueraded when it leaves through a
 *       non-Drover interface towards a non-Drover address (IPv4 and IPv6).</li>
 *   <li><b>Published ports</b> ({@code -p [hostIP:]hostPort:port[/proto]}): DNAT of traffic to a local address
 *       (or to {@code hostIP}), from outside the node and from the node itself (loopback excepted, as Docker
 *       without its userland proxy), and from pods of the same network with hairpin masquerade. A pod reaching
 *       its own published port also needs hairpin mode on its bridge port ({@code Kernel.setHairpin}); without it
 *       the kernel drops the packet DNATed back into the port it came from.</li>
 * </ul>
 *
 * <p>Two more tables sit beside it in the same transaction: {@code bridge drover}
 * ({@link io.drover.agent.rules.SpoofGuard}: a pod sends only with its own addresses) and {@code netdev drover}
 * ({@link io.drover.agent.rules.FastPath}: pod-to-pod traffic between nodes that needs none of the above is forwarded
 * at the interfaces' ingress hooks, skipping conntrack, routing and this table).
 *
 * <p>Layout: the chains and rules are fixed ({@code DroverTable}); everything that varies is an element of a set
 * or map ({@code SetContents}), so each packet costs one lookup per rule however many networks and ports there
 * are, a change is an element change ({@link io.drover.agent.rules.NodeRules#updateScript}), and a restarted agent
 * can compare the kernel's table with what it would write ({@link io.drover.agent.rules.ProgrammedTable}). Network
 * policy ({@link io.drover.agent.rules.PolicyRules}) and services ({@link io.drover.agent.rules.ServiceRules}) add
 * their own chains next to these, reached through the fixed verdict maps.
 *
 * <p>Services follow kube-proxy's nftables mode: the input is one {@link io.drover.agent.rules.ServiceRuleInput} per
 * service port and a {@link io.drover.agent.rules.ServiceNodeConfig}; {@code prerouting} and {@code output} find a
 * service address or NodePort in one verdict-map lookup and go to its chains (masquerade for hairpin and external
 * traffic under Cluster, the source kept under Local, ClientIP affinity, DNAT by the chosen algorithm); the filter
 * hooks reject services without endpoints and unserved ports of cluster IPs, drop unallocated addresses of the
 * service CIDRs and sources outside loadBalancerSourceRanges.
 */
package io.drover.agent.rules;
