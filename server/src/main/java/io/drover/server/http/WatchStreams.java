package io.drover.server.http;

import io.drover.api.ApiException;
import io.drover.api.ApiException.Reason;
import io.drover.api.ResourceEvent;
import io.drover.api.ResourceRegistry;
import io.drover.api.ResourceWatcher;
import io.drover.model.codec.ResourceCodec;
import io.drover.model.meta.LabelSelector;
import io.drover.store.Watch;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Streams a watch as newline-delimited JSON events ({@code {"type":"ADDED","object":{...}}}), as Kubernetes
 * does. The stream starts with one empty line, which readers skip. The registry's watcher only queues; the
 * request's own (virtual) thread writes, so a slow client never holds up the store's event delivery. A closed
 * server ends every stream.
 */
public final class WatchStreams implements AutoCloseable {

    /** A client that falls this far behind is cut off with an ERROR event instead of growing the heap. */
    private static final int MAX_QUEUED = 100_000;
    private static final Object END = new Object();
    private static final Duration HEARTBEAT = Duration.ofSeconds(10);

    private final ResourceRegistry registry;
    private final Set<LinkedBlockingQueue<Object>> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    public WatchStreams(ResourceRegistry registry) {
        this.registry = registry;
    }

    void stream(ServerResponse res, ApiPath path, LabelSelector selector, long fromVersion, Duration timeout) {
        if (closed) {
            throw new ApiException(Reason.SERVICE_UNAVAILABLE, "the server is shutting down; watch again on another server or after it restarts");
        }
        LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        Watch watch = registry.watch(path.kind(), path.namespace(), selector, fromVersion, new ResourceWatcher() {
            @Override
            public void onEvents(List<ResourceEvent> events) {
                if (queue.size() > MAX_QUEUED) {
                    queue.add(errorEvent(new ApiException(Reason.GONE, "the watch fell too far behind; list and watch again")));
                    queue.add(END);
                    return;
                }
                for (ResourceEvent e : events) {
                    queue.add(Map.of("type", e.type().name(), "object", e.object()));
                }
            }

            @Override
            public void onExpired(String message) {
                queue.add(errorEvent(new ApiException(Reason.GONE, message)));
                queue.add(END);
            }

            @Override
            public void onError(Throwable error) {
                queue.add(errorEvent(new ApiException(Reason.SERVICE_UNAVAILABLE, "the watch ended: " + error.getMessage())));
                queue.add(END);
            }
        });
        // Registered only once the watch exists (a refused watch must not stay in the set), and checked again
        // after: a close() that ran in between did not see this queue.
        open.add(queue);
        if (closed) {
            queue.add(END);
        }
        res.status(Status.OK_200);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        long deadline = System.nanoTime() + timeout.toNanos();
        try (watch; OutputStream out = res.outputStream()) {
            // Helidon holds back the headers of a chunked response until the first bytes arrive, so flushing an
            // empty stream sends nothing and a client watching a quiet collection would wait for the headers
            // until the first event (or time out). One newline sends them now; readers skip empty lines.
            out.write('\n');
            out.flush();
            long lastWrite = System.nanoTime();
            while (!closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                Object next = queue.poll(Math.min(left, TimeUnit.SECONDS.toNanos(1)), TimeUnit.NANOSECONDS);
                if (next == null) {
                    if (System.nanoTime() - lastWrite > HEARTBEAT.toNanos()) {
                        // A blank line on an idle stream finds out whether the client is still there (a write to a
                        // closed connection fails), so a vanished client does not hold a watch until the timeout.
                        out.write('\n');
                        out.flush();
                        lastWrite = System.nanoTime();
                    }
                    continue;
                }
                if (next == END) {
                    break;
                }
                out.write(ResourceCodec.toJson(next));
                out.write('\n');
                while ((next = queue.poll()) != null && next != END) {
                    out.write(ResourceCodec.toJson(next));
                    out.write('\n');
                }
                out.flush();
                lastWrite = System.nanoTime();
                if (next == END) {
                    break;
                }
            }
        } catch (IOException | java.io.UncheckedIOException | io.helidon.webserver.CloseConnectionException e) {
            // The client went away; closing the watch is all there is to do.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            open.remove(queue);
        }
    }

    private static Map<String, Object> errorEvent(ApiException e) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("type", "ERROR");
        event.put("object", ErrorBodies.statusMap(e, null));
        return event;
    }

    /** Ends every open stream so that a graceful shutdown does not wait for watch timeouts. */
    @Override
    public void close() {
        closed = true;
        for (LinkedBlockingQueue<Object> q : open) {
            q.add(END);
        }
    }
}
