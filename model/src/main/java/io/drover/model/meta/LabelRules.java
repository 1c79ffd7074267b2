package io.drover.model.meta;

import java.util.regex.Pattern;

/**
 * Kubernetes' rules for names, label keys and label values. Each check returns null when the text is valid,
 * else the rule it broke, phrased to follow the offending text ("'Foo' must consist of ...").
 */
public final class LabelRules {

    private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern DNS1123_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern QUALIFIED_NAME_PART = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");

    private LabelRules() {}

    /** An RFC 1123 label: namespaces, networks, and anything that becomes a DNS label or interface name. */
    public static String dns1123LabelProblem(String name) {
        return nameProblem(name, 63, DNS1123_LABEL,
                "must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name' or '123-abc')");
    }

    /** An RFC 1123 subdomain: names of pods, nodes, tenants. */
    public static String dns1123SubdomainProblem(String name) {
        return nameProblem(name, 253, DNS1123_SUBDOMAIN,
                "must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com')");
    }

    /**
     * A DNS domain (a cluster domain, a DNS zone): an RFC 1123 subdomain whose every label, as DNS requires, has at
     * most 63 characters. The problem names the label at fault. Give it without a trailing dot.
     */
    public static String dnsDomainProblem(String name) {
        if (name == null || name.isEmpty()) {
            return "must not be empty";
        }
        if (name.length() > 253) {
            return "must be no more than 253 characters (it has " + name.length() + ")";
        }
        for (String label : name.split("\\.", -1)) {
            if (label.isEmpty()) {
                return "must not have an empty label (a dot at the start or end, or two dots in a row)";
            }
            if (label.length() > 63) {
                return "has a label of " + label.length() + " characters ('" + label.substring(0, 10)
                        + "...'); each label between dots must be no more than 63 characters";
            }
            if (!DNS1123_LABEL.matcher(label).matches()) {
                return "has a label '" + label + "' that must consist of lower case alphanumeric characters or '-', and"
                        + " must start and end with an alphanumeric character (e.g. 'cluster.local')";
            }
        }
        return null;
    }

    /** The first rule a name breaks: present, at most {@code maxLength} characters, then the pattern. */
    private static String nameProblem(String name, int maxLength, Pattern pattern, String patternRule) {
        if (name == null || name.isEmpty()) {
            return "must not be empty";
        }
        if (name.length() > maxLength) {
            return "must be no more than " + maxLength + " characters (it has " + name.length() + ")";
        }
        if (!pattern.matcher(name).matches()) {
            return patternRule;
        }
        return null;
    }

    /** A label key: an optional DNS subdomain prefix and '/', then a name of at most 63 characters. */
    public static String keyProblem(String key) {
        if (key == null || key.isEmpty()) {
            return "must not be empty";
        }
        String name = key;
        int slash = key.indexOf('/');
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            name = key.substring(slash + 1);
            String prefixProblem = dns1123SubdomainProblem(prefix);
            if (prefixProblem != null) {
                return "has a prefix '" + prefix + "' that " + prefixProblem;
            }
        }
        if (name.isEmpty()) {
            return "must have a name after the prefix";
        }
        if (name.length() > 63) {
            return "has a name part longer than 63 characters";
        }
        if (!QUALIFIED_NAME_PART.matcher(name).matches()) {
            return "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character, with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')";
        }
        return null;
    }

    /** A label value: empty, or at most 63 characters of the qualified-name alphabet. */
    public static String valueProblem(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (value.length() > 63) {
            return "must be no more than 63 characters (it has " + value.length() + ")";
        }
        if (!QUALIFIED_NAME_PART.matcher(value).matches()) {
            return "must be empty or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue' or 'my_value')";
        }
        return null;
    }
}
