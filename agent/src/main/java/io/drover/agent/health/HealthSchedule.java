package io.drover.agent.health;

import io.drover.model.service.EndpointHealth;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.ArrayList;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which checks are due when, and what their attempts add up to: the node's targets, each with its
 * {@link CheckState}, its next due time and the attempt under way, if any. Pure and single-threaded: the caller
 * passes the time, starts the attempts {@link #due} hands out, and brings their outcomes back through
 * {@link #complete}; so the whole timing is tested with a fake clock.
 *
 * <p>Attempts of one target never overlap: a target is not due while its attempt runs. Each runs every interval
 * from when it was due (not from when the last attempt ended), so that a slow check does not drift; one that fell
 * behind runs at once and continues from there instead of catching up in a burst.
 */
public final class HealthSchedule {

    /** One attempt to start; its id matches its outcome with the target that asked for it. */
    public record Attempt(long id, TargetKey key, Probe probe, Duration timeout) {}

    /** A change of an endpoint's status, for the log. */
    public record Change(TargetKey key, String from, String to, String output) {}

    private static final class Tracked {
        CheckTarget target;
        CheckState state;
        Instant nextDue;
        /** The id of the attempt under way; 0 when none. */
        long running;

        Tracked(CheckTarget target, CheckState state, Instant nextDue) {
            this.target = target;
            this.state = state;
            this.nextDue = nextDue;
        }
    }

    private final Map<TargetKey, Tracked> tracked = new LinkedHashMap<>();
    private long lastAttempt;

    /**
     * Makes {@code targets} the set checked from {@code now}: a new target is due at once (a new endpoint is checked
     * without waiting an interval) and starts from its stored health; a target that went is forgotten (an attempt of
     * it still under way is ignored when it ends); a target whose check changed is due at once, and when what it
     * checks changed, earlier attempts no longer count towards a threshold.
     */
    public void retarget(Collection<CheckTarget> targets, Instant now) {
        Set<TargetKey> wanted = new HashSet<>();
        for (CheckTarget target : targets) {
            wanted.add(target.key());
            Tracked t = tracked.get(target.key());
            if (t == null) {
                tracked.put(target.key(), new Tracked(target, CheckState.initial(target.stored()), now));
            } else if (!t.target.sameCheckAs(target)) {
                if (!t.target.probe().equals(target.probe())) {
                    t.state = t.state.restarted();
                }
                t.target = target;
                t.nextDue = now;
            }
        }
        tracked.keySet().retainAll(wanted);
    }

    /** The attempts due at {@code now}, each marked as under way; the caller must start every one. */
    public List<Attempt> due(Instant now) {
        List<Attempt> out = new ArrayList<>();
        for (Tracked t : tracked.values()) {
            if (t.running != 0 || now.isBefore(t.nextDue)) {
                continue;
            }
            t.running = ++lastAttempt;
            Instant next = t.nextDue.plus(t.target.timing().interval());
            t.nextDue = next.isAfter(now) ? next : now.plus(t.target.timing().interval());
            out.add(new Attempt(t.running, t.target.key(), t.target.probe(), t.target.timing().timeout()));
        }
        return out;
    }

    /**
     * Counts the outcome of an attempt that ended at {@code at}, unless its target went or changed what it checks
     * meanwhile; returns the change of status it caused, if any.
     */
    public Optional<Change> complete(Attempt attempt, Outcome outcome, Instant at) {
        Tracked t = tracked.get(attempt.key());
        if (t == null || t.running != attempt.id()) {
            return Optional.empty();
        }
        t.running = 0;
        if (!t.target.probe().equals(attempt.probe())) {
            return Optional.empty(); // checked what the target no longer checks
        }
        String before = t.state.status();
        t.state = t.state.after(outcome, at, t.target.timing());
        return before.equals(t.state.status()) ? Optional.empty()
                : Optional.of(new Change(t.target.key(), before, t.state.status(), t.state.output()));
    }

    /**
     * The health to report for every target this agent has checked at least once. Targets not checked yet are left
     * out: their endpoints keep the health they have (an agent that restarts does not overwrite its predecessor's
     * report before it knows better).
     */
    public Map<TargetKey, EndpointHealth> reported() {
        Map<TargetKey, EndpointHealth> out = new LinkedHashMap<>();
        tracked.forEach((key, t) -> {
            if (t.state.observed()) {
                out.put(key, t.state.health());
            }
        });
        return Map.copyOf(out);
    }

    /** The earliest time a target not under way is due; empty when every target is under way or there is none. */
    public Optional<Instant> nextDue() {
        return tracked.values().stream().filter(t -> t.running == 0).map(t -> t.nextDue).min(Instant::compareTo);
    }

    public Set<TargetKey> targets() {
        return Set.copyOf(tracked.keySet());
    }

    public Optional<CheckState> state(TargetKey key) {
        return Optional.ofNullable(tracked.get(key)).map(t -> t.state);
    }
}
