package io.drover.cni;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The CNI specification versions Drover speaks: it implements 1.1.0 and accepts configurations of 0.3.0 to 1.1.0,
 * answering each in the shape of its own version. 0.1.0 and 0.2.0 (the pre-chaining result shape) are not supported.
 */
public enum CniVersion {
    V0_3_0("0.3.0"),
    V0_3_1("0.3.1"),
    V0_4_0("0.4.0"),
    V1_0_0("1.0.0"),
    V1_1_0("1.1.0");

    /** The version Drover implements, and the one it answers in when a request names none it supports. */
    public static final CniVersion CURRENT = V1_1_0;

    /** The supported versions as strings, oldest first: what VERSION reports and error details list. */
    public static final List<String> SUPPORTED = Arrays.stream(values()).map(CniVersion::text).toList();

    private final String text;

    CniVersion(String text) {
        this.text = text;
    }

    /** The version as written in JSON, e.g. {@code "1.0.0"}. */
    public String text() {
        return text;
    }

    /** The supported version written exactly as {@code text}; like libcni, "1.0" is not "1.0.0". */
    public static Optional<CniVersion> of(String text) {
        for (CniVersion v : values()) {
            if (v.text.equals(text)) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    /** True when results of this version carry {@code "version": "4"|"6"} on each IP (0.3.x and 0.4.0). */
    public boolean ipsCarryVersion() {
        return compareTo(V1_0_0) < 0;
    }

    /** True when this version has the fields that 1.1.0 added (interface mtu/socketPath/pciID, route attributes). */
    public boolean hasExtendedFields() {
        return compareTo(V1_1_0) >= 0;
    }

    /**
     * Compares two version strings numerically, as libcni does ({@code version.GreaterThanOrEqualTo}): up to three
     * dot-separated integers, missing parts are 0, an empty string is 0.1.0.
     *
     * @throws CniError code 6 when either string is not such a version
     */
    public static int compare(String a, String b) throws CniError {
        int[] x = parse(a);
        int[] y = parse(b);
        return Arrays.compare(x, y);
    }

    private static int[] parse(String version) throws CniError {
        if (version.isEmpty()) {
            return new int[] {0, 1, 0};
        }
        String[] parts = version.split("\\.", -1);
        if (parts.length >= 4) {
            throw new CniError(CniError.DECODING_FAILURE, "invalid version \"" + version + "\": too many parts", null);
        }
        String[] names = {"major", "minor", "micro"};
        int[] out = new int[3];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                throw new CniError(CniError.DECODING_FAILURE, "failed to convert " + names[i] + " version part \""
                        + parts[i] + "\": strconv.Atoi: parsing \"" + parts[i] + "\": invalid syntax", null);
            }
        }
        return out;
    }
}
