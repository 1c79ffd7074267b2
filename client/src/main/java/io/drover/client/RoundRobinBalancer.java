package io.drover.client;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Each candidate in turn; when the set changes the turn continues from where it was, so nobody is favoured. */
final class RoundRobinBalancer implements LoadBalancer {

    private final AtomicLong next = new AtomicLong();

    @Override
    public Endpoint pick(List<Endpoint> candidates) {
        return candidates.get((int) Math.floorMod(next.getAndIncrement(), (long) candidates.size()));
    }
}
