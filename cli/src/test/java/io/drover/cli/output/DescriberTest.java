package io.drover.cli.output;

import static io.drover.cli.output.Fixtures.parse;
import static org.assertj.core.api.Assertions.assertThat;

import io.drover.model.ResourceKind;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DescriberTest {

    private final Describer describer = new Describer(Instant.parse("2026-03-01T12:00:00Z"));

    @Test
    void describesAPodWithPortsAndAddressesTables() {
        String text = describer.describe(parse(ResourceKind.POD, Fixtures.WEB_1));

        assertThat(text).isEqualTo("""
                Name:              web-1
                Namespace:         shop
                Labels:            app=web
                                   tier=frontend
                Annotations:       <none>
                UID:               u-1
                Resource Version:  7
                Created:           2026-03-01T11:55:00Z (5m ago)
                Node:              node-1
                Network Mode:      bridge
                Networks:          blue,red
                Command:           <built-in echo server>
                Ports:
                  NAME     PORT   PROTOCOL   HOST PORT   HOST IP
                  http     80     TCP        8080        <none>
                  <none>   53     UDP        <none>      <none>
                Published:         0.0.0.0:8080->80/tcp
                                   [::]:8080->80/tcp
                Addresses:
                  NETWORK   INTERFACE   IP/PREFIX       GATEWAY
                  blue      eth0        10.10.0.7/16    10.10.0.1
                  blue      eth0        fd00:10::7/64   fd00:10::1
                  red       eth1        10.20.0.9/24    10.20.0.1
                Status:            Allocated
                Message:           <none>
                """);
    }

    @Test
    void aPodThatPublishesAllPortsShowsItsAutomaticHostPortsAsDockerPsDoes() {
        String text = describer.describe(parse(ResourceKind.POD, """
                apiVersion: drover.io/v1
                kind: Pod
                metadata: {name: web-2, namespace: shop}
                spec:
                  node: node-1
                  networks: [blue]
                  publishAllPorts: true
                  ports:
                  - {name: http, port: 80}
                  - {name: dns, port: 53, protocol: UDP, hostIP: 192.168.1.5}
                  - {name: admin, port: 9000, hostPort: 9000}
                  - {name: metrics, port: 9100}
                status:
                  phase: Failed
                  message: no free host port for spec.ports[3] (9100/TCP) on node node-1
                  addresses: [{network: blue, interface: eth0, ip: 10.10.0.7, prefix: 16}]
                  publishedPorts:
                  - {port: 80, protocol: TCP, hostPort: 32768}
                  - {port: 53, protocol: UDP, hostPort: 32768, hostIP: 192.168.1.5}
                """));

        assertThat(text).contains("""
                Ports:
                  NAME      PORT   PROTOCOL   HOST PORT           HOST IP
                  http      80     TCP        32768 (automatic)   <none>
                  dns       53     UDP        32768 (automatic)   192.168.1.5
                  admin     9000   TCP        9000                <none>
                  metrics   9100   TCP        <pending>           <none>
                Publish All Ports:  true
                Published:          0.0.0.0:32768->80/tcp
                                    192.168.1.5:32768->53/udp
                                    0.0.0.0:9000->9000/tcp
                """).contains("Status:             Failed\n")
                .contains("Message:            no free host port for spec.ports[3] (9100/TCP) on node node-1\n");
    }

    @Test
    void aHostModePodSaysItUsesTheNodesAddressesAndHasNoPhase() {
        String text = describer.describe(parse(ResourceKind.POD, Fixtures.DB_1));

        assertThat(text)
                .contains("Network Mode:      host\n")
                .contains("Ports:             <none>\n")
                .contains("Addresses:         <node's>\n")
                .contains("Status:            <none>\n")
                .contains("UID:               <none>\n");
    }

    @Test
    void describesANetworkWithEffectiveGatewaysAndBlockSizes() {
        String text = describer.describe(parse(ResourceKind.NETWORK, Fixtures.BLUE));

        assertThat(text)
                .doesNotContain("Namespace:")
                .contains("""
                        Subnets:
                          SUBNET         GATEWAY       BLOCK SIZE
                          10.10.0.0/16   10.10.0.254   /26
                          fd00:10::/64   fd00:10::1    /120
                        NAT Outgoing:         true
                        MTU:                  1500
                        Allocated Addresses:  12
                        Allocated Blocks:     3
                        """);
    }

    @Test
    void describesNodesNamespacesAndTenants() {
        assertThat(describer.describe(parse(ResourceKind.NODE,
                "{kind: Node, metadata: {name: n1}, spec: {address: 10.0.0.1}, status: {ready: false, message: no heartbeat for 40s}}")))
                .contains("Address:           10.0.0.1\n", "Ready:             False\n", "Message:           no heartbeat for 40s\n");
        assertThat(describer.describe(parse(ResourceKind.NAMESPACE, "{kind: Namespace, metadata: {name: shop}}")))
                .contains("Tenant:            default\n");
        assertThat(describer.describe(parse(ResourceKind.TENANT, "{kind: Tenant, metadata: {name: acme}, spec: {description: Acme}}")))
                .contains("Description:       Acme\n");
    }
}
