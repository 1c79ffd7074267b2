package io.drover.store.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.store.KeyValue;
import io.drover.store.WatchEvent;
import io.drover.store.WatchListener;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** Records what a watch delivers, and fails the test if the listener is ever called concurrently. */
public class RecordingListener implements WatchListener {
    public record Delivery(long revision, List<WatchEvent> events) {}

    public final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    public final AtomicReference<Long> compacted = new AtomicReference<>();
    public final AtomicReference<Throwable> error = new AtomicReference<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger overlaps = new AtomicInteger();

    @Override
    public void onEvents(long revision, List<WatchEvent> events) {
        enter();
        try {
            deliveries.add(new Delivery(revision, events));
            afterDelivery(revision);
        } finally {
            exit();
        }
    }

    /** Hook for listeners that want to be slow or throw. */
    protected void afterDelivery(long revision) {}

    @Override
    public void onCompacted(long compactRevision) {
        enter();
        compacted.set(compactRevision);
        exit();
    }

    @Override
    public void onError(Throwable e) {
        enter();
        error.set(e);
        exit();
    }

    public List<Long> revisions() {
        return deliveries.stream().map(Delivery::revision).toList();
    }

    public List<WatchEvent> events() {
        List<WatchEvent> all = new ArrayList<>();
        deliveries.forEach(d -> all.addAll(d.events()));
        return all;
    }

    public long lastRevision() {
        return deliveries.isEmpty() ? 0 : deliveries.getLast().revision();
    }

    /** The state the events describe: applying them in order to an empty map. */
    public Map<String, String> replayedState() {
        Map<String, String> state = new LinkedHashMap<>();
        for (WatchEvent e : events()) {
            if (e.type() == WatchEvent.Type.PUT) {
                state.put(e.kv().key(), e.kv().valueAsString());
            } else {
                state.remove(e.kv().key());
            }
        }
        return state;
    }

    public void assertNeverConcurrent() {
        assertThat(overlaps.get()).as("listener calls that overlapped").isZero();
    }

    public static Map<String, String> asMap(List<KeyValue> kvs) {
        Map<String, String> map = new LinkedHashMap<>();
        kvs.forEach(kv -> map.put(kv.key(), kv.valueAsString()));
        return map;
    }

    private void enter() {
        if (inFlight.incrementAndGet() > 1) {
            overlaps.incrementAndGet();
        }
    }

    private void exit() {
        inFlight.decrementAndGet();
    }
}
