package io.drover.model.meta;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A Kubernetes label selector in its structured form, as NetworkPolicy writes it: {@code matchLabels} and
 * {@code matchExpressions}, all of which must hold. The empty selector ({@code {}}) matches everything.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record SelectorSpec(Map<String, String> matchLabels, List<Expression> matchExpressions) {

    public static final SelectorSpec EVERYTHING = new SelectorSpec(Map.of(), List.of());

    /** One requirement: {@code operator} is In, NotIn, Exists or DoesNotExist (as Kubernetes spells them). */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public record Expression(String key, String operator, List<String> values) {
        public Expression {
            values = values == null ? List.of() : List.copyOf(values);
        }
    }

    public SelectorSpec {
        matchLabels = matchLabels == null ? Map.of() : new TreeMap<>(matchLabels);
        matchExpressions = matchExpressions == null ? List.of() : List.copyOf(matchExpressions);
    }

    public static SelectorSpec labels(Map<String, String> labels) {
        return new SelectorSpec(labels, List.of());
    }

    // Not a field: Jackson would otherwise write "empty": true, which no reader accepts back.
    @JsonIgnore
    public boolean isEmpty() {
        return matchLabels.isEmpty() && matchExpressions.isEmpty();
    }

    /**
     * The same selector as a {@link LabelSelector}. Assumes a valid selector (see
     * {@code io.drover.model.validation.NetworkPolicyRules}): an unknown operator matches nothing.
     */
    public LabelSelector toLabelSelector() {
        List<LabelSelector.Requirement> requirements = new ArrayList<>();
        matchLabels.forEach((k, v) -> requirements.add(
                new LabelSelector.Requirement(k, LabelSelector.Operator.EQUALS, Set.of(v))));
        for (Expression e : matchExpressions) {
            LabelSelector.Operator op = OPERATORS.get(e.operator() == null ? "" : e.operator());
            // An unknown operator (validation refuses it) matches nothing: "In" with no values never holds.
            requirements.add(op == null
                    ? new LabelSelector.Requirement(e.key(), LabelSelector.Operator.IN, Set.of())
                    : new LabelSelector.Requirement(e.key(), op, Set.copyOf(e.values())));
        }
        return new LabelSelector(requirements);
    }

    public boolean matches(Map<String, String> labels) {
        return COMPILED.computeIfAbsent(this, SelectorSpec::toLabelSelector).matches(labels);
    }

    /**
     * Selectors as matched, by value: policy engines match the same few selectors against every pod of a cluster,
     * and building the matcher each time would cost more than the match. Weak, so that selectors of deleted
     * policies go.
     */
    private static final Map<SelectorSpec, LabelSelector> COMPILED =
            java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    /** The operators as Kubernetes spells them. */
    private static final Map<String, LabelSelector.Operator> OPERATORS = Map.of(
            "In", LabelSelector.Operator.IN,
            "NotIn", LabelSelector.Operator.NOT_IN,
            "Exists", LabelSelector.Operator.EXISTS,
            "DoesNotExist", LabelSelector.Operator.DOES_NOT_EXIST);

    public static final Set<String> KNOWN_OPERATORS = OPERATORS.keySet();
}
