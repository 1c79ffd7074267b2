package io.drover.dns.view;

import io.drover.model.pod.Pod;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A pod's DNS hostname and subdomain, Kubernetes' {@code spec.hostname} and {@code spec.subdomain}. Drover's pod
 * spec has no such fields (yet), so they are read from the annotations {@value #HOSTNAME} and {@value #SUBDOMAIN}.
 * As in Kubernetes, a pod whose subdomain names a headless service of its namespace that selects it gets the record
 * {@code hostname.subdomain.ns.svc.zone}; Drover's hostname defaults to the pod's name when only the subdomain is
 * given (what the pod's own host name is). A value that is not a DNS label is ignored.
 */
public final class PodNames {

    public static final String HOSTNAME = "drover.io/hostname";
    public static final String SUBDOMAIN = "drover.io/subdomain";

    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    private PodNames() {}

    /** The hostname the pod has under service {@code service} of its namespace, when its subdomain names it. */
    public static Optional<String> hostnameUnder(Pod pod, String service) {
        if (pod == null || pod.metadata() == null || service == null) {
            return Optional.empty();
        }
        String subdomain = label(pod.metadata().annotations().get(SUBDOMAIN));
        if (subdomain == null || !subdomain.equals(service.toLowerCase(Locale.ROOT))) {
            return Optional.empty();
        }
        String hostname = label(pod.metadata().annotations().get(HOSTNAME));
        return Optional.ofNullable(hostname != null ? hostname : label(pod.metadata().name()));
    }

    /** Whether the pod has a subdomain at all (a change of it may change service records). */
    static boolean hasNames(Pod pod) {
        return pod != null && pod.metadata() != null && (pod.metadata().annotations().containsKey(SUBDOMAIN)
                || pod.metadata().annotations().containsKey(HOSTNAME));
    }

    private static String label(String value) {
        if (value == null) {
            return null;
        }
        String lower = value.toLowerCase(Locale.ROOT);
        return LABEL.matcher(lower).matches() ? lower : null;
    }
}
