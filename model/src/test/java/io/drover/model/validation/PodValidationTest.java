package io.drover.model.validation;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.model.meta.ObjectMeta;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodPort;
import io.drover.model.pod.PodSpec;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PodValidationTest {

    private static List<FieldError> validate(PodSpec spec) {
        return Validators.validate(Pod.of(ObjectMeta.named("shop", "web-1"), spec));
    }

    private static PodSpec mode(String networkMode, String... networks) {
        return new PodSpec(null, networkMode, List.of(networks), null, null);
    }

    private static PodSpec ports(String networkMode, PodPort... ports) {
        return new PodSpec(null, networkMode, null, List.of(ports), null);
    }

    private static PodSpec ports(PodPort... ports) {
        return ports(null, ports);
    }

    private static PodPort port(int port) {
        return new PodPort(null, port, null, null, null);
    }

    @Test
    void aFullBridgePodIsValid() {
        PodSpec spec = new PodSpec("node-1", "bridge", List.of("blue", "red"),
                List.of(new PodPort("http", 80, "TCP", 8080, null), new PodPort("dns", 53, "UDP", 5353, "10.0.0.1"),
                        new PodPort("dns-tcp", 53, "TCP", null, null), new PodPort(null, 9000, "SCTP", null, null)),
                List.of("python3", "-m", "http.server", "80"));
        assertThat(validate(spec)).isEmpty();
        assertThat(validate(PodSpec.EMPTY)).isEmpty();
    }

    @Test
    void nodeNameIsASubdomain() {
        assertThat(validate(PodSpec.on("Node_1"))).containsExactly(new FieldError("spec.node", "'Node_1' must consist of "
                + "lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric "
                + "character (e.g. 'example.com')"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"bridge", "host", "none", "container:db-1", "container:db.v1"})
    void validNetworkModes(String networkMode) {
        assertThat(validate(mode(networkMode))).isEmpty();
    }

    @Test
    void unknownNetworkModeListsTheModes() {
        assertThat(validate(mode("overlay"))).containsExactly(new FieldError("spec.networkMode",
                "'overlay' is not a network mode; use bridge, host, none or container:<pod-name>"));
        assertThat(validate(mode("Host"))).containsExactly(new FieldError("spec.networkMode",
                "'Host' is not a network mode; network modes are lower case: host"));
    }

    @Test
    void containerModeNamesAnotherValidPod() {
        assertThat(validate(mode("container:"))).containsExactly(new FieldError("spec.networkMode",
                "'container:' needs the name of the pod whose network to share, e.g. container:web-1"));
        assertThat(validate(mode("container:DB"))).containsExactly(new FieldError("spec.networkMode",
                "names pod 'DB', which is not a valid pod name: it must consist of lower case alphanumeric characters, "
                        + "'-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com')"));
        assertThat(validate(mode("container:web-1"))).containsExactly(new FieldError("spec.networkMode",
                "a pod cannot share its own network; name another pod"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"host", "none", "container:db"})
    void onlyBridgePodsJoinNetworks(String networkMode) {
        String shownMode = networkMode.startsWith("container:") ? "container" : networkMode;
        assertThat(validate(mode(networkMode, "blue"))).containsExactly(new FieldError("spec.networks",
                "must be empty in " + shownMode + " mode: only pods in bridge mode join networks; "
                        + "remove spec.networks or use networkMode: bridge"));
    }

    @Test
    void networksAreValidNetworkNames() {
        assertThat(validate(mode(null, "blue", "Red", "much-too-long"))).containsExactly(
                new FieldError("spec.networks[1]", "'Red' must consist of lower case alphanumeric characters or '-', "
                        + "and must start and end with an alphanumeric character (e.g. 'my-name' or '123-abc')"),
                new FieldError("spec.networks[2]", "'much-too-long' must be no more than 12 characters (it has 13): "
                        + "Drover derives the network's Linux bridge name from it, and Linux interface names are "
                        + "limited to 15 characters"));
    }

    @Test
    void networksAreListedOnce() {
        assertThat(validate(mode("bridge", "blue", "red", "blue"))).containsExactly(new FieldError("spec.networks[2]",
                "'blue' is already listed at spec.networks[0]; a pod joins each network once"));
    }

    @Test
    void atMost16Networks() {
        String[] sixteen = IntStream.range(0, 16).mapToObj(i -> "n" + i).toArray(String[]::new);
        assertThat(validate(mode(null, sixteen))).isEmpty();
        String[] seventeen = IntStream.range(0, 17).mapToObj(i -> "n" + i).toArray(String[]::new);
        assertThat(validate(mode(null, seventeen))).containsExactly(new FieldError("spec.networks",
                "lists 17 networks; a pod joins at most 16 (eth0 to eth15)"));
    }

    @Test
    void portNumberIsRequiredAndInRange() {
        assertThat(validate(ports(new PodPort("http", null, null, null, null)))).containsExactly(
                new FieldError("spec.ports[0].port", "is required: the port number the pod serves, 1-65535"));
        assertThat(validate(ports(port(0), port(65536), port(1), port(65535)))).containsExactly(
                new FieldError("spec.ports[0].port", "must be between 1 and 65535; it is 0"),
                new FieldError("spec.ports[1].port", "must be between 1 and 65535; it is 65536"));
    }

    @Test
    void protocolsAreUpperCaseTcpUdpOrSctp() {
        assertThat(validate(ports(new PodPort(null, 80, "tcp", null, null), new PodPort(null, 81, "Udp", null, null),
                new PodPort(null, 82, "HTTP", null, null)))).containsExactly(
                new FieldError("spec.ports[0].protocol", "'tcp' must be upper case, as in Kubernetes: TCP"),
                new FieldError("spec.ports[1].protocol", "'Udp' must be upper case, as in Kubernetes: UDP"),
                new FieldError("spec.ports[2].protocol", "'HTTP' is not a protocol; use TCP, UDP or SCTP"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http", "h2", "metrics-2", "a", "x-y-z", "abcdefghijklmno"})
    void validPortNames(String name) {
        assertThat(validate(ports(new PodPort(name, 80, null, null, null)))).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "abcdefghijklmnop|must be no more than 15 characters (it has 16)",
            "Http|must consist of lower case alphanumeric characters or '-' (e.g. 'http' or 'metrics-2')",
            "web_ui|must consist of lower case alphanumeric characters or '-' (e.g. 'http' or 'metrics-2')",
            "8080|must contain at least one letter (a-z), so that it cannot be mistaken for a port number",
            "-http|must not start or end with '-'",
            "http-|must not start or end with '-'",
            "web--ui|must not contain two '-' in a row",
    })
    void invalidPortNames(String name, String problem) {
        assertThat(validate(ports(new PodPort(name, 80, null, null, null)))).containsExactly(
                new FieldError("spec.ports[0].name", "'" + name + "' " + problem));
    }

    @Test
    void portNamesAreUnique() {
        assertThat(validate(ports(new PodPort("http", 80, null, null, null), new PodPort("http", 8080, null, null, null))))
                .containsExactly(new FieldError("spec.ports[1].name",
                        "'http' is already the name of spec.ports[0]; port names are unique in a pod"));
    }

    @Test
    void portAndProtocolAreUnique() {
        assertThat(validate(ports(port(80), new PodPort(null, 80, "TCP", null, null), new PodPort(null, 80, "UDP", null, null))))
                .containsExactly(new FieldError("spec.ports[1]",
                        "port 80/TCP is already declared by spec.ports[0]; declare each port and protocol once"));
    }

    @Test
    void hostPortInRange() {
        assertThat(validate(ports(new PodPort(null, 80, null, 0, null), new PodPort(null, 81, null, 70000, null)))).containsExactly(
                new FieldError("spec.ports[0].hostPort", "must be between 1 and 65535; it is 0"),
                new FieldError("spec.ports[1].hostPort", "must be between 1 and 65535; it is 70000"));
    }

    @Test
    void hostIpIsAnAddressAndNeedsAHostPort() {
        assertThat(validate(ports(new PodPort(null, 80, null, 8080, "eth0")))).containsExactly(
                new FieldError("spec.ports[0].hostIP", "'eth0' is not an IPv4 or IPv6 address"));
        assertThat(validate(ports(new PodPort(null, 80, null, null, "10.0.0.1")))).containsExactly(
                new FieldError("spec.ports[0].hostIP", "is set without hostPort; set hostPort too, set "
                        + "spec.publishAllPorts: true for an automatic host port on this address, or remove hostIP"));
        assertThat(validate(ports(new PodPort(null, 80, null, 8080, "fd00::1")))).isEmpty();
    }

    @Test
    void aHostPortIsPublishedOncePerProtocolAndAddress() {
        // Same hostPort on two specific addresses, or for two protocols: fine.
        assertThat(validate(ports(new PodPort(null, 80, null, 8080, "10.0.0.1"), new PodPort(null, 81, null, 8080, "10.0.0.2"),
                new PodPort(null, 82, "UDP", 8080, null)))).isEmpty();
        // All addresses, then one of them.
        assertThat(validate(ports(new PodPort(null, 80, null, 8080, null), new PodPort(null, 81, null, 8080, "10.0.0.1"))))
                .containsExactly(new FieldError("spec.ports[1].hostPort",
                        "8080/TCP is already published by spec.ports[0]; choose another hostPort"));
        // One address, then all of them.
        assertThat(validate(ports(new PodPort(null, 80, null, 8080, "10.0.0.1"), new PodPort(null, 81, null, 8080, null))))
                .containsExactly(new FieldError("spec.ports[1].hostPort",
                        "8080/TCP is already published by spec.ports[0]; choose another hostPort"));
        // The same address written two ways.
        assertThat(validate(ports(new PodPort(null, 80, null, 8080, "fd00::1"), new PodPort(null, 81, null, 8080, "fd00:0::1"))))
                .extracting(FieldError::field).containsExactly("spec.ports[1].hostPort");
    }

    @Test
    void publishingDependsOnTheMode() {
        assertThat(validate(ports("none", new PodPort(null, 80, null, 8080, null)))).containsExactly(new FieldError(
                "spec.ports[0].hostPort", "cannot be published: a pod in none mode has no network; remove hostPort"));
        assertThat(validate(ports("host", new PodPort(null, 80, null, 8080, null)))).containsExactly(new FieldError(
                "spec.ports[0].hostPort", "must equal port (80) in host mode, where the pod listens on the node's own "
                        + "addresses; remove hostPort or set it to 80"));
        assertThat(validate(ports("host", new PodPort(null, 80, null, 80, null)))).isEmpty();
    }

    @Test
    void commandEntriesAreNotEmpty() {
        assertThat(validate(new PodSpec(null, null, null, null, List.of("sh", "", "-c", "true")))).containsExactly(
                new FieldError("spec.command[1]", "must not be empty; remove it or write the argument"));
    }

    private static PodSpec publishAll(String networkMode, List<String> networks, PodPort... ports) {
        return new PodSpec("node-1", networkMode, networks, List.of(ports), true, null);
    }

    @Test
    void publishAllPortsPublishesTheDeclaredPortsOfABridgePod() {
        assertThat(validate(publishAll(null, List.of("blue"), port(80), new PodPort("dns", 53, "UDP", null, null),
                new PodPort("admin", 9000, null, 9000, null)))).isEmpty();
        // Docker's -p 127.0.0.1::80: an automatic host port on one address.
        assertThat(validate(publishAll("bridge", List.of("blue"), new PodPort(null, 80, null, null, "127.0.0.1")))).isEmpty();
        // Off, as when omitted.
        assertThat(validate(new PodSpec(null, "none", null, null, false, null))).isEmpty();
    }

    @Test
    void publishAllPortsNeedsAPortAndANetwork() {
        assertThat(validate(publishAll(null, List.of("blue")))).containsExactly(new FieldError("spec.publishAllPorts",
                "needs a port to publish: declare the ports the pod serves in spec.ports (e.g. {port: 80}), "
                        + "or remove publishAllPorts"));
        assertThat(validate(publishAll(null, List.of(), port(80)))).containsExactly(new FieldError("spec.publishAllPorts",
                "has nothing to publish to: the pod joins no network, so it has no address; add spec.networks, "
                        + "or remove publishAllPorts"));
    }

    @Test
    void publishAllPortsIsOnlyForBridgeMode() {
        assertThat(validate(publishAll("none", List.of(), port(80)))).containsExactly(new FieldError("spec.publishAllPorts",
                "cannot be used in none mode: the pod has no network to publish its ports from; remove publishAllPorts, "
                        + "or use networkMode: bridge"));
        assertThat(validate(publishAll("host", List.of(), port(80)))).containsExactly(new FieldError("spec.publishAllPorts",
                "cannot be used in host mode: the pod listens on the node's own addresses, so its ports are reachable "
                        + "on the node already; remove publishAllPorts"));
        assertThat(validate(publishAll("host", List.of(), new PodPort(null, 80, null, null, "10.0.0.1"))))
                .extracting(FieldError::field).containsExactly("spec.ports[0].hostIP", "spec.publishAllPorts");
        assertThat(validate(publishAll("container:web", List.of(), port(81)))).containsExactly(new FieldError(
                "spec.publishAllPorts", "cannot be used in container mode: the pod uses the network of pod 'web', which "
                        + "publishes it; set publishAllPorts in pod 'web' or give these ports a hostPort, and remove "
                        + "publishAllPorts here"));
    }

    @Test
    void automaticPortsAreThoseWithoutAHostPort() {
        PodPort auto = port(80);
        PodPort udp = new PodPort(null, 53, "UDP", null, "10.0.0.1");
        PodPort explicit = new PodPort(null, 443, null, 8443, null);
        assertThat(publishAll(null, List.of("blue"), auto, udp, explicit).automaticPorts()).containsExactly(auto, udp);
        assertThat(new PodSpec("n", null, List.of("blue"), List.of(auto), null).automaticPorts()).isEmpty();
        assertThat(publishAll("host", List.of(), auto).automaticPorts()).isEmpty();
    }
}
