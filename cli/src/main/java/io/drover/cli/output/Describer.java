package io.drover.cli.output;

import io.drover.model.Resource;
import io.drover.model.meta.ObjectMeta;
import io.drover.model.network.Network;
import io.drover.model.network.NetworkSpec;
import io.drover.model.node.Node;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodPort;
import io.drover.model.pod.PodStatus;
import io.drover.model.tenant.Namespace;
import io.drover.model.tenant.Tenant;
import java.time.Instant;
import java.util.List;

/** The multi-line, kubectl-like description of one object: its metadata, then what matters for its kind. */
public final class Describer {

    private final Instant now;

    public Describer(Instant now) {
        this.now = now;
    }

    public String describe(Resource resource) {
        Description d = new Description();
        metadata(d, resource);
        switch (resource) {
            case Pod pod -> pod(d, pod);
            case Network network -> network(d, network);
            case Node node -> node(d, node);
            case Namespace namespace -> d.field("Tenant", namespace.spec().tenantOrDefault());
            case Tenant tenant -> d.field("Description", tenant.spec().description());
        }
        return d.render();
    }

    private void metadata(Description d, Resource resource) {
        ObjectMeta meta = resource.metadata() == null ? ObjectMeta.named(null) : resource.metadata();
        d.field("Name", meta.name());
        if (resource.resourceKind().namespaced()) {
            d.field("Namespace", meta.namespace());
        }
        d.field("Labels", Labels.lines(meta.labels()));
        d.field("Annotations", Labels.lines(meta.annotations()));
        d.field("UID", meta.uid());
        d.field("Resource Version", meta.resourceVersion());
        d.field("Created", created(meta.creationTimestamp()));
    }

    private String created(String timestamp) {
        String age = Age.since(timestamp, now);
        return age.equals(Age.UNKNOWN) ? Age.UNKNOWN : timestamp + " (" + age + " ago)";
    }

    private static void pod(Description d, Pod pod) {
        d.field("Node", pod.spec().node());
        d.field("Network Mode", pod.spec().effectiveNetworkMode());
        d.field("Networks", ResourceTables.joined(pod.spec().networks()));
        d.field("Command", pod.spec().command().isEmpty() ? "<built-in echo server>" : String.join(" ", pod.spec().command()));
        d.table("Ports", ports(pod.spec().ports()), Labels.NONE);
        List<PodStatus.PodAddress> addresses = pod.status() == null ? List.of() : pod.status().addresses();
        d.table("Addresses", addresses(addresses), ResourceTables.addresses(pod));
        d.field("Status", ResourceTables.phase(pod));
        d.field("Message", pod.status() == null ? null : pod.status().message());
    }

    private static Table ports(List<PodPort> ports) {
        return new Table(List.of("NAME", "PORT", "PROTOCOL", "HOST PORT", "HOST IP"), ports.stream()
                .map(p -> List.of(
                        ResourceTables.orNone(p.name()),
                        text(p.port()),
                        p.effectiveProtocol(),
                        text(p.hostPort()),
                        ResourceTables.orNone(p.hostIP())))
                .toList());
    }

    private static Table addresses(List<PodStatus.PodAddress> addresses) {
        return new Table(List.of("NETWORK", "INTERFACE", "IP/PREFIX", "GATEWAY"), addresses.stream()
                .map(a -> List.of(
                        ResourceTables.orNone(a.network()),
                        ResourceTables.orNone(a.interfaceName()),
                        ResourceTables.orNone(a.ip()) + (a.prefix() == null ? "" : "/" + a.prefix()),
                        ResourceTables.orNone(a.gateway())))
                .toList());
    }

    private static void network(Description d, Network network) {
        NetworkSpec spec = NetworkSubnets.spec(network);
        d.table("Subnets", new Table(List.of("SUBNET", "GATEWAY", "BLOCK SIZE"), NetworkSubnets.of(network).stream()
                .map(s -> List.of(s.cidr(), s.gateway(), s.blockSize()))
                .toList()), Labels.NONE);
        d.field("NAT Outgoing", String.valueOf(spec.natOutgoingEnabled()));
        d.field("MTU", String.valueOf(spec.effectiveMtu()));
        boolean reported = network.status() != null;
        d.field("Allocated Addresses", reported ? text(network.status().allocatedAddresses()) : Age.UNKNOWN);
        d.field("Allocated Blocks", reported ? text(network.status().blocks()) : Age.UNKNOWN);
    }

    private static void node(Description d, Node node) {
        d.field("Address", node.spec().address());
        d.field("Ready", ResourceTables.ready(node));
        d.field("Last Heartbeat", node.status() == null ? null : node.status().lastHeartbeat());
        d.field("Message", node.status() == null ? null : node.status().message());
    }

    private static String text(Object value) {
        return value == null ? Labels.NONE : value.toString();
    }
}
