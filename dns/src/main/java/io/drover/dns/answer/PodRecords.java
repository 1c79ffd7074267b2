package io.drover.dns.answer;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** Which {@code a-b-c-d.ns.pod.zone} names answer, as CoreDNS's {@code pods} option. */
public enum PodRecords {
    /** Only the addresses pods of that namespace have (Drover's default: DNS knows every pod). */
    VERIFIED,
    /** Any well-formed address, whether a pod has it or not (CoreDNS's {@code pods insecure}, kube-dns' way). */
    INSECURE,
    /** No pod records. */
    DISABLED;

    public static Optional<PodRecords> find(String name) {
        return name == null ? Optional.empty()
                : Arrays.stream(values()).filter(m -> m.name().equalsIgnoreCase(name.strip())).findFirst();
    }

    /** "verified, insecure or disabled", for messages. */
    public static String known() {
        String all = Arrays.stream(values()).map(m -> m.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
        return all.substring(0, all.lastIndexOf(", ")) + " or " + all.substring(all.lastIndexOf(", ") + 2);
    }
}
