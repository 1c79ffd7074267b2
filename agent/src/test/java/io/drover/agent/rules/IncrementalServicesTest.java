package io.drover.agent.rules;

import static io.drover.agent.TestObjects.network;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.agent.desired.DesiredNode;
import io.drover.agent.desired.ManagedPodNamespaces;
import io.drover.agent.desired.NodeCalculator;
import io.drover.agent.desired.ServiceCalculator;
import io.drover.agent.kernel.FakeKernel;
import io.drover.agent.kernel.NetNs;
import io.drover.agent.reconcile.Reconciler;
import io.drover.agent.reconcile.SyncResult;
import io.drover.model.meta.ObjectMeta;
import io.drover.model.net.Cidr;
import io.drover.model.net.IpAddresses;
import io.drover.model.network.Network;
import io.drover.model.policy.PortReference;
import io.drover.model.service.EndpointPort;
import io.drover.model.service.Service;
import io.drover.model.service.ServiceEndpoint;
import io.drover.model.service.ServiceEndpoints;
import io.drover.model.service.ServicePort;
import io.drover.model.service.ServiceSpec;
import io.drover.model.service.ServiceStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The agent's service calculator keeps each service's rules and computes only the services whose objects changed, and
 * the reconciler writes only what {@link ServiceRules#changeSince} finds changed. Whatever they reuse, every step
 * must equal a calculation from nothing, and the kernel programmed change by change must hold the table written
 * whole from that calculation: these tests walk a cluster through changes of every kind and compare at each step.
 */
class IncrementalServicesTest {

    private static final String NODE = "node-1";
    private static final String OTHER_NODE = "node-2";
    private static final NetNs SELF = NetNs.SELF;
    private static final Network BLUE = network("blue", "10.10.0.0/16");
    private static final ServiceNodeConfig CONFIG = new ServiceNodeConfig(List.of(Cidr.parse("10.96.0.0/16")),
            List.of(IpAddresses.parse("192.168.1.10")), List.of());

    /** The cluster as the agent's mirrors hold it: each object replaced, never modified, when it changes. */
    private static final class Cluster {
        final Map<String, Service> services = new LinkedHashMap<>();
        final Map<String, ServiceEndpoints> endpoints = new LinkedHashMap<>();
        ServiceNodeConfig config = CONFIG;

        void put(Service service, ServiceEndpoints endpoints) {
            services.put(key(service.namespace(), service.name()), service);
            if (endpoints != null) {
                this.endpoints.put(key(endpoints.namespace(), endpoints.name()), endpoints);
            }
        }

        void put(ServiceEndpoints endpoints) {
            this.endpoints.put(key(endpoints.namespace(), endpoints.name()), endpoints);
        }

        /** Every object anew, equal to what it was: what a relist after an expired watch hands out. */
        void relist() {
            services.replaceAll((k, s) -> Service.of(s.metadata(), s.spec()).withStatus(s.status()));
            endpoints.replaceAll((k, e) -> ServiceEndpoints.of(e.metadata(), new ArrayList<>(e.endpoints())));
        }

        List<Service> serviceList() {
            return List.copyOf(services.values());
        }

        List<ServiceEndpoints> endpointsList() {
            return List.copyOf(endpoints.values());
        }
    }

    private final Cluster cluster = new Cluster();
    private final ServiceCalculator calculator = new ServiceCalculator();
    private final FakeKernel kernel = new FakeKernel();
    private final Reconciler reconciler = new Reconciler(kernel);
    private ServiceRules lastIncremental = ServiceRules.NONE;
    private ServiceRules lastFresh = ServiceRules.NONE;
    private int steps;

    @Test
    void everyCalculationEqualsOneFromNothingAndTheKernelFollowsChangeByChange() {
        for (int i = 0; i < 30; i++) {
            cluster.put(plain("web-" + i, "10.96.0." + (i + 10), 80), endpoints("web-" + i, 8080,
                    ep("10.10.0." + (i % 5 + 2), NODE), ep("10.20.0." + (i + 2), OTHER_NODE)));
        }
        cluster.put(service("dns", "10.96.0.53", b -> b, udp("dns", 53), tcp("dns-tcp", 53)),
                endpoints("dns", 53, ep("10.10.0.9", NODE), ep("10.20.1.9", OTHER_NODE)));
        cluster.put(annotated(plain("rr", "10.96.1.1", 80), "round-robin"), endpoints("rr", 8080, ep("10.10.0.2", NODE),
                ep("10.20.0.50", OTHER_NODE)));
        cluster.put(service("sticky", "10.96.1.2", b -> b.sessionAffinity(ServiceSpec.AFFINITY_CLIENT_IP),
                tcp("http", 80)), endpoints("sticky", 8080, ep("10.10.0.3", NODE)));
        cluster.put(service("np", "10.96.1.3", b -> b.type("NodePort"), nodePort(tcp("http", 80), 30080)),
                endpoints("np", 8080, ep("10.10.0.4", NODE), ep("10.20.0.51", OTHER_NODE)));
        cluster.put(service("lb", "10.96.1.4", b -> b.type("LoadBalancer").loadBalancerSourceRanges(
                List.of("192.168.0.0/16")), nodePort(tcp("http", 80), 30081)).withStatus(
                ServiceStatus.loadBalancerAt("203.0.113.7")), endpoints("lb", 8080, ep("10.20.0.52", OTHER_NODE)));
        cluster.put(service("local", "10.96.1.5", b -> b.externalIPs(List.of("198.51.100.5"))
                .externalTrafficPolicy(ServiceSpec.POLICY_LOCAL), tcp("http", 80)),
                endpoints("local", 8080, ep("10.10.0.5", NODE), ep("10.20.0.53", OTHER_NODE)));
        cluster.put(plain("lonely", "10.96.1.6", 80), null);
        step("the first calculation");

        cluster.put(plain("added", "10.96.2.1", 80), endpoints("added", 8080, ep("10.10.0.2", NODE)));
        step("one more service");

        cluster.put(endpoints("web-3", 8080, ep("10.10.0.5", NODE)));
        step("an endpoint leaves a plain service");

        cluster.put(endpoints("web-3", 8080, ep("10.10.0.5", NODE)));
        assertThat(step("the endpoints object written again, equal")).as("no change").isSameAs(lastIncremental);

        cluster.put(endpoints("dns", 53, ep("10.10.0.9", NODE), notReady("10.20.1.9", OTHER_NODE)));
        step("a UDP endpoint is no longer ready: its flows go");

        // 10.10.0.2 serves web-0, web-5, ..., rr and added: its hairpin pair stays until the last of them lets it go.
        cluster.put(endpoints("added", 8080, ep("10.20.9.1", OTHER_NODE)));
        step("one of the services of a local endpoint lets it go");
        for (int i = 0; i < 30; i += 5) {
            cluster.put(endpoints("web-" + i, 8080, ep("10.20.0." + (i + 2), OTHER_NODE)));
        }
        cluster.put(endpoints("rr", 8080, ep("10.20.0.50", OTHER_NODE)));
        step("the last services of a local endpoint let it go");

        cluster.put(service("web-7", "10.96.0.17", b -> b, tcp("http", 80), tcp("admin", 9090)),
                endpoints("web-7", 8080, ep("10.10.0.4", NODE)));
        step("a service gains a port");

        cluster.put(plain("rr", "10.96.1.1", 80), null);
        step("round-robin becomes random: its chains give way to elements");

        cluster.put(service("web-8", "10.96.0.18", b -> b.sessionAffinity(ServiceSpec.AFFINITY_CLIENT_IP),
                tcp("http", 80)), null);
        step("a plain service takes ClientIP affinity: elements give way to chains and sets");

        cluster.services.remove("shop/web-9");
        step("a service goes, its endpoints object stays");
        cluster.endpoints.remove("shop/web-9");
        step("its endpoints object goes too");

        cluster.put(service("web-10", ServiceSpec.HEADLESS, b -> b, tcp("http", 80)), null);
        cluster.put(service("web-11", null, b -> b.type("ExternalName").externalName("db.example.org")), null);
        step("services become headless and ExternalName: DNS's business");

        cluster.put(plain("copy", "10.96.0.12", 8443), endpoints("copy", 8443, ep("10.20.3.1", OTHER_NODE)));
        stepRefused("a new service takes another's cluster IP", "both claim cluster IP 10.96.0.12");
        cluster.put(endpoints("web-4", 8080, ep("10.20.0.99", OTHER_NODE)));
        stepRefused("another change while the clash lasts", "both claim cluster IP 10.96.0.12");
        cluster.put(plain("copy", "10.96.2.2", 8443), cluster.endpoints.get("shop/copy"));
        step("the clash resolved: both waiting changes arrive");

        cluster.put(service("ext", "10.96.2.3", b -> b.externalIPs(List.of("198.51.100.5")), tcp("http", 80)),
                endpoints("ext", 8080, ep("10.20.3.2", OTHER_NODE)));
        stepRefused("a service takes another's external IP and port", "both claim 198.51.100.5 tcp 80");
        cluster.services.remove("shop/ext");
        step("the newcomer goes again");

        List<ServiceEndpoint> many = new ArrayList<>();
        for (int i = 0; i < ServicePicks.MAX_SLOTS + 1; i++) {
            many.add(ep("10.30.0." + (i + 1), OTHER_NODE));
        }
        cluster.put(ServiceEndpoints.of(ObjectMeta.named("shop", "web-12"), withPort(many, 8080)));
        step("more endpoints than a pick chain draws among: chains of its own");
        cluster.put(service("web-13", "10.96.0.23", b -> b.type("NodePort"), nodePort(tcp("http", 80), 30090)), null);
        step("a NodePort added to a service");

        cluster.relist();
        assertThat(step("every object anew, equal")).as("no change").isSameAs(lastIncremental);

        cluster.config = new ServiceNodeConfig(List.of(Cidr.parse("10.96.0.0/16")),
                List.of(IpAddresses.parse("192.168.1.11")), List.of(IpAddresses.parse("192.168.1.11")));
        step("the node's configuration changes: every service again");

        for (int i = 14; i < 30; i++) {
            if (i % 2 == 0) {
                cluster.services.remove("shop/web-" + i);
                cluster.endpoints.remove("shop/web-" + i);
            } else {
                cluster.put(endpoints("web-" + i, 8080, ep("10.10.0.6", NODE), ep("10.20.5." + i, OTHER_NODE)));
            }
        }
        cluster.put(plain("late", "10.96.3.1", 80), endpoints("late", 8080, ep("10.10.0.6", NODE)));
        step("many changes at once");

        cluster.services.clear();
        cluster.endpoints.clear();
        step("every service gone");
        assertThat(steps).isGreaterThan(20);
    }

    @Test
    void aCalculationAfterOneChangeComputesThatServiceAloneAndNoneWhenNothingChanged() {
        for (int i = 0; i < 50; i++) {
            cluster.put(plain("web-" + i, "10.96.0." + (i + 10), 80), endpoints("web-" + i, 8080, ep("10.20.0." + i, NODE)));
        }
        ServiceRules first = calculator.calculate(NODE, CONFIG, cluster.serviceList(), cluster.endpointsList());
        assertThat(calculator.changedLast()).isEqualTo(50);

        cluster.put(endpoints("web-7", 8080, ep("10.20.1.7", OTHER_NODE)));
        ServiceRules changed = calculator.calculate(NODE, CONFIG, cluster.serviceList(), cluster.endpointsList());
        assertThat(calculator.changedLast()).isEqualTo(1);
        ServiceChange change = changed.changeSince(first);
        assertThat(change.deleted().values().stream().flatMap(List::stream))
                .as("web-7's old endpoint and hairpin pair").hasSize(2).allMatch(e -> e.render().contains("10.20.0.7"));
        assertThat(change.added().values().stream().flatMap(List::stream)).singleElement()
                .matches(e -> e.render().contains("10.20.1.7"));

        cluster.relist();
        assertThat(calculator.calculate(NODE, CONFIG, cluster.serviceList(), cluster.endpointsList())).isSameAs(changed);
        assertThat(calculator.changedLast()).as("equal objects anew are no change").isZero();
    }

    /**
     * One step: the calculation equals one from nothing, in every view; the change found from the last step's rules
     * turns its table into this one; and the kernel, changed by element and chain changes only (never written whole
     * after the first step), holds the table the calculation from nothing would write.
     */
    private ServiceRules step(String what) {
        steps++;
        ServiceRules incremental = calculator.calculate(NODE, cluster.config, cluster.serviceList(), cluster.endpointsList());
        ServiceRules fresh = ServiceCalculator.rules(NODE, cluster.config, cluster.serviceList(), cluster.endpointsList());

        assertThat(incremental).as(what).isEqualTo(fresh);
        assertThat(incremental.elements()).as(what + ": elements").isEqualTo(fresh.elements());
        assertThat(incremental.chains()).as(what + ": chains").isEqualTo(fresh.chains());
        assertThat(incremental.sets()).as(what + ": affinity sets").isEqualTo(fresh.sets());
        assertThat(incremental.udpFlows()).as(what + ": UDP flows").isEqualTo(fresh.udpFlows());
        assertThat(node(incremental).inetScript()).as(what + ": the whole table's text").isEqualTo(node(fresh).inetScript());

        assertChangeLeadsFromTo(incremental.changeSince(lastIncremental), lastIncremental, incremental, what);
        assertChangeLeadsFromTo(fresh.changeSince(lastFresh), lastFresh, fresh, what + " (versions made apart)");
        assertChangeLeadsFromTo(incremental.changeSince(lastFresh), lastFresh, incremental, what + " (across lineages)");

        int before = kernel.writes().size();
        DesiredNode desired = NodeCalculator.compute(NODE, List.of(BLUE), List.of(),
                ManagedPodNamespaces.withPrefix("drover-n1-")).withServices(incremental);
        SyncResult result = reconciler.sync(desired);
        assertThat(result.errors()).as(what + ": errors of the sync").isEmpty();
        if (steps > 1) {
            assertThat(kernel.writes().subList(before, kernel.writes().size()))
                    .as(what + ": the table is changed, never written whole")
                    .noneMatch(c -> c.is("applyNftables") && c.mentions("delete table inet drover"));
        }
        assertThat(desired.rules().withServices(fresh).isProgrammed(ProgrammedTable.parse(
                kernel.listNftTable(SELF, "inet", "drover")))).as(what + ": the kernel's table").isTrue();

        lastIncremental = incremental;
        lastFresh = fresh;
        return incremental;
    }

    /** A step whose services clash: refused as from nothing, and the node keeps the rules it had. */
    private void stepRefused(String what, String clash) {
        steps++;
        assertThatThrownBy(() -> ServiceCalculator.rules(NODE, cluster.config, cluster.serviceList(),
                cluster.endpointsList())).as(what + ", from nothing").hasMessageContaining(clash);
        assertThatThrownBy(() -> calculator.calculate(NODE, cluster.config, cluster.serviceList(),
                cluster.endpointsList())).as(what).hasMessageContaining(clash);
    }

    /** {@code change} applied to the table of {@code from} gives the table of {@code to}: elements, chains, sets. */
    private static void assertChangeLeadsFromTo(ServiceChange change, ServiceRules from, ServiceRules to, String what) {
        Map<String, Set<SetElement>> elements = new LinkedHashMap<>();
        from.elements().sets().forEach((set, members) -> elements.put(set, new LinkedHashSet<>(members)));
        change.deleted().forEach((set, gone) -> {
            assertThat(elements.getOrDefault(set, Set.of())).as(what + ": deleted from " + set + " were there")
                    .containsAll(gone);
            elements.get(set).removeAll(gone);
        });
        change.added().forEach((set, come) -> {
            Set<SetElement> into = elements.computeIfAbsent(set, s -> new LinkedHashSet<>());
            assertThat(into).as(what + ": added to " + set + " were not there").doesNotContainAnyElementsOf(come);
            into.addAll(come);
        });
        assertThat(new TableElements(elements)).as(what + ": elements after the change").isEqualTo(to.elements());

        Map<String, ServiceRules.ServiceChain> chains = byName(from.chains(), ServiceRules.ServiceChain::name);
        change.chainsRemoved().forEach(c -> assertThat(chains.remove(c.name())).as(what + ": removed " + c.name()).isNotNull());
        change.chainsRefilled().forEach(c -> assertThat(chains.put(c.name(), c)).as(what + ": refilled " + c.name())
                .isNotNull().isNotEqualTo(c));
        change.chainsAdded().forEach(c -> assertThat(chains.put(c.name(), c)).as(what + ": added " + c.name()).isNull());
        assertThat(chains).as(what + ": chains after the change")
                .isEqualTo(byName(to.chains(), ServiceRules.ServiceChain::name));

        Map<String, ServiceRules.AffinitySet> sets = byName(from.sets(), ServiceRules.AffinitySet::name);
        change.setsRemoved().forEach(s -> sets.remove(s.name()));
        change.setsAdded().forEach(s -> assertThat(sets.put(s.name(), s)).as(what + ": added " + s.name()).isNull());
        assertThat(sets).as(what + ": affinity sets after the change").isEqualTo(byName(to.sets(), ServiceRules.AffinitySet::name));

        Set<ServiceRules.UdpFlow> gone = new LinkedHashSet<>(from.udpFlows());
        gone.removeAll(to.udpFlows());
        assertThat(change.udpFlowsGone()).as(what + ": UDP flows gone").isEqualTo(gone);
    }

    private static <T> Map<String, T> byName(List<T> items, Function<T, String> name) {
        return items.stream().collect(Collectors.toMap(name, t -> t, (a, b) -> a, LinkedHashMap::new));
    }

    private NodeRules node(ServiceRules services) {
        return new NodeRules(List.of(), List.of()).withServices(services);
    }

    private static String key(String namespace, String name) {
        return namespace + "/" + name;
    }

    private static Service plain(String name, String clusterIp, int port) {
        return service(name, clusterIp, b -> b, tcp("http", port));
    }

    private static Service service(String name, String clusterIp, Function<io.drover.model.service.ServiceSpecBuilder,
            io.drover.model.service.ServiceSpecBuilder> spec, ServicePort... ports) {
        return Service.of(ObjectMeta.named("shop", name), spec.apply(ServiceSpec.builder().clusterIP(clusterIp)
                .ports(ports)).build());
    }

    private static Service annotated(Service service, String algorithm) {
        ObjectMeta m = service.metadata();
        return service.withMetadata(new ObjectMeta(m.name(), m.namespace(), m.labels(),
                Map.of(Service.LOAD_BALANCING_ANNOTATION, algorithm), m.uid(), m.resourceVersion(), m.creationTimestamp()));
    }

    private static ServicePort tcp(String name, int port) {
        return new ServicePort(name, "TCP", port, PortReference.named(name), null, null);
    }

    private static ServicePort udp(String name, int port) {
        return new ServicePort(name, "UDP", port, PortReference.named(name), null, null);
    }

    private static ServicePort nodePort(ServicePort port, int nodePort) {
        return port.withNodePort(nodePort);
    }

    private static ServiceEndpoint ep(String address, String node) {
        return new ServiceEndpoint(address, "pod-" + address, node, true, null, 1, List.of(), null);
    }

    private static ServiceEndpoint notReady(String address, String node) {
        return new ServiceEndpoint(address, "pod-" + address, node, false, "failing its health check", 1, List.of(), null);
    }

    /** The service's endpoints, each serving every port name the tests use on {@code port}. */
    private static ServiceEndpoints endpoints(String name, int port, ServiceEndpoint... endpoints) {
        return ServiceEndpoints.of(ObjectMeta.named("shop", name), withPort(List.of(endpoints), port));
    }

    private static List<ServiceEndpoint> withPort(List<ServiceEndpoint> endpoints, int port) {
        List<EndpointPort> ports = new ArrayList<>();
        for (String name : List.of("http", "admin", "dns", "dns-tcp")) {
            ports.add(new EndpointPort(name, port, name.equals("dns") ? "UDP" : "TCP"));
        }
        return endpoints.stream().map(e -> new ServiceEndpoint(e.address(), e.pod(), e.node(), e.ready(), e.reason(),
                e.weight(), ports, e.health())).toList();
    }
}
