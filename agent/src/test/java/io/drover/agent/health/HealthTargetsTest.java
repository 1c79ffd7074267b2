package io.drover.agent.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.agent.TestObjects;
import io.drover.agent.desired.ManagedPodNamespaces;
import io.drover.agent.kernel.NetNs;
import io.drover.model.meta.ObjectMeta;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodPort;
import io.drover.model.pod.PodSpec;
import io.drover.model.policy.PortReference;
import io.drover.model.service.EndpointHealth;
import io.drover.model.service.EndpointPort;
import io.drover.model.service.HealthCheck;
import io.drover.model.service.Service;
import io.drover.model.service.ServiceEndpoint;
import io.drover.model.service.ServiceEndpoints;
import io.drover.model.service.ServicePort;
import io.drover.model.service.ServiceSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which endpoints this node checks, and what each check connects to or runs where. */
class HealthTargetsTest {

    private static final String NODE = "node-1";
    private static final ManagedPodNamespaces NAMESPACES = new ManagedPodNamespaces("drover-n1-", NetNs.named("node-ns"));

    private static Service service(String name, HealthCheck check) {
        return Service.of(ObjectMeta.named("shop", name), ServiceSpec.builder().selector(Map.of("app", name))
                .ports(ServicePort.tcp("web", 80, PortReference.named("http"))).healthCheck(check).build());
    }

    private static ServiceEndpoint endpoint(String pod, String address, String node, EndpointPort... ports) {
        return new ServiceEndpoint(address, pod, node, false, "waiting", null, List.of(ports), EndpointHealth.unknown());
    }

    private static ServiceEndpoints endpoints(String service, ServiceEndpoint... endpoints) {
        return ServiceEndpoints.of(ObjectMeta.named("shop", service), List.of(endpoints));
    }

    private static Pod pod(String name, String mode, PodPort... ports) {
        return TestObjects.pod("shop", name, new PodSpec(NODE, mode, List.of("blue"), List.of(ports), List.of()));
    }

    private static List<CheckTarget> compute(List<Service> services, List<ServiceEndpoints> endpoints, List<Pod> pods) {
        return HealthTargets.compute(NODE, services, endpoints, pods, NAMESPACES);
    }

    @Test
    void onlyPodEndpointsOfThisNodeOfServicesWithACheckAreChecked() {
        HealthCheck check = new HealthCheck(new HealthCheck.HttpCheck("/healthz", PortReference.number(8080)), null, null,
                5, 1, 2, 4);
        Service web = service("web", check);
        Service plain = service("plain", null);
        ServiceEndpoints webEndpoints = endpoints("web",
                endpoint("web-1", "10.0.0.5", NODE),
                endpoint("web-2", "10.0.1.5", "node-2"),
                endpoint(null, "192.0.2.7", null));
        ServiceEndpoints plainEndpoints = endpoints("plain", endpoint("plain-1", "10.0.0.9", NODE));

        List<CheckTarget> targets = compute(List.of(web, plain), List.of(webEndpoints, plainEndpoints),
                List.of(pod("web-1", null)));

        assertThat(targets).singleElement().satisfies(t -> {
            assertThat(t.key()).isEqualTo(new TargetKey("shop", "web", "web-1", "10.0.0.5"));
            assertThat(t.probe()).isEqualTo(new Probe.Http("10.0.0.5", 8080, "/healthz"));
            assertThat(t.timing()).isEqualTo(new Timing(Duration.ofSeconds(5), Duration.ofSeconds(1), 2, 4));
            assertThat(t.stored()).isEqualTo(EndpointHealth.unknown());
        });
    }

    @Test
    void endpointsWithoutTheirServiceAreNotChecked() {
        assertThat(compute(List.of(), List.of(endpoints("gone", endpoint("gone-1", "10.0.0.5", NODE))), List.of()))
                .isEmpty();
    }

    @Test
    void theDefaultsOfTheModelApplyAndAMissingPathIsTheRoot() {
        Service web = service("web", HealthCheck.http(null, PortReference.number(80)));

        CheckTarget t = compute(List.of(web), List.of(endpoints("web", endpoint("web-1", "10.0.0.5", NODE))), List.of())
                .getFirst();

        assertThat(t.probe()).isEqualTo(new Probe.Http("10.0.0.5", 80, "/"));
        assertThat(t.timing()).isEqualTo(new Timing(Duration.ofSeconds(HealthCheck.DEFAULT_INTERVAL_SECONDS),
                Duration.ofSeconds(HealthCheck.DEFAULT_TIMEOUT_SECONDS), HealthCheck.DEFAULT_SUCCESS_THRESHOLD,
                HealthCheck.DEFAULT_FAILURE_THRESHOLD));
    }

    @Test
    void aNamedPortIsThePodsPortOfThatName() {
        Service web = service("web", HealthCheck.tcp(PortReference.named("admin")));
        Pod pod = pod("web-1", null, new PodPort("http", 8080, null, null, null), new PodPort("admin", 9901, "TCP", null, null));

        CheckTarget t = compute(List.of(web), List.of(endpoints("web", endpoint("web-1", "10.0.0.5", NODE))),
                List.of(pod)).getFirst();

        assertThat(t.probe()).isEqualTo(new Probe.Tcp("10.0.0.5", 9901));
    }

    @Test
    void aNameThePodDoesNotDeclareIsLookedUpAmongTheEndpointsServicePorts() {
        Service web = service("web", HealthCheck.http("/ready", PortReference.named("web")));

        CheckTarget t = compute(List.of(web), List.of(endpoints("web",
                endpoint("web-1", "10.0.0.5", NODE, new EndpointPort("web", 8080, "TCP")))), List.of()).getFirst();

        assertThat(t.probe()).isEqualTo(new Probe.Http("10.0.0.5", 8080, "/ready"));
    }

    @Test
    void aPortNobodyHasMakesACheckThatFailsWithTheReason() {
        Service web = service("web", HealthCheck.tcp(PortReference.named("metrics")));
        Pod pod = pod("web-1", null, new PodPort("metrics", 9100, "UDP", null, null));

        CheckTarget t = compute(List.of(web), List.of(endpoints("web", endpoint("web-1", "10.0.0.5", NODE))),
                List.of(pod)).getFirst();

        assertThat(t.probe()).isEqualTo(new Probe.Unresolved(
                "pod web-1 has no TCP port named metrics (the health check's port)"));
    }

    @Test
    void aScriptRunsInThePodsOwnNamespaceTheNodesForHostModeAndTheOtherPodsForContainerMode() {
        List<String> command = List.of("curl", "-fs", "http://localhost/healthz");
        Service web = service("web", HealthCheck.script(command));
        Pod own = pod("web-1", "bridge");
        Pod host = pod("web-2", "host");
        Pod sidecar = pod("web-3", "container:web-1");
        Pod orphan = pod("web-4", "container:nobody");

        List<CheckTarget> targets = compute(List.of(web), List.of(endpoints("web",
                endpoint("web-1", "10.0.0.5", NODE), endpoint("web-2", "10.0.0.6", NODE),
                endpoint("web-3", "10.0.0.5", NODE), endpoint("web-4", "10.0.0.8", NODE),
                endpoint("web-5", "10.0.0.9", NODE))), List.of(own, host, sidecar, orphan));

        assertThat(targets).extracting(CheckTarget::probe).containsExactly(
                new Probe.Script(NAMESPACES.namespaceOf(own), command),
                new Probe.Script(NetNs.named("node-ns"), command),
                new Probe.Script(NAMESPACES.namespaceOf(own), command),
                new Probe.Unresolved("pod web-4 runs in the network namespace of nobody, which is not known to this "
                        + "node's agent"),
                new Probe.Unresolved("pod web-5 is not known to this node's agent yet"));
    }

    @Test
    void anInvalidCheckOfSeveralKindsIsNotRun() {
        HealthCheck both = new HealthCheck(new HealthCheck.HttpCheck("/", PortReference.number(80)),
                new HealthCheck.TcpCheck(PortReference.number(80)), null, null, null, null, null);

        assertThat(compute(List.of(service("web", both)),
                List.of(endpoints("web", endpoint("web-1", "10.0.0.5", NODE))), List.of())).isEmpty();
    }
}
