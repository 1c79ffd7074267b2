package io.drover.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.api.ApiException;
import io.drover.model.ResourceKind;
import org.junit.jupiter.api.Test;

class ApiPathTest {

    private static final String V1 = "/apis/drover.io/v1";

    @Test
    void namespacedCollectionsAndObjects() {
        assertThat(ApiPath.parse(V1 + "/namespaces/shop/pods")).isEqualTo(new ApiPath(ResourceKind.POD, "shop", null, false));
        assertThat(ApiPath.parse(V1 + "/namespaces/shop/pods/web-1")).isEqualTo(new ApiPath(ResourceKind.POD, "shop", "web-1", false));
        assertThat(ApiPath.parse(V1 + "/namespaces/shop/pods/web-1/status")).isEqualTo(new ApiPath(ResourceKind.POD, "shop", "web-1", true));
    }

    @Test
    void listsAcrossNamespacesAndClusterScopedKinds() {
        assertThat(ApiPath.parse(V1 + "/pods")).isEqualTo(new ApiPath(ResourceKind.POD, null, null, false));
        assertThat(ApiPath.parse(V1 + "/networks/blue")).isEqualTo(new ApiPath(ResourceKind.NETWORK, null, "blue", false));
    }

    @Test
    void aNamespaceIsAnObjectNotACollection() {
        assertThat(ApiPath.parse(V1 + "/namespaces/shop")).isEqualTo(new ApiPath(ResourceKind.NAMESPACE, null, "shop", false));
        assertThat(ApiPath.parse(V1 + "/namespaces/shop/")).isEqualTo(new ApiPath(ResourceKind.NAMESPACE, null, "shop", false));
        assertThat(ApiPath.parse(V1 + "/namespaces/shop/status")).isEqualTo(new ApiPath(ResourceKind.NAMESPACE, null, "shop", true));
    }

    @Test
    void unknownPluralsListWhatIsServed() {
        assertThatThrownBy(() -> ApiPath.parse(V1 + "/widgets"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.reason()).isEqualTo(ApiException.Reason.NOT_FOUND))
                .hasMessageContaining("widgets").hasMessageContaining("pods");
    }

    @Test
    void clusterScopedKindsRefuseANamespace() {
        assertThatThrownBy(() -> ApiPath.parse(V1 + "/namespaces/shop/networks/blue"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.reason()).isEqualTo(ApiException.Reason.BAD_REQUEST))
                .hasMessageContaining("cluster-scoped");
    }

    @Test
    void networkPoliciesAreServedUnderTheKubernetesNetworkingGroup() {
        String networking = "/apis/networking.k8s.io/v1";
        assertThat(ApiPath.parse(networking + "/namespaces/x/networkpolicies"))
                .isEqualTo(new ApiPath(ResourceKind.NETWORK_POLICY, "x", null, false));
        assertThat(ApiPath.parse(networking + "/namespaces/x/networkpolicies/deny-all/"))
                .isEqualTo(new ApiPath(ResourceKind.NETWORK_POLICY, "x", "deny-all", false));
        assertThat(ApiPath.parse(networking + "/networkpolicies")).isEqualTo(new ApiPath(ResourceKind.NETWORK_POLICY, null, null, false));
        assertThat(ApiPath.prefix(ResourceKind.NETWORK_POLICY)).isEqualTo(networking);
        assertThat(ApiPath.prefix(ResourceKind.POD)).isEqualTo(V1);
    }

    @Test
    void servicesAreServedUnderTheKubernetesCoreGroup() {
        assertThat(ApiPath.parse("/api/v1/namespaces/shop/services/web"))
                .isEqualTo(new ApiPath(ResourceKind.SERVICE, "shop", "web", false));
        assertThat(ApiPath.parse("/api/v1/services")).isEqualTo(new ApiPath(ResourceKind.SERVICE, null, null, false));
        assertThat(ApiPath.prefix(ResourceKind.SERVICE)).isEqualTo("/api/v1");
        assertThat(ApiPath.parse(V1 + "/namespaces/shop/serviceendpoints/web"))
                .isEqualTo(new ApiPath(ResourceKind.SERVICE_ENDPOINTS, "shop", "web", false));
        assertThatThrownBy(() -> ApiPath.parse("/api/v1/namespaces/shop/pods"))
                .hasMessage("the server has no resource \"pods\" in v1; pods are served at "
                        + "/apis/drover.io/v1/namespaces/NS/pods");
        assertThatThrownBy(() -> ApiPath.parse(V1 + "/namespaces/shop/services"))
                .hasMessage("the server has no resource \"services\" in drover.io/v1; services are served at "
                        + "/api/v1/namespaces/NS/services");
    }

    @Test
    void aKindInAnotherGroupNamesItsPath() {
        assertThatThrownBy(() -> ApiPath.parse(V1 + "/namespaces/x/networkpolicies"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.reason()).isEqualTo(ApiException.Reason.NOT_FOUND))
                .hasMessage("the server has no resource \"networkpolicies\" in drover.io/v1; networkpolicies are served at "
                        + "/apis/networking.k8s.io/v1/namespaces/NS/networkpolicies");
        assertThatThrownBy(() -> ApiPath.parse("/apis/networking.k8s.io/v1/pods"))
                .hasMessage("the server has no resource \"pods\" in networking.k8s.io/v1; pods are served at "
                        + "/apis/drover.io/v1/namespaces/NS/pods");
        assertThatThrownBy(() -> ApiPath.parse("/apis/networking.k8s.io/v1/ingresses"))
                .hasMessage("the server has no resource \"ingresses\" in networking.k8s.io/v1; it serves [networkpolicies]");
        assertThatThrownBy(() -> ApiPath.parse("/apis/apps/v1/deployments"))
                .hasMessage("path /apis/apps/v1/deployments not found: the server serves /apis/drover.io/v1, "
                        + "/apis/networking.k8s.io/v1 and /api/v1");
        assertThatThrownBy(() -> ApiPath.parse("/apis/networking.k8s.io/v1")).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> ApiPath.parse("/apis/networking.k8s.io/v1/")).isInstanceOf(ApiException.class);
    }

    @Test
    void otherSubresourcesAreNotFound() {
        assertThatThrownBy(() -> ApiPath.parse(V1 + "/namespaces/shop/pods/web-1/logs")).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> ApiPath.parse("/api/v1/pods")).isInstanceOf(ApiException.class);
    }
}
