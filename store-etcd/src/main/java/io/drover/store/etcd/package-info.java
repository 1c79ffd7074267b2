/**
 * The {@link io.drover.store.KeyValueStore} on an etcd cluster, for Drover's multi-host deployments.
 *
 * <ul>
 *   <li>{@link io.drover.store.etcd.EtcdKeyValueStore} maps the contract onto etcd through jetcd;
 *       {@link io.drover.store.etcd.EtcdStoreOptions} says where etcd is (endpoints, TLS, namespace, timeout).</li>
 *   <li>{@code EtcdTxns} translates transactions and their results, {@code EtcdKeys} keys and prefix ranges,
 *       {@code EtcdWatch} runs one watch (with its own resume logic), {@code EtcdCalls} bounds every call in time
 *       and words its failures, {@code CallDeadlines} puts a gRPC deadline on every call but watches.</li>
 *   <li>{@link io.drover.store.etcd.testing} starts local etcd members (Debian's {@code /usr/bin/etcd}) for
 *       tests and the lab.</li>
 * </ul>
 */
package io.drover.store.etcd;
