package io.drover.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.server.RestClient.Reply;
import org.junit.jupiter.api.Test;

/**
 * Services served as Kubernetes serves them, at {@code /api/v1/namespaces/NS/services}: Kubernetes' YAML accepted
 * unchanged, the cluster IP and node ports allocated at admission, refusals naming the field.
 */
class RestServiceTest extends ServerFixture {

    private static final String SERVICES = "/api/v1/namespaces/default/services";

    @Test
    void aKubernetesServiceGetsItsAddressAndNodePortAtCreate() {
        Reply created = rest.send("POST", SERVICES, """
                apiVersion: v1
                kind: Service
                metadata: {name: rest-web}
                spec:
                  type: NodePort
                  selector: {app: web}
                  ports: [{name: http, port: 80, targetPort: http}]
                """, "application/yaml");
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        String clusterIp = created.json().path("spec").path("clusterIP").asString();
        assertThat(clusterIp).startsWith("10.96.");
        int nodePort = created.json().path("spec").path("ports").get(0).path("nodePort").asInt();
        assertThat(nodePort).isBetween(30000, 32767);

        Reply read = rest.send("GET", SERVICES + "/rest-web", null, null);
        assertThat(read.json().path("spec").path("clusterIP").asString()).isEqualTo(clusterIp);

        Reply taken = rest.send("POST", SERVICES, """
                {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "rest-api"},
                 "spec": {"type": "NodePort", "ports": [{"port": 80, "nodePort": %d}]}}""".formatted(nodePort),
                "application/json");
        assertThat(taken.status()).as("%s", taken).isEqualTo(422);
        assertThat(taken.json().path("message").asString()).isEqualTo("Service \"rest-api\" is invalid: "
                + "spec.ports[0].nodePort: node port " + nodePort + " is already taken by service default/rest-web; "
                + "choose another in 30000-32767, or leave nodePort out to have a free one allocated");

        assertThat(rest.send("DELETE", SERVICES + "/rest-web", null, null).status()).isEqualTo(200);
    }
}
