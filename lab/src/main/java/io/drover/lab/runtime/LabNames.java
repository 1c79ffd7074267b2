package io.drover.lab.runtime;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names of everything a lab creates, derived from the lab's name alone, so that {@code lab down} can find a
 * lab's namespaces under /run/netns even when its state file is gone.
 *
 * <pre>
 *   drl-NAME-fabric          the fabric: the underlay bridge(s) every node's uplink plugs into
 *   drl-NAME-router          the router between the underlay's segments (a lab with a routed underlay)
 *   drl-NAME-node-N          lab node node-N, running its agent
 *   drl-NAME-p-HASH          a pod; HASH = first 10 hex digits of SHA-256("namespace/pod")
 * </pre>
 *
 * Each of the shapes ends differently (a word, digits after "node-", ten hex digits after "p-"), so a
 * namespace name belongs to at most one lab: {@link #parse} is unambiguous even though lab names may contain
 * dashes (lab "a" never claims "drl-a-b-node-1", which is lab "a-b"'s). Pods are hashed because a Kubernetes
 * namespace and pod name together may be 300 characters long; a 40-bit hash makes a collision among one lab's
 * pods negligible.
 */
public record LabNames(String lab) {

    public static final String PREFIX = "drl-";
    public static final String DEFAULT_LAB = "default";
    /** Lab names are DNS labels of at most this length; namespace names stay far below NAME_MAX (255). */
    public static final int MAX_LAB_NAME = 24;
    public static final int MAX_NODES = 250;

    private static final Pattern LAB_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,22}[a-z0-9])?");
    private static final Pattern NAMESPACE =
            Pattern.compile("drl-([a-z0-9][a-z0-9-]*?)-(fabric|router|node-([1-9][0-9]*)|p-([0-9a-f]{10}))");
    private static final Pattern NODE_NAME = Pattern.compile("node-([1-9][0-9]*)");

    /** What a lab namespace is for. */
    public enum Role { FABRIC, ROUTER, NODE, POD }

    /** A namespace name taken apart: which lab, which role, and the node number for nodes (else 0). */
    public record Parsed(String lab, Role role, int node) {}

    public LabNames {
        String problem = validate(lab);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** Null when {@code name} is a valid lab name, else what is wrong with it and how to fix it. */
    public static String validate(String name) {
        if (name == null || name.isEmpty()) {
            return "the lab name is empty; use lowercase letters, digits and '-', e.g. --name " + DEFAULT_LAB;
        }
        if (name.length() > MAX_LAB_NAME) {
            return "lab name '" + name + "' is " + name.length() + " characters long; use at most " + MAX_LAB_NAME;
        }
        if (!LAB_NAME.matcher(name).matches()) {
            return "lab name '" + name + "' is invalid: use lowercase letters, digits and '-', starting and ending"
                    + " with a letter or digit";
        }
        return null;
    }

    public static LabNames of(String lab) {
        return new LabNames(lab);
    }

    /** The lab node names: node-1 ... node-N. */
    public static String nodeName(int node) {
        checkNode(node);
        return "node-" + node;
    }

    /** The number of a lab node name ("node-3" gives 3), or empty when it is not one. */
    public static Optional<Integer> nodeNumber(String nodeName) {
        Matcher m = NODE_NAME.matcher(nodeName);
        return m.matches() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
    }

    public String prefix() {
        return PREFIX + lab + "-";
    }

    public String fabricNamespace() {
        return prefix() + "fabric";
    }

    /** The namespace of the router between the segments of a routed underlay. */
    public String routerNamespace() {
        return prefix() + "router";
    }

    public String nodeNamespace(int node) {
        checkNode(node);
        return prefix() + "node-" + node;
    }

    public String podNamespace(String namespace, String pod) {
        return prefix() + "p-" + podHash(namespace, pod);
    }

    /** Whether a namespace name is one this lab would create (and so one {@code lab down} removes). */
    public boolean owns(String namespaceName) {
        return parse(namespaceName).map(p -> p.lab().equals(lab)).orElse(false);
    }

    /** Takes a lab namespace name apart; empty for any name a lab does not create. */
    public static Optional<Parsed> parse(String namespaceName) {
        Matcher m = NAMESPACE.matcher(namespaceName);
        if (!m.matches() || validate(m.group(1)) != null) {
            return Optional.empty();
        }
        String kind = m.group(2);
        if (kind.equals("fabric")) {
            return Optional.of(new Parsed(m.group(1), Role.FABRIC, 0));
        }
        if (kind.equals("router")) {
            return Optional.of(new Parsed(m.group(1), Role.ROUTER, 0));
        }
        if (m.group(3) != null) {
            int node;
            try {
                node = Integer.parseInt(m.group(3));
            } catch (NumberFormatException tooLong) {
                return Optional.empty();
            }
            return Optional.of(new Parsed(m.group(1), Role.NODE, node));
        }
        return Optional.of(new Parsed(m.group(1), Role.POD, 0));
    }

    static String podHash(String namespace, String pod) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((namespace + "/" + pod).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 5);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static void checkNode(int node) {
        if (node < 1 || node > MAX_NODES) {
            throw new IllegalArgumentException("lab node numbers run from 1 to " + MAX_NODES + ", not " + node);
        }
    }
}
