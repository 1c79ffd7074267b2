package io.drover.cli.commands;

import io.drover.cli.DroverCommand;
import io.drover.api.client.ApiError;
import io.drover.api.client.DroverClient;
import io.drover.cli.apply.Applier;
import io.drover.cli.apply.ApplyOrder;
import io.drover.cli.apply.ApplyOutcome;
import io.drover.cli.output.ErrorReport;
import io.drover.cli.output.ResourceNames;
import io.drover.model.Resource;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code drover apply -f}: makes the server hold the objects of the manifests. One object refused does not stop
 * the others (the user sees every refusal in one run); the exit code says whether any was refused.
 */
@Command(name = "apply", sortOptions = false,
        description = "Create or update the objects of manifest files (tenants, namespaces, networks and nodes first).",
        footer = {"", "Examples:", "  drover apply -f network.yaml -f pods/", "  cat pod.yaml | drover apply -n shop -f -"})
public final class ApplyCommand extends ClientVerb {

    @Mixin
    ManifestOption manifests;

    @Mixin
    NamespaceOption namespace;

    public ApplyCommand(DroverCommand drover) {
        super(drover);
    }

    @Override
    int run(DroverClient client) {
        if (!manifests.given()) {
            throw usage("apply needs at least one -f FILE|DIR|-");
        }
        List<Resource> resources = ApplyOrder.forApply(manifests.read(drover.context().stdin(), namespace, "apply"));
        Applier applier = new Applier(client);
        boolean failed = false;
        for (Resource resource : resources) {
            String ref = ResourceNames.ref(resource);
            try {
                ApplyOutcome outcome = applier.apply(resource);
                out().println(ref + " " + outcome.word());
            } catch (ApiError e) {
                failed = true;
                ErrorReport.lines(ref, e, manifests.sourceOf(resource).orElse(null)).forEach(err()::println);
            }
        }
        return failed ? FAILED : OK;
    }
}
