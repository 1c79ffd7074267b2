package io.drover.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.cli.CliHarness.Result;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Services from the command line: applied under Kubernetes' core group ({@code /api/v1}) after the pods they select,
 * {@code get svc} with addresses, ports as kubectl prints them and ready/total endpoints, and {@code describe svc}
 * with every endpoint's readiness, health and last check output.
 */
class ServiceCommandsTest extends AgainstFakeServer {

    private static final String EXAMPLE = Path.of("../examples/service-web.yaml").toString();
    private static final String SHOP = Path.of("../examples/shop.yaml").toString();

    ServiceCommandsTest() {
        server.seed("""
                {apiVersion: v1, kind: Service, metadata: {name: api, namespace: shop,
                  annotations: {drover.io/load-balancing: round-robin}},
                 spec: {type: NodePort, selector: {app: api}, clusterIP: 10.96.0.20, clusterIPs: [10.96.0.20],
                  sessionAffinity: ClientIP, externalTrafficPolicy: Local,
                  ports: [{name: http, port: 80, targetPort: http, nodePort: 30080}, {name: dns, port: 53, protocol: UDP, nodePort: 30053}],
                  healthCheck: {http: {path: /healthz, port: http}, intervalSeconds: 5}}}""");
        server.seed("""
                {apiVersion: drover.io/v1, kind: ServiceEndpoints, metadata: {name: api, namespace: shop},
                 endpoints: [
                  {address: 10.10.0.7, pod: api-1, node: node-1, ready: true, weight: 1,
                   ports: [{name: http, port: 8080, protocol: TCP}, {name: dns, port: 53, protocol: UDP}],
                   health: {status: passing, output: "HTTP/1.1 200 OK", checkedAt: "2026-03-04T05:06:00Z"}},
                  {address: 10.10.0.8, pod: api-2, node: node-2, ready: false, reason: "health check failing: HTTP/1.1 503 Service Unavailable",
                   ports: [{name: http, port: 8080, protocol: TCP}],
                   health: {status: failing, output: "HTTP/1.1 503 Service Unavailable", checkedAt: "2026-03-04T05:06:01Z"}},
                  {address: 10.10.0.9, pod: api-3, node: node-2, ready: false, reason: pod has no port named http}]}""");
        server.seed("""
                {apiVersion: v1, kind: Service, metadata: {name: lb, namespace: shop},
                 spec: {type: LoadBalancer, selector: {app: api}, clusterIP: 10.96.0.21, ports: [{port: 443, nodePort: 31443}]},
                 status: {loadBalancer: {ingress: [{ip: 172.31.0.200}]}}}""");
        server.seed("""
                {apiVersion: v1, kind: Service, metadata: {name: pending, namespace: shop},
                 spec: {type: LoadBalancer, selector: {app: api}, ports: [{port: 443}]}}""");
        server.seed("""
                {apiVersion: v1, kind: Service, metadata: {name: db, namespace: shop},
                 spec: {type: ExternalName, externalName: db.example.com}}""");
        server.seed("""
                {apiVersion: v1, kind: Service, metadata: {name: peers, namespace: shop},
                 spec: {clusterIP: None, selector: {app: api}}}""");
    }

    @Test
    void applyWritesServicesUnderTheCoreGroupAfterThePods() {
        Result applied = drover("apply", "-f", EXAMPLE, "-f", SHOP);
        assertThat(applied.exitCode()).as(applied.err()).isZero();
        assertThat(applied.out()).endsWith("""
                pod/web-2 created
                service/web created
                """);
        assertThat(server.calls()).contains("POST /api/v1/namespaces/shop/services");
        assertThat(server.stored("/api/v1/namespaces/shop/services/web").path("spec").path("ports").get(0)
                .path("targetPort").asString()).isEqualTo("http");
    }

    @Test
    void reapplyingAManifestWithoutWhatTheServerAllocatedChangesNothing() {
        server.seed("""
                {apiVersion: v1, kind: Service, metadata: {name: web, namespace: shop},
                 spec: {type: NodePort, selector: {app: web}, clusterIP: 10.96.0.30, clusterIPs: [10.96.0.30],
                  ports: [{name: http, port: 80, targetPort: http, nodePort: 30007}]}}""");
        Result again = io.drover.cli.CliHarness.run(java.util.Map.of("DROVER_SERVER", server.url()), """
                apiVersion: v1
                kind: Service
                metadata: {name: web, namespace: shop}
                spec:
                  type: NodePort
                  selector: {app: web}
                  ports: [{name: http, port: 80, targetPort: http}]
                """, "apply", "-f", "-");
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).isEqualTo("service/web unchanged\n");
    }

    @Test
    void getShowsAddressesPortsAndReadyOfTotalEndpoints() {
        Result result = drover("get", "svc", "-n", "shop");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo("""
                NAME      TYPE           CLUSTER-IP   EXTERNAL-IP      PORT(S)                     ENDPOINTS   AGE
                api       NodePort       10.96.0.20   <none>           80:30080/TCP,53:30053/UDP   1/3         5m
                db        ExternalName   <none>       db.example.com   <none>                      0/0         5m
                lb        LoadBalancer   10.96.0.21   172.31.0.200     443:31443/TCP               0/0         5m
                peers     ClusterIP      None         <none>           <none>                      0/0         5m
                pending   LoadBalancer   <none>       <pending>        443/TCP                     0/0         5m
                """);
        assertThat(server.calls()).containsSubsequence("GET /api/v1/namespaces/shop/services",
                "GET /apis/drover.io/v1/namespaces/shop/serviceendpoints");
        assertThat(drover("get", "ep", "api", "-n", "shop").out()).isEqualTo("""
                NAME   READY   ENDPOINTS                     AGE
                api    1/3     10.10.0.7:8080,10.10.0.7:53   5m
                """);
    }

    @Test
    void describeListsEachEndpointWithItsHealthAndLastOutput() {
        Result result = drover("describe", "svc", "api", "-n", "shop");
        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).endsWith("""
                Type:              NodePort
                Selector:          app=api
                Cluster IP:        10.96.0.20
                External IPs:      <none>
                Ports:             http 80/TCP -> http, node port 30080
                                   dns 53/UDP -> 53, node port 30053
                Load Balancing:    round-robin
                Session Affinity:  ClientIP, for 10800s
                External Traffic:  Local
                Internal Traffic:  Cluster
                Health Check:      http GET /healthz on port http every 5s (timeout 2s; 1 pass to pass, 3 failures to fail)
                Endpoints:
                  ADDRESS     POD     NODE     READY                                                        HEALTH                            LAST OUTPUT
                  10.10.0.7   api-1   node-1   yes                                                          passing at 2026-03-04T05:06:00Z   HTTP/1.1 200 OK
                  10.10.0.8   api-2   node-2   no: health check failing: HTTP/1.1 503 Service Unavailable   failing at 2026-03-04T05:06:01Z   HTTP/1.1 503 Service Unavailable
                  10.10.0.9   api-3   node-2   no: pod has no port named http                               <none>                            <none>
                """);
        Result withoutEndpoints = drover("describe", "svc", "db", "-n", "shop");
        assertThat(withoutEndpoints.out()).contains("External Name:     db.example.com\n")
                .endsWith("Endpoints:         <none> (no ServiceEndpoints object yet: the endpoints controller has not "
                        + "written one)\n");
    }
}
