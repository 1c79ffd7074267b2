package io.drover.cli.commands;

import io.drover.cli.DroverCommand;
import io.drover.api.client.DroverClient;
import io.drover.cli.output.Describer;
import java.util.Objects;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code drover describe KIND NAME}: one object in detail, for a person to read. */
@Command(name = "describe", sortOptions = false,
        description = "Show one object in detail: metadata, spec and status in words and tables.",
        footer = {"", "Examples:", "  drover describe pod web-1 -n shop", "  drover describe network/blue"})
public final class DescribeCommand extends ClientVerb {

    @Parameters(index = "0", paramLabel = "KIND", description = "Pod, Network, NetworkPolicy, Node, Namespace or Tenant; or KIND/NAME.")
    String kind;

    @Parameters(index = "1", arity = "0..1", paramLabel = "NAME", description = "The object to describe.")
    String name;

    @Mixin
    NamespaceOption namespace;

    public DescribeCommand(DroverCommand drover) {
        super(drover);
    }

    @Override
    int run(DroverClient client) {
        ResourceArgs args = ResourceArgs.parse(Stream.of(kind, name).filter(Objects::nonNull).toList());
        if (args.targets().size() != 1) {
            throw usage("describe needs exactly one object: drover describe KIND NAME");
        }
        ResourceArgs.Target target = args.targets().getFirst();
        String ns = target.kind().namespaced() ? namespace.effective() : null;
        out().print(new Describer(now()).describe(fetch(client, target.kind(), ns, target.name())));
        return OK;
    }
}
