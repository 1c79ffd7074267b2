package io.drover.cli.output;

import io.drover.model.Resource;
import io.drover.model.ResourceKind;
import io.drover.model.codec.ResourceCodec;

/** Objects as the server returns them, written as YAML for readability. */
final class Fixtures {

    private Fixtures() {}

    static <T extends Resource> T parse(ResourceKind kind, String yaml) {
        return ResourceCodec.fromTree(ResourceCodec.yaml().readTree(yaml), kind);
    }

    static final String WEB_1 = """
            apiVersion: drover.io/v1
            kind: Pod
            metadata: {name: web-1, namespace: shop, labels: {tier: frontend, app: web}, uid: u-1, resourceVersion: "7", creationTimestamp: "2026-03-01T11:55:00Z"}
            spec:
              node: node-1
              networks: [blue, red]
              ports:
              - {name: http, port: 80, protocol: TCP, hostPort: 8080}
              - {port: 53, protocol: UDP}
            status:
              phase: Allocated
              addresses:
              - {network: blue, interface: eth0, ip: 10.10.0.7, prefix: 16, gateway: 10.10.0.1}
              - {network: blue, interface: eth0, ip: "fd00:10::7", prefix: 64, gateway: "fd00:10::1"}
              - {network: red, interface: eth1, ip: 10.20.0.9, prefix: 24, gateway: 10.20.0.1}
            """;

    static final String DB_1 = """
            apiVersion: drover.io/v1
            kind: Pod
            metadata: {name: db-1, namespace: default, creationTimestamp: "2026-02-27T12:00:00Z"}
            spec: {networkMode: host}
            """;

    static final String BLUE = """
            apiVersion: drover.io/v1
            kind: Network
            metadata: {name: blue, creationTimestamp: "2026-03-01T10:00:00Z"}
            spec:
              subnets: ["10.10.0.0/16", "fd00:10::/64"]
              gateways: ["10.10.0.254"]
              ipv6BlockSize: 120
              natOutgoing: true
            status: {allocatedAddresses: 12, blocks: 3}
            """;
}
