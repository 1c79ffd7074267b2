package io.drover.cni;

import java.util.Objects;

/**
 * A CNI error: the JSON object a plugin prints on stdout, exiting non-zero, when a call fails. The well-known codes
 * are the specification's (1.1.0, "Error"); codes 100 and up are free for plugins, and libcni uses 999 for errors
 * that have no code, which Drover keeps for unexpected failures inside the agent.
 *
 * <p>{@code msg} is short and stable (runtimes and tests match on it); {@code details} says what exactly is wrong and
 * how to fix it. The factories below are the errors the agent raises for the conditions the specification leaves to
 * plugins, so that every path reports the same code for the same condition.
 */
public final class CniError extends Exception {

    private static final long serialVersionUID = 1L;

    /** 1: the configuration's cniVersion is not one the plugin supports, or does not allow the command. */
    public static final int INCOMPATIBLE_VERSION = 1;
    /** 2: a field of the network configuration is not supported; the message names the key and value. */
    public static final int UNSUPPORTED_FIELD = 2;
    /** 3: the container is unknown or gone; the runtime need not clean anything up for it. */
    public static final int UNKNOWN_CONTAINER = 3;
    /** 4: a necessary CNI_* environment variable is missing or invalid; the message names it. */
    public static final int INVALID_ENVIRONMENT = 4;
    /** 5: an I/O failure, e.g. reading stdin or talking to the agent. */
    public static final int IO_FAILURE = 5;
    /** 6: content could not be decoded, e.g. stdin that is not JSON. */
    public static final int DECODING_FAILURE = 6;
    /** 7: the network configuration is invalid. */
    public static final int INVALID_NETWORK_CONFIG = 7;
    /** 11: a transient condition; the runtime should retry the operation later. */
    public static final int TRY_AGAIN_LATER = 11;
    /** 50 (STATUS only): the plugin cannot serve ADD requests now. */
    public static final int PLUGIN_NOT_AVAILABLE = 50;
    /** 51 (STATUS only): the plugin is not available and existing containers may have limited connectivity. */
    public static final int LIMITED_CONNECTIVITY = 51;
    /** 999: libcni's code for an error without a code; Drover's for an unexpected failure in the agent. */
    public static final int INTERNAL = 999;

    private final int code;
    private final String msg;
    private final String details;

    public CniError(int code, String msg, String details) {
        super(details == null || details.isEmpty() ? msg : msg + "; " + details);
        this.code = code;
        this.msg = Objects.requireNonNull(msg, "msg");
        this.details = details == null ? "" : details;
    }

    public CniError(int code, String msg) {
        this(code, msg, null);
    }

    public int code() {
        return code;
    }

    public String msg() {
        return msg;
    }

    /** The long message; empty when there is none (then the JSON has no "details"). */
    public String details() {
        return details;
    }

    // The conditions the specification leaves to plugins, each with one code.

    /** ADD or CHECK named a namespace path that does not exist (DEL does not fail for this: it is idempotent). */
    public static CniError netnsNotFound(String netns) {
        return new CniError(INVALID_ENVIRONMENT, "CNI_NETNS names a network namespace that does not exist",
                netns + " does not exist; pass the path of the container's network namespace (e.g. /run/netns/NAME"
                        + " or /proc/PID/ns/net)");
    }

    /** ADD asked for an interface name that is already taken inside the container's namespace. */
    public static CniError interfaceInUse(String ifName, String netns) {
        return new CniError(INVALID_ENVIRONMENT, "CNI_IFNAME is already in use",
                "an interface named " + ifName + " already exists in " + netns
                        + "; choose another CNI_IFNAME, or DEL the attachment that made it first");
    }

    /**
     * The network has no free address. Transient: addresses come back as pods are deleted, so the runtime retries
     * (a network too small to hand out any address at all is a configuration error, code 7).
     */
    public static CniError poolExhausted(String network, String details) {
        return new CniError(TRY_AGAIN_LATER, "no free address in network " + network, details);
    }

    /**
     * A published host port is taken. Transient: the runtime retries, and the call succeeds once the holder is gone.
     */
    public static CniError portInUse(String protocol, String hostIp, int hostPort, String holder) {
        String where = (hostIp == null || hostIp.isEmpty() ? "" : hostIp + ":") + hostPort + "/" + protocol;
        return new CniError(TRY_AGAIN_LATER, "host port " + where + " is already taken",
                "it is published by " + holder + "; publish another host port, or remove " + holder);
    }

    /** The network configuration is invalid; {@code details} says which field and why. */
    public static CniError invalidConfig(String details) {
        return new CniError(INVALID_NETWORK_CONFIG, "invalid network config", details);
    }
}
