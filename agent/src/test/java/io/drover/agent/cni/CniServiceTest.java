package io.drover.agent.cni;

import static io.drover.agent.cni.CniFixture.add;
import static io.drover.agent.cni.CniFixture.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.agent.cni.CniFixture.Call;
import io.drover.agent.kernel.Link;
import io.drover.agent.kernel.NetNs;
import io.drover.cni.CniError;
import io.drover.cni.CniReply;
import io.drover.cni.CniResult;
import io.drover.cni.CniVersion;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodPort;
import io.drover.model.tenant.Namespace;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ADD, DEL, CHECK, GC and STATUS against the real registry, IPAM and agent, on the fake kernel. */
class CniServiceTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final NetNs NODE = NetNs.SELF;

    @TempDir
    Path dir;

    private CniFixture node;

    @BeforeEach
    void start() {
        node = new CniFixture(dir);
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private CniResult added(Call call) {
        CniReply reply = node.call(call);
        assertThat(reply).as(String.valueOf(reply)).isInstanceOf(CniReply.Added.class);
        return ((CniReply.Added) reply).result();
    }

    private static CniError failure(CniReply reply) {
        assertThat(reply).as(String.valueOf(reply)).isInstanceOf(CniReply.Failure.class);
        return ((CniReply.Failure) reply).error();
    }

    private void done(Call call) {
        CniReply reply = node.call(call);
        assertThat(reply).as(reply instanceof CniReply.Failure f ? f.toJson().toString() : "").isInstanceOf(CniReply.Done.class);
    }

    private static Call withPrev(Call call, String command, CniResult result) {
        String prev = result.render(CniVersion.V1_0_0);
        return call.as(command).withConfig(config(call.config().contains("\"red\"") ? "red" : "blue",
                ",\"prevResult\":" + prev));
    }

    /** Nothing of an attachment is left: no pod, no host veth, no interface in the container, no IPAM handle. */
    private void nothingLeftOf(String namespace, String pod, NetNs container, String ifName, String network) {
        assertThat(node.pod(namespace, pod)).as("the pod").isEmpty();
        assertThat(node.kernel.link(container, ifName)).as(ifName + " in the container").isEmpty();
        await("IPAM releases the addresses").atMost(WAIT).until(() -> node.controllers.ipam().handles(network).size()
                == node.pods().stream().filter(p -> p.spec().networks().contains(network)).count());
    }

    @Test
    void addAttachesTheContainerAndAnswersWhatTheKernelHas() {
        NetNs c1 = node.container("c1");
        CniResult result = added(add("c1", c1, "blue"));

        Pod pod = node.pod("default", "c1").orElseThrow();
        assertThat(pod.spec().node()).isEqualTo(CniFixture.NODE);
        assertThat(pod.spec().networks()).containsExactly("blue");
        assertThat(pod.metadata().annotations()).containsEntry(CniAttachment.CONTAINER_ID_ANNOTATION, "c1")
                .containsEntry(CniAttachment.NETNS_ANNOTATION, c1.path().toString())
                .containsEntry(CniAttachment.IFNAME_ANNOTATION, "eth0");
        String ip = pod.status().addresses().getFirst().ip();

        String host = Plumbing.hostEnd(pod, "eth0");
        Link hostLink = node.kernel.link(NODE, host).orElseThrow();
        Link eth0 = node.kernel.link(c1, "eth0").orElseThrow();
        assertThat(hostLink.master()).isEqualTo("dr-blue");
        assertThat(eth0.up()).isTrue();
        assertThat(node.kernel.addressesOf(c1, "eth0")).extracting(Object::toString).contains(ip + "/16");

        assertThat(result.interfaces()).containsExactly(
                new CniResult.Interface(host, hostLink.mac(), 1500, null, null, null),
                new CniResult.Interface("eth0", eth0.mac(), 1500, c1.path().toString(), null, null));
        assertThat(result.ips()).containsExactly(new CniResult.IpConfig(1, ip + "/16", "10.10.0.1"));
        assertThat(result.routes()).containsExactly(new CniResult.Route("0.0.0.0/0", "10.10.0.1"));
    }

    @Test
    void thePodIsNamedByCniArgsWhenTheyNameIt() {
        NetNs ns = node.container("k8s");
        Call call = new Call("ADD", "0123456789abcdef", ns.path().toString(), "eth0",
                "IgnoreUnknown=1;K8S_POD_NAMESPACE=shop;K8S_POD_NAME=web-1;K8S_POD_INFRA_CONTAINER_ID=0123456789abcdef",
                config("blue", ""));
        added(call);

        assertThat(node.registry.get(Namespace.class, null, "shop")).as("the namespace is made").isPresent();
        assertThat(node.pod("shop", "web-1")).get()
                .satisfies(p -> assertThat(CniAttachment.of(p)).contains(new CniAttachment("0123456789abcdef", "eth0",
                        ns.path().toString(), true)));

        done(call.as("DEL"));
        assertThat(node.pod("shop", "web-1")).isEmpty();
    }

    @Test
    void withAClusterDnsTheResultGivesItWithTheSearchPathOfThePodsNamespace() {
        CniService withDns = new CniService(node.registry, node.agent, node.kernel, NODE, CniService.Options.DEFAULTS
                .withClusterDns(new ClusterDns(List.of("10.96.0.10"), "corp.example.")));
        NetNs ns = node.container("k8s");
        Call call = new Call("ADD", "0123456789abcdef", ns.path().toString(), "eth0",
                "K8S_POD_NAMESPACE=shop;K8S_POD_NAME=web-1", config("blue", ""));
        CniReply reply = new io.drover.cni.CniDispatcher(withDns, node.netnsExists)
                .handle(call.env(), call.config().getBytes(java.nio.charset.StandardCharsets.UTF_8));

        assertThat(reply).as(String.valueOf(reply)).isInstanceOf(CniReply.Added.class);
        assertThat(((CniReply.Added) reply).result().dns()).isEqualTo(new CniResult.Dns(List.of("10.96.0.10"), null,
                List.of("shop.svc.corp.example", "svc.corp.example", "corp.example"), List.of("ndots:5")));
        done(call.as("DEL"));
    }

    @Test
    void withoutAClusterDnsTheResultHasNoDns() {
        assertThat(added(add("c1", node.container("c1"), "blue")).dns()).isEqualTo(CniResult.Dns.EMPTY);
    }

    @Test
    void aClusterDnsThatIsNoAddressOrABadDomainIsRefusedWithWhatToGive() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ClusterDns(List.of("dns.local"), "cluster.local"))
                .hasMessageContaining("'dns.local' is not an IP address");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ClusterDns(List.of("10.96.0.10"), "Cluster_Local"))
                .hasMessageContaining("cluster domain 'Cluster_Local' is not a DNS name");
    }

    @Test
    void aRetriedAddAnswersTheSameAndKeepsTheAddress() {
        NetNs c1 = node.container("c1");
        CniResult first = added(add("c1", c1, "blue"));
        CniResult again = added(add("c1", c1, "blue"));

        assertThat(again).isEqualTo(first);
        assertThat(node.pods()).hasSize(1);
        assertThat(node.hostVeths()).hasSize(1);
    }

    @Test
    void anAttachmentAddedAgainOnAnotherNetworkMovesThere() {
        NetNs c1 = node.container("c1");
        added(add("c1", c1, "blue"));
        CniResult moved = added(add("c1", c1, "red"));

        assertThat(moved.ips().getFirst().address()).startsWith("10.20.");
        assertThat(node.pod("default", "c1").orElseThrow().spec().networks()).containsExactly("red");
        assertThat(node.hostVeths()).hasSize(1);
        assertThat(node.kernel.addressesOf(c1, "eth0")).extracting(Object::toString)
                .contains(moved.ips().getFirst().address()).noneMatch(a -> a.startsWith("10.10."));
    }

    @Test
    void theRuntimesInterfaceNameIsHonouredAndASecondNetworkGetsItsOwnPod() {
        NetNs c1 = node.container("c1");
        added(add("c1", c1, "blue"));
        Call second = new Call("ADD", "c1", c1.path().toString(), "net1", "", config("red", ""));
        CniResult result = added(second);

        assertThat(result.interfaces().get(1).name()).isEqualTo("net1");
        assertThat(node.kernel.link(c1, "net1")).isPresent();
        Pod pod = node.pod("default", "c1-net1").orElseThrow();
        assertThat(pod.spec().networks()).containsExactly("red");
        assertThat(node.kernel.addressesOf(c1, "net1")).extracting(Object::toString)
                .contains(pod.status().addresses().getFirst().ip() + "/16");
        assertThat(result.routes()).as("the container leaves through its first attachment").isEmpty();
        done(withPrev(second, "CHECK", result));
        assertThat(node.kernel.staticRoutes(c1)).extracting(r -> r.device()).containsExactly("eth0");

        done(second.as("DEL"));
        assertThat(node.kernel.link(c1, "net1")).isEmpty();
        assertThat(node.kernel.link(c1, "eth0")).as("the first attachment stays").isPresent();
    }

    @Test
    void aPodNameHeldByAnotherLiveContainerIsRefusedAndAStaleOneReplaced() {
        NetNs first = node.container("first");
        NetNs second = node.container("second");
        String args = "K8S_POD_NAMESPACE=default;K8S_POD_NAME=web";
        added(new Call("ADD", "aaa", first.path().toString(), "eth0", args, config("blue", "")));

        CniError taken = failure(node.call(new Call("ADD", "bbb", second.path().toString(), "eth0", args,
                config("blue", ""))));
        assertThat(taken.code()).isEqualTo(CniError.INVALID_ENVIRONMENT);
        assertThat(taken.msg()).isEqualTo("pod default/web already exists");
        assertThat(taken.details()).contains("container aaa");
        assertThat(node.kernel.link(second, "eth0")).isEmpty();

        // The first container dies without a DEL: its namespace goes, and its veth pair with it.
        node.kernel.deleteNamespace(first.path().getFileName().toString());
        added(new Call("ADD", "bbb", second.path().toString(), "eth0", args, config("blue", "")));
        assertThat(CniAttachment.of(node.pod("default", "web").orElseThrow())).get()
                .extracting(CniAttachment::containerId).isEqualTo("bbb");
        assertThat(node.hostVeths()).hasSize(1);
    }

    @Test
    void delRemovesThePodAndItsInterfaceAndSucceedsWhenNothingIsLeft() {
        NetNs c1 = node.container("c1");
        Call call = add("c1", c1, "blue");
        added(call);
        assertThat(node.hostVeths()).hasSize(1);

        done(call.as("DEL"));
        assertThat(node.hostVeths()).isEmpty();
        nothingLeftOf("default", "c1", c1, "eth0", "blue");

        done(call.as("DEL"));
        done(new Call("DEL", "never-added", "/var/run/netns/gone", "eth0", "", config("blue", "")));
        done(new Call("DEL", "never-added", "", "eth0", "", config("blue", "")));
    }

    @Test
    void anExhaustedPoolIsTryAgainLaterAndLeavesNothing() {
        NetNs c1 = node.container("c1");
        NetNs c2 = node.container("c2");
        Call first = add("c1", c1, "tiny");
        CniResult only = added(first);
        assertThat(only.ips().getFirst().address()).isEqualTo("10.30.0.2/30");

        CniError error = failure(node.call(add("c2", c2, "tiny")));
        assertThat(error.code()).isEqualTo(CniError.TRY_AGAIN_LATER);
        assertThat(error.msg()).isEqualTo("no free address in network tiny");
        assertThat(error.details()).contains("has no free IPv4 address");
        nothingLeftOf("default", "c2", c2, "eth0", "tiny");
        assertThat(node.hostVeths()).hasSize(1);

        done(first.as("DEL"));
        // IPAM takes the address back after the pod is gone; the runtime's retry then succeeds.
        await().atMost(WAIT).until(() -> node.call(add("c2", c2, "tiny")) instanceof CniReply.Added);
        assertThat(node.kernel.addressesOf(c2, "eth0")).extracting(Object::toString).contains("10.30.0.2/30");
    }

    @Test
    void anInterfaceNameInUseIsRefusedAndNothingIsLeft() {
        NetNs c1 = node.container("c1");
        node.kernel.addLink(c1, "eth0", "dummy", 1500, null);

        CniError error = failure(node.call(add("c1", c1, "blue")));
        assertThat(error.code()).isEqualTo(CniError.INVALID_ENVIRONMENT);
        assertThat(error.msg()).isEqualTo("CNI_IFNAME is already in use");
        assertThat(node.pods()).isEmpty();
        assertThat(node.hostVeths()).isEmpty();
        assertThat(node.kernel.link(c1, "eth0")).get().extracting(Link::kind).isEqualTo("dummy");
    }

    @Test
    void aMissingNamespaceIsRefusedBeforeAnythingIsMade() {
        CniError error = failure(node.call(new Call("ADD", "c1", "/var/run/netns/nope", "eth0", "", config("blue", ""))));
        assertThat(error.code()).isEqualTo(CniError.INVALID_ENVIRONMENT);
        assertThat(error.msg()).isEqualTo("CNI_NETNS names a network namespace that does not exist");
        assertThat(node.pods()).isEmpty();
    }

    @Test
    void aNetworkThatDoesNotExistIsAnInvalidConfiguration() {
        NetNs c1 = node.container("c1");
        CniError error = failure(node.call(add("c1", c1, "green")));
        assertThat(error.code()).isEqualTo(CniError.INVALID_NETWORK_CONFIG);
        assertThat(error.details()).contains("network \"green\" does not exist");
        assertThat(node.pods()).isEmpty();
    }

    @Test
    void aTakenHostPortIsTryAgainLaterAndLeavesNothing() {
        NetNs c1 = node.container("c1");
        NetNs c2 = node.container("c2");
        String mapping = ",\"runtimeConfig\":{\"portMappings\":[{\"hostPort\":8080,\"containerPort\":80,\"protocol\":\"tcp\"}]}";
        Call first = add("c1", c1, "blue").withConfig(config("blue", mapping));
        added(first);
        assertThat(node.pod("default", "c1").orElseThrow().spec().ports())
                .containsExactly(new PodPort(null, 80, "TCP", 8080, null));
        assertThat(node.agent.lastDesired().orElseThrow().publishedPorts()).hasSize(1);

        CniError error = failure(node.call(add("c2", c2, "blue").withConfig(config("blue", mapping))));
        assertThat(error.code()).isEqualTo(CniError.TRY_AGAIN_LATER);
        assertThat(error.msg()).isEqualTo("host port 8080/tcp is already taken");
        assertThat(error.details()).contains("pod default/c1");
        nothingLeftOf("default", "c2", c2, "eth0", "blue");
        assertThat(node.agent.lastDesired().orElseThrow().publishedPorts()).extracting(p -> p.pod())
                .containsExactly("default/c1");
    }

    @Test
    void checkVerifiesWhatAddMade() {
        NetNs c1 = node.container("c1");
        Call call = add("c1", c1, "blue");
        CniResult result = added(call);
        done(withPrev(call, "CHECK", result));

        CniResult wrong = new CniResult(result.interfaces(), List.of(new CniResult.IpConfig(1, "10.10.9.9/16",
                "10.10.0.1")), result.routes(), result.dns());
        CniError mismatch = failure(node.call(withPrev(call, "CHECK", wrong)));
        assertThat(mismatch.code()).isEqualTo(CniError.INTERNAL);
        assertThat(mismatch.msg()).isEqualTo("prevResult's addresses are not the pod's");

        node.kernel.setUp(c1, "eth0", false);
        CniError down = failure(node.call(withPrev(call, "CHECK", result)));
        assertThat(down.msg()).isEqualTo("interface eth0 is down");
        node.kernel.setUp(c1, "eth0", true);

        done(withPrev(call, "DEL", result));
        CniError gone = failure(node.call(withPrev(call, "CHECK", result)));
        assertThat(gone.code()).isEqualTo(CniError.UNKNOWN_CONTAINER);
    }

    @Test
    void gcRemovesTheAttachmentsOfTheNetworkThatAreNotValid() {
        for (String id : List.of("keep", "drop1", "drop2")) {
            added(add(id, node.container(id), "blue"));
        }
        added(add("other", node.container("other"), "red"));
        assertThat(node.hostVeths()).hasSize(4);

        done(new Call("GC", "", "", "", "", "{\"cniVersion\":\"1.1.0\",\"name\":\"blue\",\"type\":\"drover\","
                + "\"cni.dev/valid-attachments\":[{\"containerID\":\"keep\",\"ifname\":\"eth0\"}]}"));

        assertThat(node.pods()).extracting(Pod::name).containsExactlyInAnyOrder("keep", "other");
        assertThat(node.hostVeths()).hasSize(2);
    }

    @Test
    void statusSaysWhetherAddCanBeServed() {
        done(new Call("STATUS", "", "", "", "", "{\"cniVersion\":\"1.1.0\",\"name\":\"blue\",\"type\":\"drover\"}"));
        CniError missing = failure(node.call(new Call("STATUS", "", "", "", "",
                "{\"cniVersion\":\"1.1.0\",\"name\":\"green\",\"type\":\"drover\"}")));
        assertThat(missing.code()).isEqualTo(CniError.PLUGIN_NOT_AVAILABLE);
        assertThat(missing.msg()).isEqualTo("network green does not exist");
    }

    @Test
    void aFailureOfTheAgentUndoesTheAdd() {
        NetNs c1 = node.container("c1");
        node.kernel.failWhen(c -> c.is("addAddress") && c.ns().equals(c1), 13);

        CniError error = failure(node.call(add("c1", c1, "blue")));
        assertThat(error.code()).isEqualTo(CniError.INTERNAL);
        assertThat(error.msg()).isEqualTo("the Drover agent cannot plumb eth0 of pod default/c1");
        node.kernel.clearFailures();
        nothingLeftOf("default", "c1", c1, "eth0", "blue");
        assertThat(node.hostVeths()).isEmpty();
    }

    @Test
    void anAddThatIpamDoesNotAnswerTimesOutAndLeavesNothing() {
        node.controllers.close();
        CniService impatient = new CniService(node.registry, node.agent, node.kernel, NODE,
                new CniService.Options(Duration.ofMillis(300), Duration.ofSeconds(5), node.netnsExists));
        NetNs c1 = node.container("c1");
        CniError error = failure(new io.drover.cni.CniDispatcher(impatient, node.netnsExists)
                .handle(add("c1", c1, "blue").env(), config("blue", "").getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(error.code()).isEqualTo(CniError.TRY_AGAIN_LATER);
        assertThat(error.msg()).isEqualTo("pod default/c1 got no address in time");
        assertThat(node.pods()).isEmpty();
        assertThat(node.hostVeths()).isEmpty();
    }
}
