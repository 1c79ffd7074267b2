package io.drover.cli.commands;

import io.drover.model.tenant.Namespace;
import picocli.CommandLine.Option;

/** {@code -n NS}, shared by the verbs; namespaced objects go to {@code default} when none is given. */
public final class NamespaceOption {

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS",
            description = "The namespace of namespaced objects (default: " + Namespace.DEFAULT + ").")
    String namespace;

    public String effective() {
        return namespace == null ? Namespace.DEFAULT : namespace;
    }

    /** Whether the user chose the namespace, as opposed to falling back to the default. */
    public boolean explicit() {
        return namespace != null;
    }
}
