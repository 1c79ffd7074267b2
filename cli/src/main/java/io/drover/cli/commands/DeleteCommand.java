package io.drover.cli.commands;

import io.drover.cli.DroverCommand;
import io.drover.cli.apply.ApplyOrder;
import io.drover.api.client.ApiError;
import io.drover.api.client.DroverClient;
import io.drover.cli.output.ErrorReport;
import io.drover.cli.output.ResourceNames;
import io.drover.model.Resource;
import io.drover.model.ResourceKind;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code drover delete KIND NAME...} or {@code drover delete -f FILE}: deletes objects, dependents first (pods
 * before the namespaces and networks they use). As apply, one failure does not stop the others.
 */
@Command(name = "delete", sortOptions = false,
        description = "Delete objects by name or those of manifest files.",
        footer = {"", "Examples:", "  drover delete pod web-1 -n shop", "  drover delete -f shop.yaml --ignore-not-found"})
public final class DeleteCommand extends ClientVerb {

    private record Target(ResourceKind kind, String namespace, String name) {}

    @Parameters(index = "0", arity = "0..1", paramLabel = "KIND", description = "Pod, Network, NetworkPolicy, SecurityGroup, "
            + "FirewallPolicy, FirewallSettings, Node, Namespace or Tenant; or KIND/NAME. Not with -f.")
    String kind;

    @Parameters(index = "1..*", arity = "0..*", paramLabel = "NAME", description = "The objects to delete (more KIND/NAME in that form).")
    List<String> names = new ArrayList<>();

    @Mixin
    ManifestOption manifests;

    @Mixin
    NamespaceOption namespace;

    @Option(names = "--ignore-not-found", description = "Treat objects that do not exist as deleted.")
    boolean ignoreNotFound;

    public DeleteCommand(DroverCommand drover) {
        super(drover);
    }

    @Override
    int run(DroverClient client) {
        List<String> args = Stream.concat(Stream.ofNullable(kind), names.stream()).toList();
        if (manifests.given() && !args.isEmpty()) {
            throw usage("name the objects either as KIND NAME... or with -f, not both");
        }
        if (!manifests.given() && args.isEmpty()) {
            throw usage("delete needs KIND NAME... or -f FILE|DIR|-");
        }
        boolean failed = false;
        for (Target target : manifests.given() ? fromManifests() : fromArguments(args)) {
            failed |= !delete(client, target);
        }
        return failed ? FAILED : OK;
    }

    private List<Target> fromArguments(List<String> args) {
        ResourceArgs parsed = ResourceArgs.parse(args);
        if (parsed.targets().isEmpty()) {
            throw usage("name the " + ResourceNames.lower(parsed.kind()) + " objects to delete: drover delete "
                    + ResourceNames.lower(parsed.kind()) + " NAME...");
        }
        return parsed.targets().stream()
                .map(t -> new Target(t.kind(), t.kind().namespaced() ? namespace.effective() : null, t.name()))
                .distinct()
                .toList();
    }

    private List<Target> fromManifests() {
        List<Resource> resources = ApplyOrder.forDelete(manifests.read(drover.context().stdin(), namespace, "delete"));
        // An object written twice in the manifests is deleted once, not reported missing the second time.
        Set<Target> targets = new LinkedHashSet<>();
        for (Resource r : resources) {
            targets.add(new Target(r.resourceKind(), r.namespace(), r.name()));
        }
        return List.copyOf(targets);
    }

    /** Deletes one object and reports it; false when it failed. */
    private boolean delete(DroverClient client, Target target) {
        String ref = ResourceNames.ref(target.kind(), target.name());
        try {
            client.delete(target.kind(), target.namespace(), target.name());
            out().println(ref + " deleted");
            return true;
        } catch (ApiError e) {
            if (e.isNotFound()) {
                if (ignoreNotFound) {
                    return true;
                }
                err().println(ErrorReport.PREFIX + ResourceNames.notFound(target.kind(), target.namespace(), target.name()));
                return false;
            }
            ErrorReport.lines(ref, e).forEach(err()::println);
            return false;
        }
    }
}
