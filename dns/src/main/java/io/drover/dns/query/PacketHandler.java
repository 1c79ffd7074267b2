package io.drover.dns.query;

import java.util.concurrent.CompletableFuture;

/** What the transports hand each DNS message to: one packet in, at most one reply out. */
public interface PacketHandler {

    /** The reply's bytes, or null for no reply; never completes exceptionally. */
    CompletableFuture<byte[]> handle(byte[] packet, Transport transport);
}
