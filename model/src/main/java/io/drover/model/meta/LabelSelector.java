package io.drover.model.meta;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A Kubernetes label selector in its string form: requirements separated by commas, all of which must hold.
 * {@code a=b}, {@code a==b}, {@code a!=b}, {@code a in (x,y)}, {@code a notin (x,y)}, {@code a} (exists),
 * {@code !a} (does not exist). The empty selector matches everything.
 */
public record LabelSelector(List<Requirement> requirements) {

    public enum Operator { EQUALS, NOT_EQUALS, IN, NOT_IN, EXISTS, DOES_NOT_EXIST }

    public record Requirement(String key, Operator operator, Set<String> values) {
        public boolean matches(Map<String, String> labels) {
            String value = labels.get(key);
            return switch (operator) {
                case EQUALS, IN -> value != null && values.contains(value);
                // As Kubernetes: "a!=b" and "a notin (b)" also match objects without the label.
                case NOT_EQUALS, NOT_IN -> value == null || !values.contains(value);
                case EXISTS -> value != null;
                case DOES_NOT_EXIST -> value == null;
            };
        }

        @Override
        public String toString() {
            return switch (operator) {
                case EQUALS -> key + "=" + values.iterator().next();
                case NOT_EQUALS -> key + "!=" + values.iterator().next();
                case IN -> key + " in (" + String.join(",", values.stream().sorted().toList()) + ")";
                case NOT_IN -> key + " notin (" + String.join(",", values.stream().sorted().toList()) + ")";
                case EXISTS -> key;
                case DOES_NOT_EXIST -> "!" + key;
            };
        }
    }

    public LabelSelector {
        requirements = List.copyOf(requirements);
    }

    public static LabelSelector everything() {
        return new LabelSelector(List.of());
    }

    public static LabelSelector matching(Map<String, String> labels) {
        return new LabelSelector(labels.entrySet().stream()
                .map(e -> new Requirement(e.getKey(), Operator.EQUALS, Set.of(e.getValue())))
                .toList());
    }

    public boolean isEmpty() {
        return requirements.isEmpty();
    }

    public boolean matches(Map<String, String> labels) {
        for (Requirement r : requirements) {
            if (!r.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    /** Parses the string form; throws IllegalArgumentException saying where and what was expected. */
    public static LabelSelector parse(String text) {
        if (text == null || text.isBlank()) {
            return everything();
        }
        List<Requirement> result = new ArrayList<>();
        for (String part : splitTopLevel(text)) {
            result.add(parseRequirement(part.trim(), text));
        }
        return new LabelSelector(result);
    }

    private static List<String> splitTopLevel(String text) {
        List<String> parts = new ArrayList<>();
        int depth = 0, start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(text.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(text.substring(start));
        return parts;
    }

    private static Requirement parseRequirement(String part, String whole) {
        if (part.isEmpty()) {
            throw new IllegalArgumentException("label selector '" + whole + "' has an empty requirement (two commas in a row?)");
        }
        if (part.startsWith("!")) {
            return new Requirement(checkKey(part.substring(1).trim(), whole), Operator.DOES_NOT_EXIST, Set.of());
        }
        String[] setOps = {" notin ", " in "};
        for (String op : setOps) {
            int at = part.indexOf(op);
            if (at > 0) {
                String key = checkKey(part.substring(0, at).trim(), whole);
                String rest = part.substring(at + op.length()).trim();
                if (!rest.startsWith("(") || !rest.endsWith(")")) {
                    throw new IllegalArgumentException("label selector '" + whole + "': values of '" + key + " "
                            + op.trim() + "' must be in parentheses, e.g. " + key + op + "(a,b)");
                }
                Set<String> values = java.util.Arrays.stream(rest.substring(1, rest.length() - 1).split(","))
                        .map(String::trim)
                        .filter(v -> !v.isEmpty())
                        .collect(Collectors.toUnmodifiableSet());
                // As Kubernetes: an empty set would make "in" match nothing and "notin" everything, surely a slip.
                if (values.isEmpty()) {
                    throw new IllegalArgumentException("label selector '" + whole + "': '" + key + " " + op.trim()
                            + "' needs at least one value, e.g. " + key + op + "(a,b)");
                }
                for (String v : values) {
                    checkValue(v, whole);
                }
                return new Requirement(key, op.trim().equals("in") ? Operator.IN : Operator.NOT_IN, values);
            }
        }
        String[] ops = {"!=", "==", "="};
        for (String op : ops) {
            int at = part.indexOf(op);
            if (at >= 0) {
                String key = checkKey(part.substring(0, at).trim(), whole);
                String value = checkValue(part.substring(at + op.length()).trim(), whole);
                return new Requirement(key, op.equals("!=") ? Operator.NOT_EQUALS : Operator.EQUALS, Set.of(value));
            }
        }
        return new Requirement(checkKey(part, whole), Operator.EXISTS, Set.of());
    }

    private static String checkKey(String key, String whole) {
        String problem = LabelRules.keyProblem(key);
        if (problem != null) {
            throw new IllegalArgumentException("label selector '" + whole + "': key '" + key + "' " + problem);
        }
        return key;
    }

    private static String checkValue(String value, String whole) {
        String problem = LabelRules.valueProblem(value);
        if (problem != null) {
            throw new IllegalArgumentException("label selector '" + whole + "': value '" + value + "' " + problem);
        }
        return value;
    }

    @Override
    public String toString() {
        return requirements.stream().map(Requirement::toString).collect(Collectors.joining(","));
    }
}
