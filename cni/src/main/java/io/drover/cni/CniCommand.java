package io.drover.cni;

import java.util.Optional;

/**
 * The CNI operations (CNI_COMMAND), with the first specification version that has each and the CNI_* variables it
 * requires. The requirements are libcni's (pkg/skel) for ADD, CHECK and DEL, and the specification's for GC and
 * STATUS; CNI_COMMAND itself is always required.
 */
public enum CniCommand {
    ADD(null, true, true, true, true),
    DEL(null, true, false, true, true),
    CHECK("0.4.0", true, true, true, true),
    VERSION(null, false, false, false, false),
    STATUS("1.1.0", false, false, false, true),
    GC("1.1.0", false, false, false, true);

    private final String since;
    private final boolean needsContainerId;
    private final boolean needsNetns;
    private final boolean needsIfName;
    private final boolean needsPath;

    CniCommand(String since, boolean containerId, boolean netns, boolean ifName, boolean path) {
        this.since = since;
        this.needsContainerId = containerId;
        this.needsNetns = netns;
        this.needsIfName = ifName;
        this.needsPath = path;
    }

    /** The command named exactly {@code text} (CNI_COMMAND is case-sensitive), if any. */
    public static Optional<CniCommand> of(String text) {
        for (CniCommand c : values()) {
            if (c.name().equals(text)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** The first configuration version allowing this command, or null when every version does. */
    public String since() {
        return since;
    }

    /** True when the command acts on one attachment (container id and interface name are validated). */
    public boolean isAttachment() {
        return this == ADD || this == DEL || this == CHECK;
    }

    /** Whether {@code variable} (e.g. "CNI_NETNS") must be set and non-empty for this command. */
    public boolean requires(String variable) {
        return switch (variable) {
            case "CNI_COMMAND" -> true;
            case "CNI_CONTAINERID" -> needsContainerId;
            case "CNI_NETNS" -> needsNetns;
            case "CNI_IFNAME" -> needsIfName;
            case "CNI_PATH" -> needsPath;
            default -> false;
        };
    }
}
