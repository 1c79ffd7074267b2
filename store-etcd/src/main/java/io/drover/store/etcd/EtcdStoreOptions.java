package io.drover.store.etcd;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * How an {@link EtcdKeyValueStore} reaches etcd.
 *
 * @param endpoints       client URLs of the etcd members, e.g. {@code http://10.0.0.1:2379}; all {@code http} or all
 *                        {@code https}. {@code https} (or a CA certificate) turns TLS on.
 * @param caCert          PEM file of the CA that signed the members' certificates; null: the JVM's trusted CAs
 *                        (only with {@code https} endpoints)
 * @param clientCert      PEM certificate this client presents (etcd's {@code --client-cert-auth}); null for none
 * @param clientKey       its private key, PEM in PKCS#8 ({@code BEGIN PRIVATE KEY}); with {@code clientCert} only
 * @param namespace       a prefix put before every key, so several stores (or tests) share one etcd without seeing
 *                        each other's keys; "" for none. Revisions and compaction stay cluster-wide.
 * @param requestTimeout  the longest any call to etcd may take, retries included; past it the call fails with a
 *                        {@link io.drover.store.StoreException} (a write may then have happened or not)
 * @param watchQueueLimit revisions a slow watcher may have waiting in memory; past that its etcd watch is paused
 *                        and resumed from the last queued revision once the watcher has caught up
 */
public record EtcdStoreOptions(
        List<URI> endpoints,
        Path caCert,
        Path clientCert,
        Path clientKey,
        String namespace,
        Duration requestTimeout,
        int watchQueueLimit) {

    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(5);
    public static final int DEFAULT_WATCH_QUEUE_LIMIT = 10_000;

    public EtcdStoreOptions {
        Objects.requireNonNull(endpoints, "endpoints");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        endpoints = List.copyOf(endpoints);
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("no etcd endpoint given: name at least one client URL, "
                    + "e.g. http://127.0.0.1:2379");
        }
        for (URI endpoint : endpoints) {
            checkEndpoint(endpoint);
        }
        long tlsEndpoints = endpoints.stream().filter(u -> u.getScheme().equals("https")).count();
        if (tlsEndpoints != 0 && tlsEndpoints != endpoints.size()) {
            throw new IllegalArgumentException("the etcd endpoints " + endpoints
                    + " mix http and https: use https for all of them or for none");
        }
        if ((clientCert == null) != (clientKey == null)) {
            throw new IllegalArgumentException("a client certificate needs its key and a key its certificate: give both "
                    + "or neither (client certificate " + clientCert + ", key " + clientKey + ")");
        }
        if (tlsEndpoints == 0 && (caCert != null || clientCert != null)) {
            throw new IllegalArgumentException("TLS files are given but the etcd endpoints " + endpoints
                    + " are http: use https:// endpoints");
        }
        if (requestTimeout.isNegative() || requestTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("requestTimeout must be at least 1 ms, was " + requestTimeout);
        }
        if (watchQueueLimit <= 0) {
            throw new IllegalArgumentException("watchQueueLimit must be positive, was " + watchQueueLimit);
        }
    }

    /** Plain-text access to these endpoints ({@code http://host:port}; a bare {@code host:port} means http). */
    public static EtcdStoreOptions of(String... endpoints) {
        return of(Arrays.asList(endpoints));
    }

    public static EtcdStoreOptions of(List<String> endpoints) {
        return new EtcdStoreOptions(endpoints.stream().map(EtcdStoreOptions::endpoint).toList(), null, null, null, "",
                DEFAULT_REQUEST_TIMEOUT, DEFAULT_WATCH_QUEUE_LIMIT);
    }

    /** Endpoints as a command line or a config file gives them: comma-separated, e.g. {@code http://a:2379,http://b:2379}. */
    public static EtcdStoreOptions parse(String commaSeparatedEndpoints) {
        Objects.requireNonNull(commaSeparatedEndpoints, "endpoints");
        return of(Arrays.stream(commaSeparatedEndpoints.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .toList());
    }

    /**
     * TLS with these files (see the record's parameters); {@code clientCert} and {@code clientKey} may be null
     * together. The endpoints must be {@code https}.
     */
    public EtcdStoreOptions withTls(Path caCert, Path clientCert, Path clientKey) {
        return new EtcdStoreOptions(endpoints, caCert, clientCert, clientKey, namespace, requestTimeout,
                watchQueueLimit);
    }

    public EtcdStoreOptions withNamespace(String namespace) {
        return new EtcdStoreOptions(endpoints, caCert, clientCert, clientKey, namespace, requestTimeout,
                watchQueueLimit);
    }

    public EtcdStoreOptions withRequestTimeout(Duration requestTimeout) {
        return new EtcdStoreOptions(endpoints, caCert, clientCert, clientKey, namespace, requestTimeout,
                watchQueueLimit);
    }

    public EtcdStoreOptions withWatchQueueLimit(int watchQueueLimit) {
        return new EtcdStoreOptions(endpoints, caCert, clientCert, clientKey, namespace, requestTimeout,
                watchQueueLimit);
    }

    public boolean tls() {
        return endpoints.getFirst().getScheme().equals("https");
    }

    /** The endpoints as people write them, for messages. */
    public String describeEndpoints() {
        return String.join(",", endpoints.stream().map(URI::toString).toList());
    }

    private static URI endpoint(String text) {
        Objects.requireNonNull(text, "endpoint");
        String withScheme = text.contains("://") ? text : "http://" + text;
        try {
            return new URI(withScheme);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + text + "' is not an etcd endpoint: write it as http://host:port "
                    + "or https://host:port (" + e.getReason() + ")", e);
        }
    }

    private static void checkEndpoint(URI endpoint) {
        Objects.requireNonNull(endpoint, "endpoint");
        String scheme = endpoint.getScheme();
        if (scheme == null || !(scheme.equals("http") || scheme.equals("https")) || endpoint.getHost() == null
                || endpoint.getPort() <= 0
                || (endpoint.getPath() != null && !endpoint.getPath().isEmpty() && !endpoint.getPath().equals("/"))) {
            throw new IllegalArgumentException("'" + endpoint + "' is not an etcd endpoint: write it as "
                    + "http://host:port or https://host:port (etcd's client URL, port usually 2379)");
        }
    }
}
