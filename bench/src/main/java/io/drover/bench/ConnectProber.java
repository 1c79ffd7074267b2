package io.drover.bench;

import io.drover.agent.kernel.NetNs;
import io.drover.agent.kernel.linux.LinuxKernel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * Watches TCP connections between pods switch between allowed and blocked, with a resolution of a few milliseconds.
 *
 * <p>Every {@code interval} a new connection attempt starts for each pair, from a socket made inside the client pod's
 * namespace, non-blocking; attempts overlap, so a switch is seen by the first attempt after it rather than after a
 * pending attempt's timeout. A blocked SYN is dropped (no answer), so an attempt counts as failed when it has no
 * answer after {@code expiry} (far above a round trip between two pods of one machine); an allowed one completes the
 * handshake within a round trip. A completed connection is closed at once with a reset, so nothing lingers in
 * TIME_WAIT.
 */
final class ConnectProber implements AutoCloseable {

    /** A client pod's namespace, a server pod's echo address, and the node whose rules decide (the server's). */
    record Pair(String label, NetNs from, InetSocketAddress to, String node) {}

    private record Attempt(int pair, long startedAt) {}

    private final LinuxKernel kernel;
    private final List<Pair> pairs;
    private final long interval;
    private final long expiry;
    private final Selector selector;

    ConnectProber(LinuxKernel kernel, List<Pair> pairs, Duration interval, Duration expiry) throws IOException {
        this.kernel = kernel;
        this.pairs = List.copyOf(pairs);
        this.interval = interval.toNanos();
        this.expiry = expiry.toNanos();
        this.selector = Selector.open();
    }

    List<Pair> pairs() {
        return pairs;
    }

    /**
     * Probes until every pair has connected once; answers, per pair, when its first connection completed (a
     * {@link System#nanoTime}), or -1 for a pair that did not connect before {@code limit}.
     */
    long[] awaitAllowed(Duration limit) throws IOException {
        long[] connectedAt = new long[pairs.size()];
        Arrays.fill(connectedAt, -1);
        probe(limit, (pair, attempt, ok, now) -> {
            if (ok && connectedAt[pair] < 0) {
                connectedAt[pair] = now;
            }
        }, (pair, now) -> connectedAt[pair] >= 0);
        return connectedAt;
    }

    /**
     * Probes until no pair has connected for {@code quiet} (more than the expiry: every attempt that could still
     * connect has had its chance); answers, per pair, when the first failed attempt after its last connection
     * started (the switch happened between that attempt and the one before it), or -1 when the pair still
     * connected at {@code limit}.
     */
    long[] awaitBlocked(Duration quiet, Duration limit) throws IOException {
        long q = quiet.toNanos();
        if (q <= expiry) {
            throw new IllegalArgumentException("quiet must exceed the expiry");
        }
        long begin = System.nanoTime();
        boolean[] connected = new boolean[pairs.size()];
        long[] lastSuccessStart = new long[pairs.size()];
        long[] lastSuccessAt = new long[pairs.size()];
        long[] blockedFrom = new long[pairs.size()];
        Arrays.fill(lastSuccessAt, begin);
        Arrays.fill(blockedFrom, -1);
        boolean finished = probe(limit, (pair, attempt, ok, now) -> {
            boolean afterLastSuccess = !connected[pair] || attempt.startedAt() - lastSuccessStart[pair] > 0;
            if (ok) {
                if (afterLastSuccess) {
                    connected[pair] = true;
                    lastSuccessStart[pair] = attempt.startedAt();
                    blockedFrom[pair] = -1;
                }
                lastSuccessAt[pair] = now;
            } else if (afterLastSuccess && (blockedFrom[pair] < 0 || attempt.startedAt() - blockedFrom[pair] < 0)) {
                blockedFrom[pair] = attempt.startedAt();
            }
        }, (pair, now) -> now - lastSuccessAt[pair] >= q && blockedFrom[pair] >= 0);
        if (!finished) {
            for (int i = 0; i < blockedFrom.length; i++) {
                if (System.nanoTime() - lastSuccessAt[i] < q) {
                    blockedFrom[i] = -1;
                }
            }
        }
        return blockedFrom;
    }

    private interface Outcome {
        void seen(int pair, Attempt attempt, boolean connected, long now);
    }

    private interface Done {
        boolean test(int pair, long now);
    }

    /** The probe loop; true when every pair is done before the limit. */
    private boolean probe(Duration limit, Outcome outcome, Done done) throws IOException {
        long start = System.nanoTime();
        long deadline = start + limit.toNanos();
        long[] next = new long[pairs.size()];
        for (int i = 0; i < next.length; i++) {
            next[i] = start + interval * i / pairs.size(); // staggered, so that attempts spread over the interval
        }
        List<SelectionKey> pending = new ArrayList<>();
        try {
            for (int round = 0; round < 10_000_000; round++) {
                long now = System.nanoTime();
                boolean all = true;
                for (int i = 0; i < pairs.size(); i++) {
                    if (done.test(i, now)) {
                        continue;
                    }
                    all = false;
                    if (now - next[i] >= 0) {
                        attempt(i, now, outcome, pending);
                        next[i] = Math.max(next[i] + interval, now + interval / 4);
                    }
                }
                if (all) {
                    return true;
                }
                if (now - deadline >= 0) {
                    return false;
                }
                long wait = Long.MAX_VALUE;
                for (long n : next) {
                    wait = Math.min(wait, n - now);
                }
                selector.select(Math.max(1, Math.min(wait / 1_000_000, 5)));
                now = System.nanoTime();
                Iterator<SelectionKey> ready = selector.selectedKeys().iterator();
                while (ready.hasNext()) {
                    SelectionKey key = ready.next();
                    ready.remove();
                    Attempt a = (Attempt) key.attachment();
                    SocketChannel channel = (SocketChannel) key.channel();
                    boolean connected;
                    try {
                        connected = channel.finishConnect();
                    } catch (IOException e) {
                        connected = false; // refused or unreachable: an answer, but not a connection
                    }
                    if (connected || !channel.isConnectionPending()) {
                        close(key);
                        pending.remove(key);
                        outcome.seen(a.pair(), a, connected, now);
                    }
                }
                for (Iterator<SelectionKey> it = pending.iterator(); it.hasNext(); ) {
                    SelectionKey key = it.next();
                    Attempt a = (Attempt) key.attachment();
                    if (now - a.startedAt() >= expiry) {
                        close(key);
                        it.remove();
                        outcome.seen(a.pair(), a, false, now);
                    }
                }
            }
            return false;
        } finally {
            for (SelectionKey key : pending) {
                close(key);
            }
            selector.selectNow();
        }
    }

    private void attempt(int i, long now, Outcome outcome, List<SelectionKey> pending) throws IOException {
        Pair pair = pairs.get(i);
        SocketChannel channel = kernel.inNamespace(pair.from(), SocketChannel::open);
        Attempt attempt = new Attempt(i, System.nanoTime());
        try {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.SO_LINGER, 0);
            if (channel.connect(pair.to())) {
                channel.close();
                outcome.seen(i, attempt, true, System.nanoTime());
                return;
            }
            pending.add(channel.register(selector, SelectionKey.OP_CONNECT, attempt));
        } catch (IOException e) {
            channel.close();
            outcome.seen(i, attempt, false, now); // an immediate failure (no route): not connected
        }
    }

    private static void close(SelectionKey key) {
        key.cancel();
        try {
            key.channel().close();
        } catch (IOException e) {
            // nothing to keep
        }
    }

    @Override
    public void close() throws IOException {
        selector.close();
    }
}
