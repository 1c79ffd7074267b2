/**
 * The CNI specification as Drover speaks it (1.1.0; configurations of 0.3.0 to 1.1.0 accepted).
 *
 * <p>A runtime runs the thin {@code drover-cni} executable ({@code src/main/c}); it forwards the call over a unix
 * socket to the node agent ({@link io.drover.cni.CniWire}, protocol in {@code src/main/c/drover_cni_protocol.h}).
 * In the agent, {@link io.drover.cni.CniDispatcher} checks the call exactly as the reference plugins do, parses the
 * {@link io.drover.cni.NetworkConfig} into a {@link io.drover.cni.CniRequest}, calls the agent's
 * {@link io.drover.cni.CniHandler}, and writes the {@link io.drover.cni.CniResult} or {@link io.drover.cni.CniError}
 * in the shape of the configuration's {@link io.drover.cni.CniVersion}. {@link io.drover.cni.CniSocketServer} serves
 * the socket for an agent that wants it served.
 */
package io.drover.cni;
