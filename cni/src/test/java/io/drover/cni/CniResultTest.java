package io.drover.cni;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.drover.cni.CniResult.Dns;
import io.drover.cni.CniResult.Interface;
import io.drover.cni.CniResult.IpConfig;
import io.drover.cni.CniResult.Route;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Results in every supported version's shape, checked byte for byte against what the reference bridge plugin printed
 * (copies of shared/conformance/cni in the test resources; a test checks the copies against the originals).
 */
class CniResultTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Path SHARED = Path.of("../../shared/conformance/cni");

    static String resource(String name) throws IOException {
        try (InputStream in = CniResultTest.class.getResourceAsStream("/conformance/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The result of "ADD ok (1.0.0)" in the transcript. */
    static CniResult bridgeResult100() {
        return new CniResult(List.of(
                new Interface("cnitestbr0", "5a:06:17:56:66:6c", null),
                new Interface("veth51e2b480", "02:23:2e:24:56:cc", null),
                new Interface("eth0", "8e:4b:d0:92:03:2a", "/var/run/netns/cnitest1")),
                List.of(new IpConfig(2, "10.99.0.2/24", "10.99.0.1")), List.of(), Dns.EMPTY);
    }

    /** The result of "ADD ok (0.4.0)" in the transcript. */
    static CniResult bridgeResult040() {
        return new CniResult(List.of(
                new Interface("cnitestbr0", "5a:06:17:56:66:6c", null),
                new Interface("veth414a4817", "3a:dd:0a:ba:4d:34", null),
                new Interface("eth1", "5a:bc:c9:4f:40:51", "/var/run/netns/cnitest1")),
                List.of(new IpConfig(2, "10.99.0.3/24", "10.99.0.1")), List.of(), Dns.EMPTY);
    }

    @Test
    void rendersTheReferenceResultOf100ByteForByte() throws IOException {
        assertThat(bridgeResult100().render(CniVersion.V1_0_0)).isEqualTo(resource("add-result-1.0.0.json"));
    }

    @Test
    void rendersTheReferenceResultOf040ByteForByteWithIpVersions() throws IOException {
        assertThat(bridgeResult040().render(CniVersion.V0_4_0)).isEqualTo(resource("add-result-0.4.0.json"));
    }

    @Test
    void the03xShapeIsThe040ShapeWithItsOwnVersion() throws IOException {
        String expected040 = resource("add-result-0.4.0.json");
        for (CniVersion v : List.of(CniVersion.V0_3_0, CniVersion.V0_3_1)) {
            assertThat(bridgeResult040().render(v))
                    .isEqualTo(expected040.replace("\"cniVersion\": \"0.4.0\"", "\"cniVersion\": \"" + v.text() + "\""));
        }
    }

    @Test
    void the110ShapeIsThe100ShapeWithItsOwnVersion() throws IOException {
        assertThat(bridgeResult100().render(CniVersion.V1_1_0)).isEqualTo(resource("add-result-1.0.0.json")
                .replace("\"cniVersion\": \"1.0.0\"", "\"cniVersion\": \"1.1.0\""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"add-result-0.4.0.json", "add-result-1.0.0.json"})
    void referenceResultsParseAndRenderBackUnchanged(String file) throws IOException, CniError {
        String text = resource(file);
        JsonNode tree = JSON.readTree(text);
        CniResult parsed = CniResult.parse(tree);
        CniVersion version = CniVersion.of(tree.get("cniVersion").stringValue()).orElseThrow();
        assertThat(parsed.render(version)).isEqualTo(text);
    }

    @Test
    void convertsBetweenVersions() throws IOException, CniError {
        CniResult from040 = CniResult.parse(JSON.readTree(resource("add-result-0.4.0.json")));
        JsonNode as100 = from040.toJson(CniVersion.V1_0_0);
        assertThat(as100.get("ips").get(0).has("version")).isFalse();
        CniResult from100 = CniResult.parse(JSON.readTree(resource("add-result-1.0.0.json")));
        JsonNode as040 = from100.toJson(CniVersion.V0_4_0);
        assertThat(as040.get("ips").get(0).get("version").stringValue()).isEqualTo("4");
        assertThat(as040.get("cniVersion").stringValue()).isEqualTo("0.4.0");
    }

    @Test
    void ipv6AddressesAreVersion6InOldShapes() {
        CniResult r = new CniResult(List.of(new Interface("eth0", null, "/run/netns/x")),
                List.of(new IpConfig(0, "10.1.0.5/24", "10.1.0.1"), new IpConfig(0, "fd00:10::5/64", "fd00:10::1")),
                List.of(new Route("0.0.0.0/0", "10.1.0.1"), new Route("::/0", null)), Dns.EMPTY);
        JsonNode ips = r.toJson(CniVersion.V0_3_1).get("ips");
        assertThat(ips.get(0).get("version").stringValue()).isEqualTo("4");
        assertThat(ips.get(1).get("version").stringValue()).isEqualTo("6");
        assertThat(r.toJson(CniVersion.V0_3_1).get("routes").get(1).has("gw")).isFalse();
    }

    @Test
    void fieldsAdded110AppearOnlyIn110() throws CniError {
        CniResult r = new CniResult(
                List.of(new Interface("eth0", "02:00:00:00:00:01", 1450, "/run/netns/x", "/run/sock", "0000:00:1f.6")),
                List.of(new IpConfig(0, "10.1.0.5/24", null)),
                List.of(new Route("10.0.0.0/8", "10.1.0.1", 1400, 1360, 10, 100, 0)),
                new Dns(List.of("10.1.0.1"), "cluster.local", List.of("svc.cluster.local"), List.of("ndots:5")));
        assertThat(r.render(CniVersion.V1_1_0)).isEqualTo("""
                {
                    "cniVersion": "1.1.0",
                    "interfaces": [
                        {
                            "name": "eth0",
                            "mac": "02:00:00:00:00:01",
                            "mtu": 1450,
                            "sandbox": "/run/netns/x",
                            "socketPath": "/run/sock",
                            "pciID": "0000:00:1f.6"
                        }
                    ],
                    "ips": [
                        {
                            "interface": 0,
                            "address": "10.1.0.5/24"
                        }
                    ],
                    "routes": [
                        {
                            "dst": "10.0.0.0/8",
                            "gw": "10.1.0.1",
                            "mtu": 1400,
                            "advmss": 1360,
                            "priority": 10,
                            "table": 100,
                            "scope": 0
                        }
                    ],
                    "dns": {
                        "nameservers": [
                            "10.1.0.1"
                        ],
                        "domain": "cluster.local",
                        "search": [
                            "svc.cluster.local"
                        ],
                        "options": [
                            "ndots:5"
                        ]
                    }
                }""");
        JsonNode v100 = r.toJson(CniVersion.V1_0_0);
        assertThat(v100.get("interfaces").get(0).propertyNames()).containsExactly("name", "mac", "sandbox");
        assertThat(v100.get("routes").get(0).propertyNames()).containsExactly("dst", "gw");
        CniResult back = CniResult.parse(r.toJson(CniVersion.V1_1_0));
        assertThat(back).isEqualTo(r);
    }

    @Test
    void anEmptyResultStillHasDns() {
        assertThat(new CniResult(List.of(), List.of(), List.of(), null).render(CniVersion.V1_0_0))
                .isEqualTo("{\n    \"cniVersion\": \"1.0.0\",\n    \"dns\": {}\n}");
    }

    @Test
    void malformedPrevResultsAreDecodingErrorsThatSayWhere() {
        assertThatThrownBy(() -> CniResult.parse(JSON.readTree("[]"))).isInstanceOf(CniError.class)
                .hasMessageContaining("could not parse prevResult").hasMessageContaining("an array");
        assertThatThrownBy(() -> CniResult.parse(JSON.readTree("{\"ips\":[{\"address\":\"10.1.0.5\"}]}")))
                .isInstanceOfSatisfying(CniError.class, e -> {
                    assertThat(e.code()).isEqualTo(CniError.DECODING_FAILURE);
                    assertThat(e.details()).contains("ips[].address \"10.1.0.5\" is not an address with a prefix");
                });
        assertThatThrownBy(() -> CniResult.parse(JSON.readTree(
                "{\"interfaces\":[{\"name\":\"eth0\"}],\"ips\":[{\"interface\":3,\"address\":\"10.1.0.5/24\"}]}")))
                .hasMessageContaining("ips[].interface 3 does not name one of the 1 interfaces");
        assertThatThrownBy(() -> CniResult.parse(JSON.readTree("{\"interfaces\":[{\"mac\":\"x\"}]}")))
                .hasMessageContaining("interfaces[].name is missing");
        assertThatThrownBy(() -> CniResult.parse(JSON.readTree("{\"ips\":[{\"address\":\"10.1.0.5/33\"}]}")))
                .hasMessageContaining("not an address with a prefix");
        assertThatThrownBy(() -> CniResult.parse(JSON.readTree(
                "{\"ips\":[{\"address\":\"10.1.0.5/24\",\"gateway\":\"gw.example\"}]}")))
                .hasMessageContaining("ips[].gateway \"gw.example\" is not an IP address");
        assertThatThrownBy(() -> CniResult.parse(JSON.readTree("{\"dns\":{\"nameservers\":[1]}}")))
                .hasMessageContaining("dns.nameservers must hold strings");
    }

    @ParameterizedTest
    @ValueSource(strings = {"add-result-0.4.0.json", "add-result-1.0.0.json", "reference-plugin-transcript.txt"})
    void copiesMatchTheSharedConformanceFiles(String file) throws IOException {
        assumeTrue(Files.isDirectory(SHARED), "shared/conformance/cni is not beside the repository");
        assertThat(resource(file)).as("src/test/resources/conformance/" + file + " mirrors shared/")
                .isEqualTo(Files.readString(SHARED.resolve(file)));
    }
}
