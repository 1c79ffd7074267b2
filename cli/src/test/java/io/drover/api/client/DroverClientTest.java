package io.drover.api.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.cli.FakeApiServer;
import io.drover.model.Resource;
import io.drover.model.ResourceKind;
import io.drover.model.codec.ResourceCodec;
import io.drover.model.meta.ObjectMeta;
import io.drover.model.network.Network;
import io.drover.model.network.NetworkSpec;
import io.drover.model.pod.Pod;
import io.drover.model.pod.PodSpec;
import io.drover.model.policy.NetworkPolicy;
import io.drover.model.policy.NetworkPolicySpec;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DroverClientTest {

    private final FakeApiServer server = FakeApiServer.start();
    private final DroverClient client = new DroverClient(server.uri());

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private final Pod web = Pod.of(ObjectMeta.named("shop", "web-1"), PodSpec.on("node-1", "blue"));

    @Test
    void createPostsTheObjectAsJsonToItsNamespacedCollection() {
        Resource created = client.create(web);

        FakeApiServer.Request request = server.requests().getFirst();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/apis/drover.io/v1/namespaces/shop/pods");
        assertThat(request.contentType()).isEqualTo("application/json");
        Resource sent = ResourceCodec.fromTree(request.json(), ResourceKind.POD);
        assertThat(sent).isEqualTo(web);
        assertThat(created.metadata().resourceVersion()).isEqualTo("101");
        assertThat(created).isInstanceOf(Pod.class);
    }

    @Test
    void clusterScopedKindsLiveAtTheTopLevel() {
        client.create(Network.of(ObjectMeta.named("blue"), NetworkSpec.of("10.10.0.0/16")));
        client.get(ResourceKind.NETWORK, null, "blue");
        client.delete(ResourceKind.NETWORK, null, "blue");

        assertThat(server.calls()).containsExactly(
                "POST /apis/drover.io/v1/networks",
                "GET /apis/drover.io/v1/networks/blue",
                "DELETE /apis/drover.io/v1/networks/blue");
    }

    @Test
    void eachKindIsAddressedUnderItsOwnApiVersion() {
        NetworkPolicy policy = NetworkPolicy.of(ObjectMeta.named("shop", "deny-all"), NetworkPolicySpec.EMPTY);
        client.create(policy);
        client.get(ResourceKind.NETWORK_POLICY, "shop", "deny-all");
        client.list(ResourceKind.NETWORK_POLICY, null, "team=a");
        client.delete(ResourceKind.NETWORK_POLICY, "shop", "deny-all");

        assertThat(server.calls()).containsExactly(
                "POST /apis/networking.k8s.io/v1/namespaces/shop/networkpolicies",
                "GET /apis/networking.k8s.io/v1/namespaces/shop/networkpolicies/deny-all",
                "GET /apis/networking.k8s.io/v1/networkpolicies?labelSelector=team%3Da",
                "DELETE /apis/networking.k8s.io/v1/namespaces/shop/networkpolicies/deny-all");
        assertThat(ResourcePaths.base(ResourceKind.NETWORK_POLICY)).isEqualTo("/apis/networking.k8s.io/v1");
        assertThat(ResourcePaths.base(ResourceKind.POD)).isEqualTo(ResourcePaths.BASE);
        assertThat(ResourcePaths.collection(ResourceKind.NETWORK, "ignored")).isEqualTo("/apis/drover.io/v1/networks");
    }

    @Test
    void getReplaceAndDeleteAddressTheObject() {
        Resource created = client.create(web);
        Resource got = client.get(ResourceKind.POD, "shop", "web-1");
        Resource replaced = client.replace(created);
        Resource deleted = client.delete(ResourceKind.POD, "shop", "web-1");

        assertThat(got).isEqualTo(created);
        assertThat(replaced.metadata().resourceVersion()).isEqualTo("102");
        assertThat(deleted.name()).isEqualTo("web-1");
        assertThat(server.calls()).containsExactly(
                "POST /apis/drover.io/v1/namespaces/shop/pods",
                "GET /apis/drover.io/v1/namespaces/shop/pods/web-1",
                "PUT /apis/drover.io/v1/namespaces/shop/pods/web-1",
                "DELETE /apis/drover.io/v1/namespaces/shop/pods/web-1");
        assertThat(server.requests().get(2).json().path("metadata").path("resourceVersion").asString()).isEqualTo("101");
        assertThat(server.requests().get(2).contentType()).isEqualTo("application/json");
    }

    @Test
    void listDecodesItemsAndResourceVersionAndEncodesTheSelector() {
        client.create(web);
        client.create(Pod.of(ObjectMeta.named("other", "web-2"), PodSpec.on("node-1", "blue")));

        ResourceListing inShop = client.list(ResourceKind.POD, "shop", "app=web, tier in (a,b)");
        ResourceListing everywhere = client.list(ResourceKind.POD, null, null);

        assertThat(inShop.items()).extracting(Resource::name).containsExactly("web-1");
        assertThat(inShop.resourceVersion()).isEqualTo("102");
        assertThat(everywhere.items()).extracting(Resource::name).containsExactlyInAnyOrder("web-1", "web-2");
        assertThat(server.calls()).endsWith(
                "GET /apis/drover.io/v1/namespaces/shop/pods?labelSelector=app%3Dweb%2C%20tier%20in%20%28a%2Cb%29",
                "GET /apis/drover.io/v1/pods");
    }

    @Test
    void patchSendsAMergePatch() {
        client.create(web);
        server.script("PATCH", "/apis/drover.io/v1/namespaces/shop/pods/web-1", 200, ResourceCodec.toJsonString(web));

        client.patch(ResourceKind.POD, "shop", "web-1", ResourceCodec.json().readTree("{\"metadata\":{\"labels\":{\"app\":\"web\"}}}"));

        FakeApiServer.Request patch = server.requests().getLast();
        assertThat(patch.method()).isEqualTo("PATCH");
        assertThat(patch.contentType()).isEqualTo("application/merge-patch+json");
        assertThat(patch.body()).isEqualTo("{\"metadata\":{\"labels\":{\"app\":\"web\"}}}");
    }

    @Test
    void notFoundIsAnApiErrorAndFindIsEmpty() {
        assertThatThrownBy(() -> client.get(ResourceKind.POD, "shop", "nope"))
                .isInstanceOfSatisfying(ApiError.class, e -> {
                    assertThat(e.code()).isEqualTo(404);
                    assertThat(e.reason()).isEqualTo("NotFound");
                    assertThat(e.isNotFound()).isTrue();
                });
        assertThat(client.find(ResourceKind.POD, "shop", "nope")).isEmpty();
    }

    @Test
    void aConflictCarriesTheServersMessage() {
        client.create(web);
        Resource stale = web.withMetadata(web.metadata().withResourceVersion("1"));

        assertThatThrownBy(() -> client.replace(stale))
                .isInstanceOfSatisfying(ApiError.class, e -> {
                    assertThat(e.code()).isEqualTo(409);
                    assertThat(e.reason()).isEqualTo("Conflict");
                    assertThat(e.isConflict()).isTrue();
                    assertThat(e.getMessage()).isEqualTo("the object has been modified; please apply your changes to the latest version and try again");
                });
        assertThatThrownBy(() -> client.create(web))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.reason()).isEqualTo("AlreadyExists"));
    }

    @Test
    void anInvalidObjectCarriesEveryCause() {
        server.script("POST", "/apis/drover.io/v1/namespaces/shop/pods", 422, FakeApiServer.statusJson(422, "Invalid",
                "Pod \"web-1\" is invalid", List.of("spec.ports[0].port", "must be between 1 and 65535", "spec.networks[0]", "network \"blu\" does not exist")));

        assertThatThrownBy(() -> client.create(web))
                .isInstanceOfSatisfying(ApiError.class, e -> {
                    assertThat(e.code()).isEqualTo(422);
                    assertThat(e.reason()).isEqualTo("Invalid");
                    assertThat(e.getMessage()).isEqualTo("Pod \"web-1\" is invalid");
                    assertThat(e.causes()).containsExactly(
                            new ApiError.Cause("spec.ports[0].port", "must be between 1 and 65535"),
                            new ApiError.Cause("spec.networks[0]", "network \"blu\" does not exist"));
                });
    }

    @Test
    void anErrorBodyThatIsNotAStatusIsStillReported() {
        server.script("GET", "/apis/drover.io/v1/networks/blue", 502, "<html>Bad Gateway</html>");
        server.script("GET", "/apis/drover.io/v1/networks/red", 500, "");

        assertThatThrownBy(() -> client.get(ResourceKind.NETWORK, null, "blue"))
                .isInstanceOfSatisfying(ApiError.class, e -> {
                    assertThat(e.code()).isEqualTo(502);
                    assertThat(e.getMessage()).isEqualTo("<html>Bad Gateway</html>");
                });
        assertThatThrownBy(() -> client.get(ResourceKind.NETWORK, null, "red"))
                .hasMessage("the server answered HTTP 500 without a message");
    }

    @Test
    void aSuccessfulAnswerThatIsNotJsonIsReported() {
        server.script("GET", "/apis/drover.io/v1/networks/blue", 200, "ok");

        assertThatThrownBy(() -> client.get(ResourceKind.NETWORK, null, "blue"))
                .isInstanceOf(ApiError.class)
                .hasMessage("the server at " + server.url() + " answered with something that is not JSON: ok");
    }

    @Test
    void aRefusedConnectionSaysHowToStartAServer() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (DroverClient nowhere = new DroverClient(URI.create("http://127.0.0.1:" + port))) {
            assertThatThrownBy(() -> nowhere.list(ResourceKind.POD, "default", null))
                    .isInstanceOf(ServerUnreachableException.class)
                    .hasMessage("no Drover server answers at http://127.0.0.1:" + port + ". Start one with: ./drover server"
                            + " --store embedded --data ./.drover/data --listen 127.0.0.1:" + port
                            + "   (or point --server / DROVER_SERVER at a running one)");
            assertThat(nowhere.healthy()).isFalse();
        }
    }

    @Test
    void healthzAnswers() {
        assertThat(client.healthy()).isTrue();
        assertThat(server.calls()).containsExactly("GET /healthz");
    }

    @Test
    void watchDeliversEventsAndThrowsErrorEvents() {
        String pod = ResourceCodec.toJsonString(web);
        server.script("GET", "/apis/drover.io/v1/namespaces/shop/pods", 200,
                "{\"type\":\"ADDED\",\"object\":" + pod + "}\n\n{\"type\":\"DELETED\",\"object\":" + pod + "}\n"
                        + "{\"type\":\"ERROR\",\"object\":" + FakeApiServer.statusJson(410, "Expired", "too old resource version: 5", List.of()) + "}\n");

        try (WatchStream watch = client.watch(ResourceKind.POD, "shop", "app=web", "5")) {
            assertThat(watch.next()).hasValueSatisfying(e -> {
                assertThat(e.type()).isEqualTo(WatchEvent.Type.ADDED);
                assertThat(e.object().name()).isEqualTo("web-1");
            });
            assertThat(watch.next()).hasValueSatisfying(e -> assertThat(e.type()).isEqualTo(WatchEvent.Type.DELETED));
            assertThatThrownBy(watch::next).isInstanceOfSatisfying(ApiError.class, e -> {
                assertThat(e.code()).isEqualTo(410);
                assertThat(e.getMessage()).isEqualTo("too old resource version: 5");
            });
            assertThat(watch.next()).isEmpty();
        }
        assertThat(server.calls()).containsExactly(
                "GET /apis/drover.io/v1/namespaces/shop/pods?labelSelector=app%3Dweb&watch=true&resourceVersion=5");
    }

    @Test
    void aRefusedWatchIsAnApiError() {
        server.script("GET", "/apis/drover.io/v1/pods", 410, FakeApiServer.statusJson(410, "Expired", "too old", List.of()));

        assertThatThrownBy(() -> client.watch(ResourceKind.POD, null, null, "1")).hasMessage("too old");
    }
}
