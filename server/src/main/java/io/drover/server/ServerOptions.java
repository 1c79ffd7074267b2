package io.drover.server;

import io.drover.dns.DnsOptions;
import io.drover.model.service.ServiceNetworkOptions;
import io.drover.store.etcd.EtcdStoreOptions;
import java.nio.file.Path;

/**
 * How to run a server.
 *
 * @param store   the store implementation: {@code embedded} (SQLite in {@code dataDir}; one server) or {@code etcd}
 *                (an etcd cluster at {@code etcd}; any number of servers, controllers on the elected leader)
 * @param dataDir where the embedded store keeps its file (unused with etcd)
 * @param host    the address to listen on (127.0.0.1 keeps the API on this machine)
 * @param port    the TCP port; 0 picks a free one (see {@link DroverServer#port()})
 * @param etcd    how to reach etcd (endpoints, TLS files) with {@code store = etcd}; null otherwise
 * @param serviceNetwork where services get cluster IPs, node ports and load balancer addresses; every server on one
 *                       store must be given the same
 * @param dns     the cluster DNS server to run in this process, on the server's own registry; null: none (its
 *                reverse zone is the service CIDR, whatever {@code dns} says)
 */
public record ServerOptions(String store, Path dataDir, String host, int port, EtcdStoreOptions etcd,
        ServiceNetworkOptions serviceNetwork, DnsOptions dns) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 7443;
    public static final String EMBEDDED = "embedded";
    public static final String ETCD = "etcd";

    public ServerOptions {
        serviceNetwork = serviceNetwork == null ? ServiceNetworkOptions.DEFAULTS : serviceNetwork;
    }

    /** Without DNS. */
    public ServerOptions(String store, Path dataDir, String host, int port, EtcdStoreOptions etcd,
            ServiceNetworkOptions serviceNetwork) {
        this(store, dataDir, host, port, etcd, serviceNetwork, null);
    }

    /** With the default service network. */
    public ServerOptions(String store, Path dataDir, String host, int port, EtcdStoreOptions etcd) {
        this(store, dataDir, host, port, etcd, ServiceNetworkOptions.DEFAULTS);
    }

    /** Without etcd options (the embedded store, or a store name to be refused). */
    public ServerOptions(String store, Path dataDir, String host, int port) {
        this(store, dataDir, host, port, null);
    }

    public ServerOptions withServiceNetwork(ServiceNetworkOptions newServiceNetwork) {
        return new ServerOptions(store, dataDir, host, port, etcd, newServiceNetwork, dns);
    }

    /** Also serves cluster DNS in process (null: not). */
    public ServerOptions withDns(DnsOptions newDns) {
        return new ServerOptions(store, dataDir, host, port, etcd, serviceNetwork, newDns);
    }

    public static ServerOptions embedded(Path dataDir, String host, int port) {
        return new ServerOptions(EMBEDDED, dataDir, host, port, null);
    }

    public static ServerOptions etcd(EtcdStoreOptions etcd, String host, int port) {
        return new ServerOptions(ETCD, null, host, port, etcd);
    }

    /** The store as log lines and messages name it: "embedded in DIR" or "etcd at URLS". */
    public String describeStore() {
        return switch (store) {
            case EMBEDDED -> "embedded in " + (dataDir == null ? "?" : dataDir.toAbsolutePath());
            case ETCD -> "etcd at " + (etcd == null ? "?" : etcd.describeEndpoints());
            default -> store;
        };
    }
}
