package io.drover.policy.conformance;

import java.util.List;
import java.util.Objects;

/**
 * One NetworkPolicy conformance case: policies and the reachability they must produce on the
 * {@link ConformanceModel}, step after step.
 *
 * @param sourceName the file it was read from, for messages
 * @param note       empty when the case has none
 */
public record ConformanceCase(String sourceName, String id, String name, String note, List<CaseStep> steps) {

    public ConformanceCase {
        Objects.requireNonNull(sourceName, "sourceName");
        Objects.requireNonNull(id, "id");
        name = name == null ? "" : name;
        note = note == null ? "" : note;
        steps = List.copyOf(steps);
    }

    /** E.g. {@code NP14 ports-allow-81-from-ns-y}. */
    public String title() {
        return name.isEmpty() ? id : id + " " + name;
    }
}
