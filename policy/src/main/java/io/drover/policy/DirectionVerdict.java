package io.drover.policy;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/** What the policies of one end say about a connection in one direction: egress of the client, ingress of the server. */
public sealed interface DirectionVerdict {

    Direction direction();

    /** The end whose policies decide: the client for egress, the server for ingress. */
    String subject();

    boolean allows();

    /** One line, e.g. {@code egress of x/a: not isolated (no egress policy selects it)}. */
    default String describe() {
        return direction() + " of " + subject() + ": " + reason();
    }

    /** What the policies say, without naming the end: {@code not isolated (no egress policy selects it)}. */
    String reason();

    /** The end is an address outside every pod: no policy selects it, so this direction lets everything through. */
    record NotAPod(Direction direction, String subject) implements DirectionVerdict {
        @Override
        public boolean allows() {
            return true;
        }

        @Override
        public String reason() {
            return "not a pod, so no policy applies";
        }
    }

    /** No policy that isolates in this direction selects the pod: everything passes. */
    record NotIsolated(Direction direction, String subject) implements DirectionVerdict {
        @Override
        public boolean allows() {
            return true;
        }

        @Override
        public String reason() {
            return "not isolated (no " + direction + " policy selects it)";
        }
    }

    /**
     * Policies isolate the pod: only what one of their rules allows passes.
     *
     * @param isolatedBy the policies that select the pod in this direction, in name order
     * @param allowedBy  every rule of theirs that matches the connection; none means it is blocked
     */
    record Isolated(Direction direction, String subject, List<NamespacedName> isolatedBy, List<RuleMatch> allowedBy)
            implements DirectionVerdict {

        public Isolated {
            Objects.requireNonNull(direction, "direction");
            isolatedBy = List.copyOf(isolatedBy);
            allowedBy = List.copyOf(allowedBy);
        }

        @Override
        public boolean allows() {
            return !allowedBy.isEmpty();
        }

        @Override
        public String reason() {
            String policies = isolatedBy.stream().map(NamespacedName::toString).collect(Collectors.joining(", "));
            String outcome = allowedBy.isEmpty()
                    ? "no rule allows it"
                    : "allowed by " + allowedBy.stream().map(RuleMatch::describe).collect(Collectors.joining(", "));
            return "isolated by " + policies + "; " + outcome;
        }
    }
}
