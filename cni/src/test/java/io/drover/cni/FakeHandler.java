package io.drover.cni;

import io.drover.cni.CniResult.Dns;
import io.drover.cni.CniResult.Interface;
import io.drover.cni.CniResult.IpConfig;
import io.drover.cni.CniResult.Route;
import io.drover.cni.NetworkConfig.Attachment;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A handler with the semantics the agent must have, over an in-memory table of attachments: ADD refuses an interface
 * already in use, DEL is idempotent, CHECK verifies against what ADD made, GC drops what is not in the valid list.
 */
final class FakeHandler implements CniHandler {

    record Key(String network, String containerId, String ifName) {}

    final Map<Key, CniResult> attachments = new ConcurrentHashMap<>();
    final List<CniRequest> calls = new CopyOnWriteArrayList<>();
    private final AtomicInteger next = new AtomicInteger(2);
    volatile CniError statusError;
    volatile RuntimeException crash;

    private static Key key(CniRequest r) {
        return new Key(r.config().network(), r.containerId(), r.ifName());
    }

    @Override
    public CniResult add(CniRequest r) throws CniError {
        calls.add(r);
        if (crash != null) {
            throw crash;
        }
        if (attachments.containsKey(key(r))) {
            throw CniError.interfaceInUse(r.ifName(), r.netns());
        }
        int host = next.getAndIncrement();
        if (host > 254) {
            throw CniError.poolExhausted(r.config().network(), "all 253 addresses of 10.99.0.0/24 are in use");
        }
        CniResult result = new CniResult(List.of(
                new Interface("drv" + Integer.toHexString(host), "02:00:00:00:00:" + String.format("%02x", host), null),
                new Interface(r.ifName(), "02:00:0a:63:00:" + String.format("%02x", host), r.netns())),
                List.of(new IpConfig(1, "10.99.0." + host + "/24", "10.99.0.1")),
                List.of(new Route("0.0.0.0/0", "10.99.0.1")), new Dns(List.of("10.99.0.1"), null, List.of(), List.of()));
        attachments.put(key(r), result);
        return result;
    }

    @Override
    public void del(CniRequest r) {
        calls.add(r);
        attachments.remove(key(r));
    }

    @Override
    public void check(CniRequest r) throws CniError {
        calls.add(r);
        CniResult made = attachments.get(key(r));
        if (made == null) {
            throw new CniError(CniError.UNKNOWN_CONTAINER, "no attachment of container " + r.containerId()
                    + " to network " + r.config().network() + " through " + r.ifName());
        }
        if (!made.ips().equals(r.config().prevResult().orElseThrow().ips())) {
            throw new CniError(CniError.INVALID_NETWORK_CONFIG, "prevResult does not match the attachment");
        }
    }

    @Override
    public void status(CniRequest r) throws CniError {
        calls.add(r);
        if (statusError != null) {
            throw statusError;
        }
    }

    @Override
    public void gc(CniRequest r) {
        calls.add(r);
        List<Attachment> valid = r.config().validAttachments();
        attachments.keySet().removeIf(k -> k.network().equals(r.config().network()) && valid.stream().noneMatch(
                a -> a.containerId().equals(k.containerId()) && (a.ifName().isEmpty() || a.ifName().equals(k.ifName()))));
    }
}
