package io.drover.server;

import io.drover.store.etcd.EtcdStoreOptions;

/**
 * A server on etcd in a process of its own, for the failover test to SIGKILL: {@code EtcdServerMain ENDPOINTS
 * NAMESPACE}. Prints {@code LISTENING <port>} once it serves, then runs until killed.
 */
public final class EtcdServerMain {

    private EtcdServerMain() {}

    public static void main(String[] args) throws Exception {
        EtcdStoreOptions etcd = EtcdStoreOptions.parse(args[0]).withNamespace(args[1]);
        DroverServer server = DroverServer.start(ServerOptions.etcd(etcd, "127.0.0.1", 0));
        System.out.println("LISTENING " + server.port() + " " + (server.isLeader() ? "leader" : "follower"));
        System.out.flush();
        server.awaitStop();
    }
}
