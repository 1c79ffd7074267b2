package io.drover.api.registry;

import io.drover.store.Compare;
import io.drover.store.KeyValue;
import io.drover.store.KeyValueStore;
import io.drover.store.Op;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * An address or port held by one service: a key under {@link RegistryKeys#SERVICE_IP_CLAIMS} (or the load balancer
 * and node port roots) whose value names the service.
 *
 * @param key   the claim's key
 * @param what  how messages name the thing claimed: "cluster IP 10.96.0.10", "node port 30080"
 * @param field the field of the service that holds it, for refusals
 */
record ServiceClaim(String key, String what, String field) {

    static ServiceClaim clusterIp(String ip, String field) {
        return new ServiceClaim(RegistryKeys.SERVICE_IP_CLAIMS + ip, "cluster IP " + ip, field);
    }

    static ServiceClaim loadBalancerIp(String ip, String field) {
        return new ServiceClaim(RegistryKeys.LOAD_BALANCER_IP_CLAIMS + ip, "load balancer address " + ip, field);
    }

    static ServiceClaim nodePort(int port, String field) {
        return new ServiceClaim(RegistryKeys.NODE_PORT_CLAIMS + port, "node port " + port, field);
    }

    /** The service holding it ("shop/web"), if any. */
    Optional<String> holder(KeyValueStore store) {
        return store.get(key).map(kv -> new String(kv.value(), StandardCharsets.UTF_8));
    }

    /** Taking it: the key must be absent at commit, and is written with the holder's name. */
    Guard take(String holder, boolean requested, java.util.function.Supplier<io.drover.api.ApiException> refusal) {
        // An allocated one lost to another server is simply allocated again; a requested one is refused.
        return new Guard(Compare.absent(key), java.util.List.of(Op.put(key, holder.getBytes(StandardCharsets.UTF_8))),
                refusal, !requested);
    }

    /** Letting it go: deleted, provided nobody rewrote it since it was read (then the whole write is recomputed). */
    Guard release(KeyValueStore store) {
        long revision = store.get(key).map(KeyValue::modRevision).orElse(0L);
        return new Guard(Compare.modRevisionIs(key, revision), java.util.List.of(Op.delete(key)), () -> null, true);
    }
}
