package io.drover.cli.commands;

import io.drover.cli.CliException;
import io.drover.cli.DroverCommand;
import io.drover.api.client.DroverClient;
import io.drover.api.client.ResourceListing;
import io.drover.cli.output.ObjectPrinter;
import io.drover.cli.output.OutputFormat;
import io.drover.cli.output.ResourceTables;
import io.drover.model.Resource;
import io.drover.model.ResourceKind;
import io.drover.model.meta.LabelSelector;
import io.drover.model.service.ServiceEndpoints;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code drover get KIND [NAME]}: objects as a table, or as YAML, JSON or names. */
@Command(name = "get", sortOptions = false,
        description = "Show one object or a list of objects of a kind.",
        footer = {"", "Examples:", "  drover get pods -A -o wide", "  drover get pod web-1 -n shop -o yaml",
                "  drover get networks -l env=prod", "  drover get fwp -o wide",
                "  drover get svc -n shop"})
public final class GetCommand extends ClientVerb {

    @Parameters(index = "0", paramLabel = "KIND", description = "Pod, Service, Network, NetworkPolicy, SecurityGroup, "
            + "FirewallPolicy, FirewallSettings, Node, Namespace, Tenant or ServiceEndpoints (also plural or short: pods, "
            + "po, svc, ep, netpol, sg, fwp); or KIND/NAME.")
    String kind;

    @Parameters(index = "1", arity = "0..1", paramLabel = "NAME", description = "The object to show; all of the kind when left out.")
    String name;

    @Mixin
    NamespaceOption namespace;

    @Option(names = {"-A", "--all-namespaces"}, description = "List namespaced objects of every namespace.")
    boolean allNamespaces;

    @Option(names = {"-l", "--selector"}, paramLabel = "SELECTOR", description = "Only objects whose labels match, e.g. app=web,tier=frontend.")
    String selector;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", converter = OutputFormatConverter.class,
            description = "wide, yaml, json or name (default: a table).")
    OutputFormat output = OutputFormat.TABLE;

    public GetCommand(DroverCommand drover) {
        super(drover);
    }

    @Override
    int run(DroverClient client) {
        ResourceArgs args = ResourceArgs.parse(Stream.of(kind, name).filter(Objects::nonNull).toList());
        if (args.targets().size() > 1) {
            throw usage("get shows one object by name or all of a kind; name at most one object");
        }
        if (allNamespaces && namespace.explicit()) {
            throw usage("--namespace and --all-namespaces cannot be used together");
        }
        boolean byName = !args.targets().isEmpty();
        if (byName && selector != null) {
            throw usage("a name and a selector (-l) cannot be used together");
        }
        if (byName && allNamespaces && args.kind().namespaced()) {
            throw usage("an object cannot be retrieved by name across all namespaces; use -n NS");
        }
        checkSelector();
        ResourceKind resourceKind = args.kind();
        String ns = resourceKind.namespaced() && !allNamespaces ? namespace.effective() : null;
        if (byName) {
            showOne(client, resourceKind, ns, args.targets().getFirst().name());
        } else {
            showList(client, resourceKind, ns);
        }
        return OK;
    }

    /** A malformed selector is found here, with the parser's explanation, rather than as a server error. */
    private void checkSelector() {
        if (selector != null) {
            try {
                LabelSelector.parse(selector);
            } catch (IllegalArgumentException e) {
                throw new CliException(e.getMessage());
            }
        }
    }

    private void showOne(DroverClient client, ResourceKind kind, String ns, String objectName) {
        Resource resource = fetch(client, kind, ns, objectName);
        switch (output) {
            case TABLE, WIDE -> out().print(tables(client, kind, ns).table(kind, List.of(resource), output == OutputFormat.WIDE,
                    false).render());
            case YAML, JSON, NAME -> out().print(ObjectPrinter.object(resource, output));
        }
    }

    private void showList(DroverClient client, ResourceKind kind, String ns) {
        ResourceListing listing = client.list(kind, ns, selector);
        List<Resource> items = listing.items().stream()
                .sorted(Comparator.comparing((Resource r) -> Objects.toString(r.namespace(), ""))
                        .thenComparing(r -> Objects.toString(r.name(), "")))
                .toList();
        switch (output) {
            case TABLE, WIDE -> {
                if (items.isEmpty()) {
                    // As kubectl, on stderr: stdout stays empty for scripts that count lines.
                    err().println(ns == null ? "No resources found" : "No resources found in " + ns + " namespace.");
                } else {
                    out().print(tables(client, kind, ns).table(kind, items, output == OutputFormat.WIDE, allNamespaces)
                            .render());
                }
            }
            case YAML, JSON, NAME -> out().print(ObjectPrinter.list(items, listing.resourceVersion(), output));
        }
    }

    /** A service's ENDPOINTS column counts its ServiceEndpoints object's ready endpoints: one more list for services. */
    private ResourceTables tables(DroverClient client, ResourceKind kind, String ns) {
        if (kind != ResourceKind.SERVICE) {
            return new ResourceTables(now());
        }
        List<ServiceEndpoints> endpoints = client.list(ResourceKind.SERVICE_ENDPOINTS, ns, null).items().stream()
                .map(ServiceEndpoints.class::cast).toList();
        return new ResourceTables(now(), endpoints);
    }
}
