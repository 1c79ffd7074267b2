package io.drover.model.validation;

import io.drover.model.meta.LabelRules;
import java.util.regex.Pattern;

/** Naming rules beyond {@link LabelRules}: network names and port names. Each returns null when valid. */
final class Names {

    private static final Pattern SERVICE_NAME_CHARS = Pattern.compile("[-a-z0-9]+");
    private static final Pattern HAS_LETTER = Pattern.compile(".*[a-z].*");

    private Names() {}

    /** A DNS-1123 label short enough for the bridge name Drover derives from it. */
    static String networkNameProblem(String name) {
        String problem = LabelRules.dns1123LabelProblem(name);
        if (problem != null) {
            return problem;
        }
        if (name.length() > Validators.MAX_NETWORK_NAME_LENGTH) {
            return "must be no more than " + Validators.MAX_NETWORK_NAME_LENGTH + " characters (it has " + name.length()
                    + "): Drover derives the network's Linux bridge name from it, and Linux interface names are "
                    + "limited to 15 characters";
        }
        return null;
    }

    /** A DNS-1035 label, as Kubernetes requires of service names: a DNS label that starts with a letter. */
    static String serviceNameProblem(String name) {
        String problem = LabelRules.dns1123LabelProblem(name);
        if (problem == null && !Character.isLetter(name.charAt(0))) {
            return "must start with a letter (a-z): a service's name is a DNS label of its own (NAME.NAMESPACE.svc), "
                    + "and Kubernetes requires that too";
        }
        return problem;
    }

    /** IANA_SVC_NAME (RFC 6335), as Kubernetes requires of port names. */
    static String portNameProblem(String name) {
        if (name.length() > 15) {
            return "must be no more than 15 characters (it has " + name.length() + ")";
        }
        if (!SERVICE_NAME_CHARS.matcher(name).matches()) {
            return "must consist of lower case alphanumeric characters or '-' (e.g. 'http' or 'metrics-2')";
        }
        if (!HAS_LETTER.matcher(name).matches()) {
            return "must contain at least one letter (a-z), so that it cannot be mistaken for a port number";
        }
        if (name.startsWith("-") || name.endsWith("-")) {
            return "must not start or end with '-'";
        }
        if (name.contains("--")) {
            return "must not contain two '-' in a row";
        }
        return null;
    }
}
