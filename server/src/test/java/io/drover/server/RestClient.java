package io.drover.server;

import io.drover.model.codec.ResourceCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;

/** A small HTTP client for the REST API, as a user's program would call it. */
final class RestClient {

    static final String API = "/apis/drover.io/v1";
    static final String JSON = "application/json";
    static final String MERGE_PATCH = "application/merge-patch+json";
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final String base;

    RestClient(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    record Reply(int status, String contentType, String body) {
        JsonNode json() {
            return ResourceCodec.json().readTree(body);
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    Reply get(String path) {
        return send("GET", path, null, null);
    }

    Reply post(String path, String body) {
        return send("POST", path, body, JSON);
    }

    Reply put(String path, String body) {
        return send("PUT", path, body, JSON);
    }

    Reply patch(String path, String body) {
        return send("PATCH", path, body, MERGE_PATCH);
    }

    Reply delete(String path) {
        return send("DELETE", path, null, null);
    }

    Reply send(String method, String path, String body, String contentType) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** An open watch: its lines are read on a thread of their own, so a test can wait for each with a timeout. */
    final class WatchStream implements AutoCloseable {
        final int status;
        private final BlockingQueue<Object> lines = new LinkedBlockingQueue<>();
        private static final Object END = new Object();
        private final Thread reader;
        private final Stream<String> stream;
        private volatile boolean ended;

        WatchStream(HttpResponse<Stream<String>> response) {
            this.status = response.statusCode();
            this.stream = response.body();
            this.reader = Thread.ofPlatform().daemon().start(() -> {
                try {
                    Iterator<String> it = stream.iterator();
                    while (it.hasNext()) {
                        lines.add(it.next());
                    }
                } catch (RuntimeException e) {
                    // The connection broke: the stream ended.
                } finally {
                    ended = true;
                    lines.add(END);
                }
            });
        }

        /** The next event, or null when the stream ended; fails when nothing comes within the timeout. */
        JsonNode next(Duration timeout) throws InterruptedException {
            Object line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (line == null) {
                throw new AssertionError("no watch event within " + timeout);
            }
            if (line == END) {
                lines.add(END);
                return null;
            }
            String text = (String) line;
            if (text.isBlank()) {
                return next(timeout);
            }
            return ResourceCodec.json().readTree(text);
        }

        /** Waits for the server to end the stream; true when it did within the timeout. */
        boolean awaitEnd(Duration timeout) throws InterruptedException {
            reader.join(timeout);
            return ended;
        }

        @Override
        public void close() {
            stream.close();
        }
    }

    WatchStream watch(String path) {
        return watch(path, TIMEOUT);
    }

    /** Opens a watch; fails when the response headers do not come within {@code headersWithin}. */
    WatchStream watch(String path, Duration headersWithin) {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + path)).timeout(headersWithin).GET().build();
        try {
            return new WatchStream(http.send(req, HttpResponse.BodyHandlers.ofLines()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
