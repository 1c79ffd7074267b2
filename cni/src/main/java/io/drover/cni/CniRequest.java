package io.drover.cni;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One validated CNI call, as the agent's {@link CniHandler} receives it.
 *
 * @param command the operation
 * @param containerId CNI_CONTAINERID (validated for ADD, CHECK and DEL; empty for STATUS and GC)
 * @param netns CNI_NETNS (exists for ADD and CHECK; may be empty or gone for DEL; empty for STATUS and GC)
 * @param ifName CNI_IFNAME (validated for ADD, CHECK and DEL; empty for STATUS and GC)
 * @param args CNI_ARGS split into its {@code KEY=VALUE} pairs, in order
 * @param path CNI_PATH (Drover delegates to no other plugin, so it is informational)
 * @param config the network configuration from stdin
 */
public record CniRequest(CniCommand command, String containerId, String netns, String ifName,
        Map<String, String> args, String path, NetworkConfig config) {

    public CniRequest {
        args = Collections.unmodifiableMap(new LinkedHashMap<>(args));
    }

    /** The namespace used for pods whose CNI_ARGS do not name one. */
    public static final String DEFAULT_NAMESPACE = "default";

    /** Where a pod made through CNI lives in Drover: its namespace and name, and whether CNI_ARGS said so. */
    public record PodRef(String namespace, String name, boolean fromArgs) {}

    /**
     * The pod this call is about: K8S_POD_NAMESPACE and K8S_POD_NAME from CNI_ARGS when both are present (as
     * Kubernetes runtimes pass them), else namespace {@value #DEFAULT_NAMESPACE} and a name made from the container
     * id (lower-cased, characters outside {@code [a-z0-9-]} turned into '-', cut to 63 characters, as a DNS label).
     */
    public PodRef pod() {
        String ns = args.getOrDefault("K8S_POD_NAMESPACE", "");
        String name = args.getOrDefault("K8S_POD_NAME", "");
        if (!ns.isEmpty() && !name.isEmpty()) {
            return new PodRef(ns, name, true);
        }
        return new PodRef(DEFAULT_NAMESPACE, nameFromContainerId(containerId), false);
    }

    static String nameFromContainerId(String containerId) {
        String s = containerId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        if (s.length() > 63) {
            s = s.substring(0, 63);
        }
        s = s.replaceAll("^-+", "").replaceAll("-+$", "");
        return s.isEmpty() ? "pod" : s;
    }

    /**
     * Parses CNI_ARGS: {@code KEY=VALUE} pairs separated by ';' (e.g. {@code IgnoreUnknown=1;K8S_POD_NAME=web-1}).
     * Empty segments are skipped; a value may itself contain '='. A later pair overrides an earlier one.
     *
     * @throws CniError code 4 naming CNI_ARGS when a pair has no '=' or an empty key
     */
    public static Map<String, String> parseArgs(String cniArgs) throws CniError {
        Map<String, String> out = new LinkedHashMap<>();
        if (cniArgs == null || cniArgs.isEmpty()) {
            return out;
        }
        for (String pair : cniArgs.split(";")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new CniError(CniError.INVALID_ENVIRONMENT, "invalid CNI_ARGS",
                        "ARGS: invalid pair \"" + pair + "\"; CNI_ARGS holds KEY=VALUE pairs separated by ';'");
            }
            out.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return out;
    }
}
