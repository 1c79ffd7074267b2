package io.drover.server.registry;

import io.drover.model.codec.ResourceCodec;
import io.drover.model.service.EndpointHealth;
import io.drover.model.service.EndpointPort;
import io.drover.model.service.ServiceEndpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * An external instance as stored: in an annotation of its service's {@code ServiceEndpoints} (key
 * {@value #ANNOTATION_PREFIX}ID), next to the endpoint it puts in the list. The annotation keeps what the endpoint
 * cannot (the id, the TTL, the last refresh), so that every server can answer and the TTL survives a restart.
 *
 * @param address     the instance's IP address
 * @param ports       its ports by name
 * @param ttlSeconds  how long it stays healthy without a refresh
 * @param refreshedAt when it last registered or refreshed
 */
record RegisteredInstance(String address, List<EndpointPort> ports, int ttlSeconds, Instant refreshedAt) {

    static final String ANNOTATION_PREFIX = "instance.registry.drover.io/";
    /** A failing instance is removed after this many TTLs without a refresh (Consul's deregister_critical_service_after). */
    static final int REMOVE_AFTER_TTLS = 10;

    enum State { PASSING, FAILING, EXPIRED }

    static RegisteredInstance of(InstanceRegistration registration, Instant now) {
        return new RegisteredInstance(registration.address(), registration.ports(), registration.ttlSeconds(), now);
    }

    static String annotationKey(String id) {
        return ANNOTATION_PREFIX + id;
    }

    static RegisteredInstance fromAnnotation(String value) {
        return ResourceCodec.json().readValue(value, RegisteredInstance.class);
    }

    String toAnnotation() {
        return ResourceCodec.toJsonString(this);
    }

    RegisteredInstance refreshed(Instant now) {
        return new RegisteredInstance(address, ports, ttlSeconds, now);
    }

    /** Passing within its TTL of the last refresh, failing after, expired (to remove) after {@value #REMOVE_AFTER_TTLS} TTLs. */
    State stateAt(Instant now) {
        Duration silent = Duration.between(refreshedAt, now);
        Duration ttl = Duration.ofSeconds(ttlSeconds);
        if (silent.compareTo(ttl) < 0) {
            return State.PASSING;
        }
        return silent.compareTo(ttl.multipliedBy(REMOVE_AFTER_TTLS)) < 0 ? State.FAILING : State.EXPIRED;
    }

    /** When its state next changes on its own (no refresh): the end of the TTL, or of the grace after it. */
    Instant nextTransition(Instant now) {
        Instant failing = refreshedAt.plusSeconds(ttlSeconds);
        return now.isBefore(failing) ? failing : refreshedAt.plusSeconds((long) ttlSeconds * REMOVE_AFTER_TTLS);
    }

    /** Whether {@code endpoint} is this instance's entry in the endpoint list (same address and ports). */
    boolean isEndpoint(ServiceEndpoint endpoint) {
        return endpoint.pod() == null && address.equals(endpoint.address()) && ports.equals(endpoint.ports());
    }

    /** Its entry in the service's endpoint list as of {@code now}: ready while passing, with a TTL check's health. */
    ServiceEndpoint endpointAt(Instant now) {
        boolean passing = stateAt(now) == State.PASSING;
        EndpointHealth health = passing
                ? new EndpointHealth(EndpointHealth.PASSING, "TTL check: refreshed within " + ttlSeconds + "s",
                        refreshedAt.toString())
                : new EndpointHealth(EndpointHealth.FAILING, "TTL check: no refresh for " + ttlSeconds
                        + "s (since " + refreshedAt + ")", refreshedAt.plusSeconds(ttlSeconds).toString());
        return new ServiceEndpoint(address, null, null, passing,
                passing ? null : "its TTL of " + ttlSeconds + "s elapsed without a refresh (PUT .../pass)",
                null, ports, health);
    }
}
