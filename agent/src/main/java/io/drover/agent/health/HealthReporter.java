package io.drover.agent.health;

import io.drover.api.ApiException;
import io.drover.api.ResourceRegistry;
import io.drover.model.service.EndpointHealth;
import io.drover.model.service.ServiceEndpoints;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the health of this node's endpoints into their ServiceEndpoints objects: one write per object per pass
 * whatever number of its endpoints changed, compare-and-swap on the object's resourceVersion (the endpoints
 * controller writes the same objects), and on a conflict the object is read again and the change made anew, a few
 * times. A pass that cannot write (the API unreachable, conflicts that go on) logs why once and says so; the caller
 * tries again later, from the health as it is then: level-triggered, nothing queued to lose.
 *
 * <p>The objects written are remembered until the mirror catches up, so that a pass right after a write compares
 * with what was written, not with the older copy the mirror still holds.
 */
public final class HealthReporter {

    private static final Logger log = LoggerFactory.getLogger(HealthReporter.class);
    /** Writes of one object in one pass: the first, and the retries after conflicts. */
    static final int ATTEMPTS = 3;

    private final ResourceRegistry registry;
    private final String nodeName;
    private final Map<String, ServiceEndpoints> written = new HashMap<>();
    private String lastProblem;

    public HealthReporter(ResourceRegistry registry, String nodeName) {
        this.registry = registry;
        this.nodeName = nodeName;
    }

    /**
     * One pass over the mirrored endpoints objects: writes each whose endpoints of this node should get the health
     * in {@code wanted}. True when every write needed was made (or its object is gone).
     */
    public boolean report(List<ServiceEndpoints> mirrored, Map<TargetKey, EndpointHealth> wanted) {
        Set<String> concerned = new HashSet<>();
        wanted.keySet().forEach(k -> concerned.add(k.objectKey()));
        Set<String> present = new HashSet<>();
        boolean ok = true;
        for (ServiceEndpoints object : mirrored) {
            String key = key(object);
            present.add(key);
            if (!concerned.contains(key)) {
                continue;
            }
            ServiceEndpoints current = newer(object, written.get(key));
            Optional<ServiceEndpoints> update = HealthReports.update(current, nodeName, wanted);
            if (update.isPresent()) {
                ok &= write(key, update.get(), wanted);
            }
        }
        written.keySet().retainAll(present);
        if (ok && lastProblem != null) {
            log.info("node {}: health reports written again", nodeName);
            lastProblem = null;
        }
        return ok;
    }

    private boolean write(String key, ServiceEndpoints update, Map<TargetKey, EndpointHealth> wanted) {
        ServiceEndpoints next = update;
        for (int attempt = 1; ; attempt++) {
            try {
                written.put(key, registry.replace(next));
                return true;
            } catch (ApiException e) {
                if (e.reason() == ApiException.Reason.NOT_FOUND) {
                    written.remove(key);
                    return true; // deleted with its service: nothing to report any more
                }
                if (e.reason() != ApiException.Reason.CONFLICT || attempt == ATTEMPTS) {
                    return problem(key, e);
                }
            } catch (RuntimeException e) {
                return problem(key, e);
            }
            // Someone wrote first (the controller, recomputing readiness): apply the health to what is there now.
            Optional<ServiceEndpoints> fresh;
            try {
                fresh = registry.get(ServiceEndpoints.class, next.namespace(), next.name());
            } catch (RuntimeException e) {
                return problem(key, e);
            }
            if (fresh.isEmpty()) {
                written.remove(key);
                return true;
            }
            written.put(key, fresh.get());
            Optional<ServiceEndpoints> again = HealthReports.update(fresh.get(), nodeName, wanted);
            if (again.isEmpty()) {
                return true;
            }
            next = again.get();
        }
    }

    private boolean problem(String key, RuntimeException e) {
        String problem = "cannot report the health of endpoints of service " + key + ": " + e.getMessage();
        if (!problem.equals(lastProblem)) {
            log.warn("node {}: {} (trying again)", nodeName, problem);
            lastProblem = problem;
        }
        return false;
    }

    /** Of two copies of one object, the later by resourceVersion; the mirror's when they cannot be compared. */
    private static ServiceEndpoints newer(ServiceEndpoints mirrored, ServiceEndpoints written) {
        if (written == null) {
            return mirrored;
        }
        try {
            long a = Long.parseLong(mirrored.metadata().resourceVersion());
            long b = Long.parseLong(written.metadata().resourceVersion());
            return b > a ? written : mirrored;
        } catch (NumberFormatException | NullPointerException e) {
            return mirrored;
        }
    }

    private static String key(ServiceEndpoints object) {
        return TargetKey.objectKey(object);
    }
}
