package io.drover.model.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.model.ResourceKind;
import io.drover.model.policy.PortReference;
import io.drover.model.service.EndpointHealth;
import io.drover.model.service.EndpointPort;
import io.drover.model.service.HealthCheck;
import io.drover.model.service.LoadBalancing;
import io.drover.model.service.Service;
import io.drover.model.service.ServiceEndpoint;
import io.drover.model.service.ServiceEndpoints;
import io.drover.model.service.ServicePort;
import io.drover.model.service.ServiceSpec;
import io.drover.model.service.ServiceType;
import io.drover.model.validation.Validators;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Services as Kubernetes users write them (and as kubectl prints them), and their endpoints as controllers write them. */
class ServiceManifestTest {

    /** As `kubectl get svc -o yaml` prints a service, less the metadata Drover does not keep. */
    static final String KUBERNETES_SERVICE = """
            apiVersion: v1
            kind: Service
            metadata:
              name: web
              namespace: shop
              annotations: {drover.io/load-balancing: round-robin}
            spec:
              clusterIP: 10.96.12.34
              clusterIPs: [10.96.12.34]
              internalTrafficPolicy: Cluster
              ipFamilies: [IPv4]
              ipFamilyPolicy: SingleStack
              ports:
              - name: http
                port: 80
                protocol: TCP
                targetPort: http
              - name: metrics
                port: 9090
                targetPort: 9090
                nodePort: 30090
                appProtocol: http
              selector: {app: web}
              sessionAffinity: ClientIP
              sessionAffinityConfig: {clientIP: {timeoutSeconds: 600}}
              type: NodePort
              externalTrafficPolicy: Local
            status:
              loadBalancer: {}
            """;

    @Test
    void aKubernetesServiceIsReadUnchangedValidAndRoundTrips() {
        Service service = (Service) ManifestReader.readSingle("svc.yaml", KUBERNETES_SERVICE).resource();
        assertThat(Validators.validate(service)).isEmpty();
        assertThat(service.resourceKind()).isEqualTo(ResourceKind.SERVICE);
        assertThat(service.apiVersion()).isEqualTo("v1");
        ServiceSpec spec = service.spec();
        assertThat(spec.effectiveType()).isEqualTo(ServiceType.NODE_PORT);
        assertThat(spec.clusterAddress()).contains("10.96.12.34");
        assertThat(spec.portList()).containsExactly(
                new ServicePort("http", "TCP", 80, PortReference.named("http"), null, null),
                new ServicePort("metrics", null, 9090, PortReference.number(9090), 30090, "http"));
        assertThat(spec.selectorLabels()).isEqualTo(Map.of("app", "web"));
        assertThat(spec.clientIpAffinity()).isTrue();
        assertThat(spec.affinityTimeoutSeconds()).isEqualTo(600);
        assertThat(spec.externalTrafficLocal()).isTrue();
        assertThat(spec.allocatesNodePorts()).isTrue();
        assertThat(service.loadBalancing()).isEqualTo(LoadBalancing.ROUND_ROBIN);

        String json = ResourceCodec.toJsonString(service);
        assertThat(ManifestReader.readSingle("get.json", json).resource()).isEqualTo(service);
        assertThat(ManifestReader.readSingle("get.yaml", ResourceCodec.toYaml(service)).resource()).isEqualTo(service);
    }

    @Test
    void omittedFieldsTakeKubernetesDefaults() {
        Service service = (Service) ManifestReader.readSingle("svc.yaml", """
                apiVersion: v1
                kind: Service
                metadata: {name: web, namespace: shop}
                spec:
                  selector: {app: web}
                  ports: [{port: 80}]
                """).resource();
        ServiceSpec spec = service.spec();
        assertThat(spec.effectiveType()).isEqualTo(ServiceType.CLUSTER_IP);
        assertThat(spec.portList().getFirst().effectiveProtocol()).isEqualTo("TCP");
        assertThat(spec.portList().getFirst().effectiveTargetPort()).isEqualTo(PortReference.number(80));
        assertThat(spec.affinityTimeoutSeconds()).isEqualTo(10800);
        assertThat(spec.clientIpAffinity()).isFalse();
        assertThat(spec.allocatesNodePorts()).isFalse();
        assertThat(spec.allocatesClusterIp()).isTrue();
        assertThat(spec.clusterAddress()).isEmpty();
        assertThat(service.loadBalancing()).isEqualTo(LoadBalancing.RANDOM);
    }

    @Test
    void theHealthCheckIsDroversFieldOfTheSpec() {
        Service service = (Service) ManifestReader.readSingle("svc.yaml", """
                apiVersion: v1
                kind: Service
                metadata: {name: web, namespace: shop}
                spec:
                  selector: {app: web}
                  ports: [{port: 80, targetPort: http}]
                  healthCheck:
                    http: {path: /healthz, port: http}
                    intervalSeconds: 5
                """).resource();
        HealthCheck check = service.spec().healthCheck();
        assertThat(check.kinds()).containsExactly("http");
        assertThat(check.checkedPort()).isEqualTo(PortReference.named("http"));
        assertThat(check.effectiveIntervalSeconds()).isEqualTo(5);
        assertThat(check.effectiveTimeoutSeconds()).isEqualTo(2);
        assertThat(check.effectiveSuccessThreshold()).isEqualTo(1);
        assertThat(check.effectiveFailureThreshold()).isEqualTo(3);
    }

    @Test
    void aMisspeltFieldOrAServiceUnderDroversVersionIsAnErrorWithItsLine() {
        ManifestException e = (ManifestException) assertThatThrownBy(() -> ManifestReader.read("svc.yaml", """
                apiVersion: drover.io/v1
                kind: Service
                metadata: {name: web, namespace: shop}
                spec:
                  selector: {app: web}
                  port: [{port: 80}]
                """)).isInstanceOf(ManifestException.class).actual();
        assertThat(e.problems()).extracting(p -> p.location().line() + ": " + p.message()).containsExactly(
                "1: apiVersion \"drover.io/v1\" does not go with kind Service; write \"apiVersion: v1\"",
                "6: unknown field \"spec.port\" in Service; known fields are: type, selector, ports, clusterIP, "
                        + "clusterIPs, sessionAffinity, sessionAffinityConfig, externalTrafficPolicy, "
                        + "internalTrafficPolicy, externalIPs, loadBalancerIP, loadBalancerSourceRanges, externalName, "
                        + "publishNotReadyAddresses, ipFamilies, ipFamilyPolicy, allocateLoadBalancerNodePorts, "
                        + "healthCheck; did you mean \"ports\"?");
    }

    @Test
    void endpointsAreDroversKindUnderTheServicesName() {
        ServiceEndpoints endpoints = (ServiceEndpoints) ManifestReader.readSingle("ep.yaml", """
                apiVersion: drover.io/v1
                kind: ServiceEndpoints
                metadata: {name: web, namespace: shop}
                endpoints:
                - address: 10.10.0.7
                  pod: web-1
                  node: node-1
                  ready: true
                  weight: 3
                  ports: [{name: http, port: 8080, protocol: TCP}]
                  health: {status: passing, output: "HTTP 200 OK", checkedAt: "2026-03-04T05:06:07Z"}
                - address: 10.10.0.8
                  pod: web-2
                  node: node-2
                  ready: false
                  reason: pod has no port named http
                """).resource();
        assertThat(Validators.validate(endpoints)).isEmpty();
        assertThat(ResourceKind.find("ep")).contains(ResourceKind.SERVICE_ENDPOINTS);
        assertThat(ResourceKind.find("endpoints")).contains(ResourceKind.SERVICE_ENDPOINTS);
        assertThat(ResourceKind.find("svc")).contains(ResourceKind.SERVICE);
        assertThat(endpoints.readyEndpoints()).extracting(ServiceEndpoint::pod).containsExactly("web-1");
        ServiceEndpoint first = endpoints.endpoints().getFirst();
        assertThat(first.port("http")).contains(new EndpointPort("http", 8080, "TCP"));
        assertThat(first.health()).isEqualTo(new EndpointHealth("passing", "HTTP 200 OK", "2026-03-04T05:06:07Z"));
        assertThat(endpoints.endpoints().get(1).effectiveWeight()).isEqualTo(1);
        assertThat(ManifestReader.readSingle("get.json", ResourceCodec.toJsonString(endpoints)).resource())
                .isEqualTo(endpoints);
    }

    @Test
    void theLoadBalancerAddressIsInTheStatus() {
        Service service = Service.of(io.drover.model.meta.ObjectMeta.named("shop", "web"), ServiceSpec.builder()
                .type("LoadBalancer").ports(ServicePort.tcp("http", 80, null)).build())
                .withStatus(io.drover.model.service.ServiceStatus.loadBalancerAt("172.31.0.200"));
        String json = ResourceCodec.toJsonString(service);
        assertThat(json).contains("\"status\":{\"loadBalancer\":{\"ingress\":[{\"ip\":\"172.31.0.200\"}]}}");
        assertThat(((Service) ManifestReader.readSingle("get.json", json).resource()).loadBalancerIps())
                .isEqualTo(List.of("172.31.0.200"));
    }
}
