package io.drover.cni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.cni.NetworkConfig.Attachment;
import io.drover.cni.NetworkConfig.Bandwidth;
import io.drover.cni.NetworkConfig.PortMapping;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.node.ObjectNode;

class NetworkConfigTest {

    private static NetworkConfig parse(String json) throws CniError {
        return NetworkConfig.parse((ObjectNode) CniResultTest.JSON.readTree(json), CniVersion.V1_1_0);
    }

    @Test
    void readsDroverFieldsAndCapabilities() throws CniError {
        NetworkConfig c = parse("""
                {"cniVersion": "1.1.0", "name": "cni-blue", "type": "drover", "network": "blue",
                 "socket": "/run/drover/node-1/agent.sock",
                 "ipam": {"type": "host-local", "subnet": "10.99.0.0/24"},
                 "capabilities": {"portMappings": true},
                 "runtimeConfig": {
                   "portMappings": [{"hostPort": 8080, "containerPort": 80, "protocol": "tcp"},
                                    {"hostPort": 5353, "containerPort": 53, "protocol": "UDP", "hostIP": "127.0.0.1"},
                                    {"hostPort": 9000, "containerPort": 9000}],
                   "bandwidth": {"ingressRate": 1000000, "ingressBurst": 8000, "egressRate": 2000000},
                   "mac": "02:00:00:00:00:09"},
                 "args": {"cni": {"labels": [{"key": "app", "value": "web"}]}}}""");
        assertThat(c.cniVersion()).isEqualTo(CniVersion.V1_1_0);
        assertThat(c.name()).isEqualTo("cni-blue");
        assertThat(c.type()).isEqualTo("drover");
        assertThat(c.network()).isEqualTo("blue");
        assertThat(c.socket()).isEqualTo("/run/drover/node-1/agent.sock");
        assertThat(c.prevResult()).isEmpty();
        assertThat(c.runtimeConfig().portMappings()).containsExactly(
                new PortMapping(8080, 80, "tcp", null), new PortMapping(5353, 53, "udp", "127.0.0.1"),
                new PortMapping(9000, 9000, "tcp", null));
        assertThat(c.runtimeConfig().bandwidth()).contains(new Bandwidth(1_000_000, 8000, 2_000_000, 0));
        assertThat(c.runtimeConfig().raw().get("mac").stringValue()).isEqualTo("02:00:00:00:00:09");
        assertThat(c.args().at("/cni/labels/0/value").stringValue()).isEqualTo("web");
        assertThat(c.raw().at("/ipam/subnet").stringValue()).isEqualTo("10.99.0.0/24");
        assertThat(c.validAttachments()).isEmpty();
    }

    @Test
    void theDroverNetworkDefaultsToTheConfigName() throws CniError {
        NetworkConfig c = parse("{\"cniVersion\":\"1.0.0\",\"name\":\"blue\",\"type\":\"drover\"}");
        assertThat(c.network()).isEqualTo("blue");
        assertThat(c.socket()).isNull();
        assertThat(c.runtimeConfig().portMappings()).isEmpty();
        assertThat(c.runtimeConfig().bandwidth()).isEmpty();
        assertThat(c.args().isEmpty()).isTrue();
    }

    @Test
    void readsPrevResultOfEitherShape() throws CniError, IOException {
        for (String file : new String[] {"add-result-0.4.0.json", "add-result-1.0.0.json"}) {
            String prev = CniResultTest.resource(file);
            NetworkConfig c = parse("{\"cniVersion\":\"1.0.0\",\"name\":\"t\",\"type\":\"drover\",\"prevResult\":"
                    + prev + "}");
            CniResult r = c.prevResult().orElseThrow();
            assertThat(r.interfaces()).hasSize(3);
            assertThat(r.interfaces().get(2).sandbox()).isEqualTo("/var/run/netns/cnitest1");
            assertThat(r.ips()).singleElement().satisfies(ip -> {
                assertThat(ip.interfaceIndex()).isEqualTo(2);
                assertThat(ip.gateway()).isEqualTo("10.99.0.1");
            });
        }
    }

    @Test
    void readsGcValidAttachmentsAndLibcnisAlias() throws CniError {
        NetworkConfig c = parse("""
                {"cniVersion": "1.1.0", "name": "t", "type": "drover",
                 "cni.dev/valid-attachments": [{"containerID": "c1", "ifname": "eth0"},
                                               {"containerID": "c2", "ifname": "net1"},
                                               {"containerID": "c3"}]}""");
        assertThat(c.validAttachments()).containsExactly(new Attachment("c1", "eth0"), new Attachment("c2", "net1"),
                new Attachment("c3", ""));
        NetworkConfig alias = parse("""
                {"cniVersion": "1.1.0", "name": "t", "type": "drover",
                 "cni.dev/attachments": [{"containerID": "c9", "ifname": "eth0"}]}""");
        assertThat(alias.validAttachments()).containsExactly(new Attachment("c9", "eth0"));
        NetworkConfig none = parse("{\"cniVersion\":\"1.1.0\",\"name\":\"t\",\"cni.dev/valid-attachments\":[]}");
        assertThat(none.validAttachments()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "\"network\": \"\"                                          | \"network\" is empty",
        "\"network\": 7                                             | \"network\" must be a string",
        "\"socket\": []                                             | \"socket\" must be a string",
        "\"args\": 1                                                | \"args\" must be an object",
        "\"runtimeConfig\": []                                      | \"runtimeConfig\" must be an object",
        "\"runtimeConfig\": {\"portMappings\": {}}                  | runtimeConfig.portMappings must be an array",
        "\"runtimeConfig\": {\"portMappings\": [{\"hostPort\": 0, \"containerPort\": 80}]} "
            + "| runtimeConfig.portMappings[0].hostPort must be a port number from 1 to 65535, not 0",
        "\"runtimeConfig\": {\"portMappings\": [{\"hostPort\": 80}]} "
            + "| runtimeConfig.portMappings[0].containerPort must be a port number from 1 to 65535, not missing",
        "\"runtimeConfig\": {\"portMappings\": [{\"hostPort\": 80, \"containerPort\": 70000}]} "
            + "| containerPort must be a port number from 1 to 65535, not 70000",
        "\"runtimeConfig\": {\"portMappings\": [{\"hostPort\": 80, \"containerPort\": 80, \"protocol\": \"icmp\"}]} "
            + "| protocol \"icmp\" is not one of tcp, udp, sctp",
        "\"runtimeConfig\": {\"portMappings\": [{\"hostPort\": 80, \"containerPort\": 80, \"hostIP\": \"x\"}]} "
            + "| runtimeConfig.portMappings[0].hostIP \"x\" is not an IP address",
        "\"runtimeConfig\": {\"bandwidth\": {\"ingressRate\": -1}}  | bandwidth.ingressRate must be a non-negative",
        "\"cni.dev/valid-attachments\": {}                          | must be an array",
        "\"cni.dev/valid-attachments\": [{\"ifname\": \"eth0\"}]    | [0] must be an object with a non-empty"})
    void badDroverFieldsAreInvalidConfig(String field, String details) {
        String json = "{\"cniVersion\":\"1.1.0\",\"name\":\"t\",\"type\":\"drover\"," + field.strip() + "}";
        assertThatThrownBy(() -> parse(json)).isInstanceOfSatisfying(CniError.class, e -> {
            assertThat(e.code()).isEqualTo(CniError.INVALID_NETWORK_CONFIG);
            assertThat(e.msg()).isEqualTo("invalid network config");
            assertThat(e.details()).contains(details.strip());
        });
    }

    @Test
    void anUnreadablePrevResultIsADecodingFailure() {
        assertThatThrownBy(() -> parse("{\"cniVersion\":\"1.0.0\",\"name\":\"t\",\"prevResult\":\"x\"}"))
                .isInstanceOfSatisfying(CniError.class, e -> {
                    assertThat(e.code()).isEqualTo(CniError.DECODING_FAILURE);
                    assertThat(e.msg()).isEqualTo("could not parse prevResult");
                });
    }
}
