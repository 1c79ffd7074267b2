package io.drover.cli.apply;

import java.util.Locale;

/** What apply did to one object, printed after its name: {@code pod/web-1 created}. */
public enum ApplyOutcome {
    CREATED, CONFIGURED, UNCHANGED;

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}
