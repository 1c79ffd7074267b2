package io.drover.client;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The candidate with the fewest requests in flight from this client; among equals, each in turn (so an idle
 * client still spreads its requests). Counts are kept by address and ports, and dropped when they reach zero so
 * that endpoints gone from the set leave nothing behind.
 */
final class LeastOutstandingBalancer implements LoadBalancer {

    private final Map<Endpoint, AtomicInteger> outstanding = new ConcurrentHashMap<>();
    private final AtomicLong tieBreak = new AtomicLong();

    @Override
    public Endpoint pick(List<Endpoint> candidates) {
        int n = candidates.size();
        int start = (int) Math.floorMod(tieBreak.getAndIncrement(), (long) n);
        Endpoint best = null;
        int bestCount = Integer.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            Endpoint e = candidates.get((start + i) % n);
            int count = outstanding(e);
            if (count < bestCount) {
                best = e;
                bestCount = count;
            }
        }
        return best;
    }

    int outstanding(Endpoint endpoint) {
        AtomicInteger count = outstanding.get(endpoint);
        return count == null ? 0 : count.get();
    }

    @Override
    public void started(Endpoint endpoint) {
        outstanding.computeIfAbsent(endpoint, e -> new AtomicInteger()).incrementAndGet();
    }

    @Override
    public void finished(Endpoint endpoint) {
        outstanding.computeIfPresent(endpoint, (e, count) -> count.decrementAndGet() <= 0 ? null : count);
    }
}
