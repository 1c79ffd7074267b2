package io.drover.server;

import io.drover.api.ApiException;
import io.drover.api.ResourceRegistry;
import io.drover.api.registry.StoreResourceRegistry;
import io.drover.controllers.Controllers;
import io.drover.controllers.ipam.IpamPodAddressing;
import io.drover.controllers.leader.Candidate;
import io.drover.controllers.leader.LeaderElection;
import io.drover.controllers.leader.Term;
import io.drover.dns.DnsServer;
import io.drover.model.codec.ResourceCodec;
import io.drover.server.http.ResourceHandler;
import io.drover.server.http.WatchStreams;
import io.drover.server.registry.RegistryApi;
import io.drover.server.registry.TtlExpirer;
import java.time.Clock;
import io.drover.store.KeyValueStore;
import io.drover.store.StoreException;
import io.drover.store.etcd.EtcdKeyValueStore;
import io.drover.store.sqlite.SqliteKeyValueStore;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server: the store, the registry on it, the REST API, and the controllers while this server is the leader.
 *
 * <p>Any number of servers may share one etcd: the API answers on all of them, and the controllers run on one,
 * the leader, chosen through a {@link LeaderElection} on the store. The embedded store admits one server, which
 * always leads. The leader's controllers write through a store fenced by its term, so a deposed leader's writes
 * never land. {@code GET /readyz} tells whether the store answers and who leads.
 *
 * <p>Stopping it is graceful: the listener stops taking requests, open watches end, the controllers finish their
 * current item, the leadership is handed over (the lease revoked, so another server takes over at once), and the
 * store closes last so that every acknowledged write is already durable.
 */
public final class DroverServer implements AutoCloseable {

    /** Leader-only work besides the controllers (e.g. a lab's pod placement), on the registry fenced by the term. */
    @FunctionalInterface
    public interface LeaderWork {
        LeaderWork NONE = registry -> () -> {};

        AutoCloseable start(ResourceRegistry registry) throws Exception;
    }

    private static final Logger LOG = LoggerFactory.getLogger(DroverServer.class);
    /** How long start waits for the first election outcome, so a lone server returns with its controllers running. */
    private static final Duration FIRST_ELECTION_WAIT = Duration.ofSeconds(10);

    private final ServerOptions options;
    private final KeyValueStore store;
    private final StoreResourceRegistry registry;
    private final WatchStreams watches;
    private final WebServer web;
    private final RegistryApi registryApi;
    private volatile LeaderElection election;
    /** The in-process DNS server ({@code --dns}); null without one. Every server runs its own: it only reads. */
    private volatile DnsServer dns;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean closing;

    private DroverServer(ServerOptions options, KeyValueStore store, StoreResourceRegistry registry, WatchStreams watches,
            RegistryApi registryApi, WebServer web) {
        this.options = options;
        this.registryApi = registryApi;
        this.store = store;
        this.registry = registry;
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
        return start(options, controllerOptions, LeaderWork.NONE);
    }

    /** Starts a server whose leader also runs {@code leaderWork}. */
    public static DroverServer start(ServerOptions options, Controllers.Options controllerOptions, LeaderWork leaderWork) {
        return start(options, controllerOptions, leaderWork, LeaderElection.Options.DEFAULTS);
    }

    /** Starts a server that campaigns with {@code electionOptions} (tests shorten the lease). */
    public static DroverServer start(ServerOptions options, Controllers.Options controllerOptions, LeaderWork leaderWork,
            LeaderElection.Options electionOptions) {
        KeyValueStore store = openStore(options);
        DroverServer server = null;
        try {
            StoreResourceRegistry plain = new StoreResourceRegistry(store, options.serviceNetwork());
            // Pods created through this server (every server, not only the leader: allocation is compare-and-swap
            // on the store) are addressed in their create, so that a CNI ADD gets its pod back addressed instead of
            // waiting for the IPAM controller; the controller then finds them done.
            StoreResourceRegistry registry = plain.withPodAddressing(IpamPodAddressing.on(store, plain));
            try {
                registry.ensureDefaults();
            } catch (ApiException e) {
                if (e.reason() == ApiException.Reason.SERVICE_UNAVAILABLE) {
                    // The registry's words are for API clients ("the store is unavailable: ...; retry once the store is back ...").
                    String cause = e.getMessage().replaceFirst("^the store is unavailable: ", "")
                            .replaceFirst("; retry once the store is back \\(.*$", "");
                    throw new StoreException("cannot start the server: the store (" + options.describeStore()
                            + ") cannot be reached: " + cause, e);
                }
                throw e;
            }
            WatchStreams watches = new WatchStreams(registry);
            ResourceHandler resources = new ResourceHandler(registry, watches);
            RegistryApi registryApi = new RegistryApi(registry, Clock.systemUTC());
            DroverServer[] self = new DroverServer[1];
            WebServer web = WebServer.builder()
                    .host(options.host())
                    .port(options.port())
                    .shutdownHook(false)
                    .routing(r -> r
                            .get("/healthz", (req, res) -> res.send("ok"))
                            .get("/readyz", (req, res) -> self[0].readyz(req, res))
                            .get("/version", (req, res) -> {
                                res.header(HeaderNames.CONTENT_TYPE, "application/json");
                                res.send("{\"version\":\"" + Version.VERSION + "\",\"apiVersion\":\"drover.io/v1\"}");
                            })
                            .any("/apis/*", resources)
                            // Kubernetes' core group (Service) is served under /api/v1.
                            .any("/api/*", resources)
                            // The HTTP service registry (Consul-like): healthy endpoints, blocking queries, TTL instances.
                            .register(RegistryApi.PREFIX, registryApi))
                    .build();
            server = new DroverServer(options, store, registry, watches, registryApi, web);
            self[0] = server;
            web.start();
            // Helidon logs a listener that cannot bind and returns a server that is not running; say so instead.
            if (!web.isRunning()) {
                throw new IllegalArgumentException("cannot listen on " + options.host() + ":" + options.port()
                        + ": the address is in use or not on this machine; choose another --listen HOST:PORT");
            }
            server.startDns();
            server.elect(controllerOptions, leaderWork, electionOptions);
            LOG.info("Drover {} serving on {} (store: {}; {})", Version.VERSION, server.url(), options.describeStore(),
                    server.election.isLeader() ? "the leader: controllers run here"
                            : "not the leader: controllers run on " + server.election.leader()
                                    .map(l -> l.candidate().id()).orElse("the leader, once elected"));
            return server;
        } catch (RuntimeException e) {
            if (server != null) {
                server.close();
            } else {
                store.close();
            }
            throw e;
        }
    }

    /**
     * Starts the DNS server on this server's registry (unfenced: it only reads, so every server, leader or not,
     * answers). Its reverse zone is the service CIDR the server allocates from.
     */
    private void startDns() {
        if (options.dns() == null) {
            return;
        }
        dns = DnsServer.start(registry, options.dns().withReverseCidrs(List.of(options.serviceNetwork().serviceCidr())));
    }

    /** Where the in-process DNS server listens; empty without one. */
    public Optional<InetSocketAddress> dnsAddress() {
        DnsServer d = dns;
        return d == null ? Optional.empty() : Optional.of(d.address());
    }

    private static KeyValueStore openStore(ServerOptions options) {
        return switch (options.store()) {
            case ServerOptions.EMBEDDED -> {
                if (options.dataDir() == null) {
                    throw new IllegalArgumentException("the embedded store needs a data directory (--data DIR)");
                }
                yield SqliteKeyValueStore.open(options.dataDir());
            }
            case ServerOptions.ETCD -> {
                if (options.etcd() == null) {
                    throw new IllegalArgumentException("--store etcd needs the etcd endpoints: give --etcd-endpoints "
                            + "URLS, the client URLs of the etcd members, e.g. http://10.0.0.1:2379,http://10.0.0.2:2379");
                }
                yield EtcdKeyValueStore.open(options.etcd());
            }
            default -> throw new IllegalArgumentException("unknown store \"" + options.store()
                    + "\": use --store embedded (a durable SQLite file in --data DIR, for one server) or --store etcd "
                    + "(an etcd cluster at --etcd-endpoints URLS, for any number of servers)");
        };
    }

    /** Joins the leader election; the leader runs the controllers (and {@code leaderWork}) on the fenced store. */
    private void elect(Controllers.Options controllerOptions, LeaderWork leaderWork, LeaderElection.Options electionOptions) {
        boolean embedded = options.store().equals(ServerOptions.EMBEDDED);
        election = LeaderElection.start(store, Candidate.ofThisProcess(url()),
                electionOptions.withSoleCandidate(embedded), term -> lead(term, controllerOptions, leaderWork));
        try {
            election.awaitSettled(FIRST_ELECTION_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** This server leads: the controllers start on the store fenced by the term; the handle stops them. */
    private AutoCloseable lead(Term term, Controllers.Options controllerOptions, LeaderWork leaderWork) throws Exception {
        KeyValueStore fenced = term.fence(store);
        StoreResourceRegistry fencedRegistry = new StoreResourceRegistry(fenced, options.serviceNetwork());
        Controllers controllers = Controllers.start(fenced, fencedRegistry, controllerOptions);
        AutoCloseable extra;
        // The registry's TTLs expire in one place: on the leader, with the controllers.
        TtlExpirer ttls = TtlExpirer.start(fencedRegistry, Clock.systemUTC());
        try {
            extra = leaderWork.start(fencedRegistry);
        } catch (Exception | Error e) {
            ttls.close();
            controllers.close(Duration.ofSeconds(5));
            throw e;
        }
        LOG.info("This server leads (term {}): controllers started", term.revision());
        return () -> {
            try {
                extra.close();
            } finally {
                ttls.close();
                controllers.close(Duration.ofSeconds(5));
                LOG.info("Controllers of term {} stopped", term.revision());
            }
        };
    }

    private void readyz(ServerRequest req, ServerResponse res) {
        Map<String, Object> body = new LinkedHashMap<>();
        Map<String, Object> storeStatus = new LinkedHashMap<>();
        storeStatus.put("kind", options.store());
        if (options.etcd() != null) {
            storeStatus.put("endpoints", options.etcd().describeEndpoints());
        }
        String problem = null;
        try {
            store.revision();
            storeStatus.put("reachable", true);
        } catch (StoreException e) {
            storeStatus.put("reachable", false);
            problem = "the store cannot be reached: " + e.getMessage();
        }
        body.put("ready", problem == null && !closing);
        body.put("store", storeStatus);
        LeaderElection e = election;
        LeaderElection.Status status = e == null ? null : e.status();
        body.put("leader", status != null && status.leader());
        if (status != null) {
            body.put("self", identity(status.self()));
            if (status.current() != null) {
                Map<String, Object> leader = identity(status.current().candidate());
                leader.put("term", status.current().term());
                leader.put("since", status.current().since());
                body.put("currentLeader", leader);
            }
            if (problem == null && status.problem() != null) {
                problem = "leader election: " + status.problem();
            }
        }
        if (closing) {
            problem = "the server is stopping";
        }
        if (problem != null) {
            body.put("problem", problem);
        }
        res.status(Boolean.TRUE.equals(body.get("ready")) ? Status.OK_200 : Status.SERVICE_UNAVAILABLE_503);
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        res.send(ResourceCodec.toJson(body));
    }

    private static Map<String, Object> identity(Candidate c) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", c.id());
        out.put("host", c.host());
        out.put("pid", c.pid());
        if (c.url() != null) {
            out.put("url", c.url());
        }
        return out;
    }

    /** The API's URL as this server serves it, e.g. {@code http://127.0.0.1:7443}. */
    public String url() {
        String host = options.host();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + web.port();
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

    public ServerOptions options() {
        return options;
    }

    /** Whether this server leads now (runs the controllers). */
    public boolean isLeader() {
        LeaderElection e = election;
        return e != null && e.isLeader();
    }

    /** The election this server takes part in (its status names the leader). */
    public LeaderElection election() {
        return election;
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
        registryApi.close();
        web.stop();
        if (dns != null) {
            dns.close();
        }
        if (election != null) {
            election.close();
        }
        store.close();
        stopped.countDown();
        LOG.info("Drover server stopped");
    }
}
