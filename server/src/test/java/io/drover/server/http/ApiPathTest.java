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
    void otherSubresourcesAreNotFound() {
        assertThatThrownBy(() -> ApiPath.parse(V1 + "/namespaces/shop/pods/web-1/logs")).isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> ApiPath.parse("/api/v1/pods")).isInstanceOf(ApiException.class);
    }
}
