package io.drover.store.etcd;

import io.drover.store.etcd.testing.EtcdCluster;
import io.drover.store.etcd.testing.EtcdProcess;

/**
 * Run in a child JVM by {@link EtcdProcessShutdownTest}: starts a cluster, prints each member's PID and data
 * directory, and exits without closing it, as a test JVM that dies mid-test would.
 */
public final class AbandonedClusterMain {
    private AbandonedClusterMain() {}

    public static void main(String[] args) {
        EtcdCluster cluster = EtcdCluster.start(Integer.parseInt(args[0]));
        for (EtcdProcess member : cluster.members()) {
            System.out.println(member.pid() + " " + member.config().dataDir());
        }
        System.out.flush();
        System.exit(0);
    }
}
