package io.drover.agent.health;

import com.sun.net.httpserver.HttpServer;
import io.drover.agent.kernel.Kernel;
import io.drover.agent.kernel.NetNs;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP server listening inside a pod's namespace (its socket made there, through the kernel), as a pod's own
 * server would: {@code /healthz} answers with the status the test sets; {@code /redirect} sends to {@code /elsewhere},
 * whose hits are counted; {@code /slow} never answers in time; anything else answers 200 with {@code name}, so that a
 * connection through a service tells which pod it reached.
 */
final class PodHttpServer implements AutoCloseable {

    private final HttpServer server;
    volatile int healthStatus = 200;
    final AtomicInteger elsewhere = new AtomicInteger();

    PodHttpServer(Kernel kernel, NetNs pod, int port, String name) {
        try {
            server = kernel.inNamespace(pod, () -> HttpServer.create(new InetSocketAddress("0.0.0.0", port), 16));
        } catch (RuntimeException e) {
            throw new UncheckedIOException(new IOException("cannot listen in " + pod + ": " + e.getMessage(), e));
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            int status = 200;
            byte[] body = name.getBytes(StandardCharsets.UTF_8);
            switch (path) {
                case "/healthz" -> status = healthStatus;
                case "/redirect" -> {
                    status = 302;
                    exchange.getResponseHeaders().add("Location", "/elsewhere");
                }
                case "/elsewhere" -> elsewhere.incrementAndGet();
                case "/slow" -> {
                    try {
                        Thread.sleep(5_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                default -> { }
            }
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
