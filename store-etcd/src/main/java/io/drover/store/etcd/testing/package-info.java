/**
 * Local etcd members for tests and the lab: {@link io.drover.store.etcd.testing.EtcdProcess} runs one member
 * (name, data directory, client and peer URL, initial cluster) as a child process and stops it by its own PID;
 * {@link io.drover.store.etcd.testing.EtcdCluster} starts a whole new cluster of one or three members on
 * 127.0.0.1 with free ports in a temporary directory.
 */
package io.drover.store.etcd.testing;
