package io.drover.controllers.ipam;

import java.util.Locale;

/**
 * Who holds an allocation: a pod's interface ({@code pod:<uid>:<interface>}, allocated by the IPAM
 * controller) or a container's ({@code container:<container id>:<interface>}, allocated through CNI). A retried
 * request carries the same handle and so gets the same addresses.
 *
 * <p>The owner type is part of the id because the two are collected by different garbage collectors: the
 * controller's knows which pods exist, only a node's agent knows which containers do.
 */
public record HandleId(OwnerType ownerType, String owner, String interfaceName) {

    public enum OwnerType {
        POD, CONTAINER;

        String prefix() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public HandleId {
        if (ownerType == null) {
            throw new IllegalArgumentException("handle owner type is missing");
        }
        requireToken("owner", owner, true);
        requireToken("interface", interfaceName, false);
    }

    public static HandleId forPod(String podUid, String interfaceName) {
        return new HandleId(OwnerType.POD, podUid, interfaceName);
    }

    public static HandleId forContainer(String containerId, String interfaceName) {
        return new HandleId(OwnerType.CONTAINER, containerId, interfaceName);
    }

    /** Parses the form {@link #toString} writes. */
    public static HandleId parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("empty handle id");
        }
        String[] parts = text.split(":", 3);
        if (parts.length != 3) {
            throw new IllegalArgumentException("'" + text + "' is not a handle id: expected pod:<uid>:<interface> or container:<id>:<interface>");
        }
        OwnerType type = switch (parts[0]) {
            case "pod" -> OwnerType.POD;
            case "container" -> OwnerType.CONTAINER;
            default -> throw new IllegalArgumentException("'" + text + "' has unknown owner type '" + parts[0] + "': expected pod or container");
        };
        return new HandleId(type, parts[1], parts[2]);
    }

    /** The stored form, also a store key segment: it never holds '/'. */
    @Override
    public String toString() {
        return ownerType.prefix() + ":" + owner + ":" + interfaceName;
    }

    private static void requireToken(String what, String value, boolean noColon) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("handle " + what + " is empty");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '/' || c <= ' ' || c == 0x7f || (noColon && c == ':')) {
                throw new IllegalArgumentException("handle " + what + " '" + value + "' may not contain '/', ':' or whitespace");
            }
        }
    }
}
