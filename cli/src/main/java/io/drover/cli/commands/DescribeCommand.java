package io.drover.cli.commands;

import io.drover.cli.DroverCommand;
import io.drover.api.client.DroverClient;
import io.drover.cli.output.Describer;
import io.drover.model.Resource;
import io.drover.model.ResourceKind;
import io.drover.model.firewall.SecurityGroup;
import io.drover.model.pod.Pod;
import io.drover.model.service.Service;
import io.drover.model.service.ServiceEndpoints;
import io.drover.model.tenant.Namespace;
import io.drover.policy.Firewall;
import io.drover.policy.PolicySnapshot;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code drover describe KIND NAME}: one object in detail, for a person to read. */
@Command(name = "describe", sortOptions = false,
        description = "Show one object in detail: metadata, spec and status in words and tables.",
        footer = {"", "Examples:", "  drover describe pod web-1 -n shop", "  drover describe network/blue",
                "  drover describe sg web-tier           # a security group with its members now",
                "  drover describe svc web -n shop       # a service with each endpoint's health"})
public final class DescribeCommand extends ClientVerb {

    @Parameters(index = "0", paramLabel = "KIND", description = "Pod, Service, Network, NetworkPolicy, SecurityGroup, "
            + "FirewallPolicy, FirewallSettings, Node, Namespace, Tenant or ServiceEndpoints; or KIND/NAME.")
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
        Resource resource = fetch(client, target.kind(), ns, target.name());
        Describer describer = new Describer(now());
        if (resource instanceof SecurityGroup group) {
            out().print(describer.describe(group, members(client, group)));
        } else if (resource instanceof Service service) {
            ServiceEndpoints endpoints = (ServiceEndpoints) client.find(ResourceKind.SERVICE_ENDPOINTS, ns, service.name())
                    .orElse(null);
            out().print(describer.describe(service, endpoints));
        } else {
            out().print(describer.describe(resource));
        }
        return OK;
    }

    /** A group's members are computed, not stored: from the pods, namespaces and groups the API holds now. */
    private static io.drover.policy.GroupMembers members(DroverClient client, SecurityGroup group) {
        PolicySnapshot snapshot = PolicySnapshot.of(items(client, ResourceKind.NAMESPACE, Namespace.class),
                items(client, ResourceKind.POD, Pod.class), List.of(),
                Firewall.of(items(client, ResourceKind.SECURITY_GROUP, SecurityGroup.class), List.of()));
        return snapshot.groupMembers(group.name()).orElseThrow();
    }

    private static <T extends Resource> List<T> items(DroverClient client, ResourceKind kind, Class<T> type) {
        return client.list(kind, null, null).items().stream().map(type::cast).toList();
    }
}
