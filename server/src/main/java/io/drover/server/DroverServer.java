package io.drover.server;

import io.drover.api.ResourceRegistry;
import io.drover.api.registry.StoreResourceRegistry;
import io.drover.controllers.Controllers;
import io.drover.server.http.ResourceHandler;
import io.drover.server.http.WatchStreams;
import io.drover.store.KeyValueStore;
import io.drover.store.sqlite.SqliteKeyValueStore;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.WebServer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The all-in-one server: the store, the registry on it, the controllers and the REST API. Stopping it is
 * graceful: the listener stops taking requests, open watches end, controllers finish their current item, and
 * the store closes last so that every acknowledged write is already durable.
 */
public final class DroverServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DroverServer.class);

    private final KeyValueStore store;
    private final StoreResourceRegistry registry;
    private final Controllers controllers;
    private final WatchStreams watches;
    private final WebServer web;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean closing;

    private DroverServer(KeyValueStore store, StoreResourceRegistry registry, Controllers controllers, WatchStreams watches, WebServer web) {
        this.store = store;
        this.registry = registry;
        this.controllers = controllers;
        this.watches = watches;
        this.web = web;
    }

    static {
        if (!org.slf4j.bridge.SLF4JBridgeHandler.isInstalled()) {
            org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
            org.slf4j.bridge.SLF4JBridgeHandler.install();
        }
    }

    public static DroverServer start(ServerOptions options) {
        return start(options, Controllers.Options.DEFAULTS);
    }

    /** Starts a server whose controllers run with {@code controllerOptions} (e.g. another host port range). */
    public static DroverServer start(ServerOptions options, Controllers.Options controllerOptions) {
        KeyValueStore store = openStore(options);
        Controllers controllers = null;
        try {
            StoreResourceRegistry registry = new StoreResourceRegistry(store);
            registry.ensureDefaults();
            controllers = Controllers.start(store, registry, controllerOptions);
            WatchStreams watches = new WatchStreams(registry);
            ResourceHandler resources = new ResourceHandler(registry, watches);
            WebServer web = WebServer.builder()
                    .host(options.host())
                    .port(options.port())
                    .shutdownHook(false)
                    .routing(r -> r
                            .get("/healthz", (req, res) -> res.send("ok"))
                            .get("/version", (req, res) -> {
                                res.header(HeaderNames.CONTENT_TYPE, "application/json");
                                res.send("{\"version\":\"" + Version.VERSION + "\",\"apiVersion\":\"drover.io/v1\"}");
                            })
                            .any("/apis/*", resources))
                    .build()
                    .start();
            // Helidon logs a listener that cannot bind and returns a server that is not running; say so instead.
            if (!web.isRunning()) {
                throw new IllegalArgumentException("cannot listen on " + options.host() + ":" + options.port()
                        + ": the address is in use or not on this machine; choose another --listen HOST:PORT");
            }
            LOG.info("Drover {} serving on http://{}:{} (store: {} in {})", Version.VERSION, options.host(), web.port(),
                    options.store(), options.dataDir());
            return new DroverServer(store, registry, controllers, watches, web);
        } catch (RuntimeException e) {
            if (controllers != null) {
                controllers.close(Duration.ofSeconds(5));
            }
            store.close();
            throw e;
        }
    }

    private static KeyValueStore openStore(ServerOptions options) {
        return switch (options.store()) {
            case "embedded" -> SqliteKeyValueStore.open(options.dataDir());
            default -> throw new IllegalArgumentException("unknown store \"" + options.store()
                    + "\": this version supports --store embedded (a durable SQLite file in --data DIR)");
        };
    }

    public int port() {
        return web.port();
    }

    public ResourceRegistry registry() {
        return registry;
    }

    public KeyValueStore store() {
        return store;
    }

    /** Blocks until {@link #close()} has finished (for the server verb's main thread). */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    @Override
    public synchronized void close() {
        if (closing) {
            return;
        }
        closing = true;
        LOG.info("Drover server stopping");
        watches.close();
        web.stop();
        controllers.close(Duration.ofSeconds(5));
        store.close();
        stopped.countDown();
        LOG.info("Drover server stopped");
    }
}
