package io.drover.agent.health;

import io.drover.model.service.EndpointHealth;
import io.drover.model.service.ServiceEndpoint;
import io.drover.model.service.ServiceEndpoints;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which endpoints objects need a write, and with what: pure. Only the health of endpoints of this node is touched
 * (each agent writes its own; the endpoints controller owns every other field), and only when it changed in a way
 * worth a write: a new status at once; an output that changed but not the status at most every
 * {@link #OUTPUT_REFRESH} (as Consul's {@code check_update_interval}), so that a script printing the time does not
 * turn every attempt into a write to the store and an event to every agent. An identical result is never written;
 * {@code checkedAt} says when the reported result was seen, not when the check last ran.
 */
public final class HealthReports {

    public static final Duration OUTPUT_REFRESH = Duration.ofMinutes(1);

    private HealthReports() {}

    /**
     * {@code stored} with the health of this node's endpoints replaced where {@code wanted} says something worth
     * writing; empty when nothing is.
     */
    public static Optional<ServiceEndpoints> update(ServiceEndpoints stored, String nodeName,
            Map<TargetKey, EndpointHealth> wanted) {
        List<ServiceEndpoint> endpoints = new ArrayList<>(stored.endpoints().size());
        boolean changed = false;
        for (ServiceEndpoint e : stored.endpoints()) {
            EndpointHealth health = nodeName.equals(e.node()) && e.pod() != null
                    ? wanted.get(TargetKey.of(stored, e))
                    : null;
            if (health != null && worthWriting(e.health(), health)) {
                endpoints.add(e.withHealth(health));
                changed = true;
            } else {
                endpoints.add(e);
            }
        }
        return changed ? Optional.of(stored.withEndpoints(endpoints)) : Optional.empty();
    }

    /** Whether {@code wanted} should replace {@code stored}. */
    static boolean worthWriting(EndpointHealth stored, EndpointHealth wanted) {
        if (stored == null || !Objects.equals(stored.status(), wanted.status())) {
            return true;
        }
        if (Objects.equals(stored.output(), wanted.output())) {
            return false;
        }
        Instant storedAt = CheckState.parse(stored.checkedAt());
        Instant wantedAt = CheckState.parse(wanted.checkedAt());
        return storedAt == null || wantedAt == null || !wantedAt.isBefore(storedAt.plus(OUTPUT_REFRESH));
    }
}
