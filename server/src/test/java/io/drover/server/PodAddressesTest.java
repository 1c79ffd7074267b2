package io.drover.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.model.net.Cidr;
import io.drover.model.net.IpAddresses;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Pods are addressed in their create, and the IPAM controller runs inside the server: a placed pod's addresses show up in what POST and GET return. */
class PodAddressesTest extends ServerFixture {

    private static JsonNode addresses(String path) {
        return rest.get(path).json().path("status").path("addresses");
    }

    @Test
    void aPodOnANodeWithNetworksGetsAnAddressOnEach() {
        assertThat(rest.post(API + "/networks", network("ipam1", "10.100.0.0/16")).status()).isEqualTo(201);
        assertThat(rest.post(API + "/networks", network("ipam2", "10.101.0.0/16")).status()).isEqualTo(201);
        createNamespace("ipam");
        String spec = "{\"node\":\"node-1\",\"networks\":[\"ipam1\",\"ipam2\"]}";
        assertThat(rest.post(API + "/namespaces/ipam/pods", pod(null, "a", "", spec)).status()).isEqualTo(201);
        assertThat(rest.post(API + "/namespaces/ipam/pods", pod(null, "b", "", spec)).status()).isEqualTo(201);

        String a = API + "/namespaces/ipam/pods/a";
        String b = API + "/namespaces/ipam/pods/b";
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> addresses(a).size() == 2 && addresses(b).size() == 2);

        List<String> ips = new ArrayList<>();
        for (String path : List.of(a, b)) {
            JsonNode list = addresses(path);
            assertThat(list.get(0).path("network").asString()).isEqualTo("ipam1");
            assertThat(list.get(0).path("interface").asString()).isEqualTo("eth0");
            assertThat(Cidr.parse("10.100.0.0/16").contains(IpAddresses.parse(list.get(0).path("ip").asString()))).isTrue();
            assertThat(list.get(1).path("network").asString()).isEqualTo("ipam2");
            assertThat(list.get(1).path("interface").asString()).isEqualTo("eth1");
            assertThat(Cidr.parse("10.101.0.0/16").contains(IpAddresses.parse(list.get(1).path("ip").asString()))).isTrue();
            ips.add(list.get(0).path("ip").asString());
            ips.add(list.get(1).path("ip").asString());
        }
        assertThat(ips).as("no address is handed out twice").doesNotHaveDuplicates();
    }

    @Test
    void theCreateAnswersWithThePodAddressedAndThatIsWhatStays() throws Exception {
        assertThat(rest.post(API + "/networks", network("ipam3", "10.102.0.0/16")).status()).isEqualTo(201);
        createNamespace("ipam-create");
        RestClient.Reply created = rest.post(API + "/namespaces/ipam-create/pods", pod(null, "c", "", "{\"node\":\"node-1\",\"networks\":[\"ipam3\"]}"));

        assertThat(created.status()).isEqualTo(201);
        JsonNode status = created.json().path("status");
        assertThat(status.path("phase").asString()).isEqualTo("Allocated");
        assertThat(status.path("addresses")).hasSize(1);
        String ip = status.path("addresses").get(0).path("ip").asString();
        assertThat(Cidr.parse("10.102.0.0/16").contains(IpAddresses.parse(ip))).isTrue();
        // The leader's IPAM controller finds it done: the pod stays as created.
        Thread.sleep(300);
        JsonNode stored = rest.get(API + "/namespaces/ipam-create/pods/c").json();
        assertThat(stored.path("metadata").path("resourceVersion").asString())
                .isEqualTo(created.json().path("metadata").path("resourceVersion").asString());
        assertThat(stored.path("status")).isEqualTo(status);
    }
}
