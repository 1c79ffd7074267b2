package io.drover.agent.rules;

import static io.drover.agent.rules.ServiceFixtures.NODE;
import static io.drover.agent.rules.ServiceFixtures.endpoint;
import static io.drover.agent.rules.ServiceFixtures.service;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.drover.model.net.Cidr;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rendering the services again after a change re-renders what changed and gives what rendering from nothing gives. */
class ServiceRenderingsTest {

    private static final ServiceEndpoint A = endpoint("10.180.0.1", 8080, false);
    private static final ServiceEndpoint B = endpoint("10.180.2.1", 8080, true);

    private static List<ServiceRuleInput> services(int n, ServiceEndpoint... endpoints) {
        List<ServiceRuleInput> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(service("shop", "web-" + i, "172.30.1." + (i + 1)).endpoints(endpoints).build());
        }
        return out;
    }

    @Test
    void aChangedServiceIsRenderedAgainAndTheResultIsWhatRenderingFromNothingGives() {
        ServiceRenderings renderings = new ServiceRenderings();
        List<ServiceRuleInput> services = services(50, A, B);
        renderings.render(NODE, services);
        assertThat(renderings.renderedLast()).isEqualTo(50);

        List<ServiceRuleInput> changed = new ArrayList<>(services);
        changed.set(7, service("shop", "web-7", "172.30.1.8").endpoints(A).build());
        changed.add(service("shop", "new", "172.30.2.1").endpoints(B).build());
        ServiceRules again = renderings.render(NODE, changed);

        assertThat(renderings.renderedLast()).as("the changed service and the new one").isEqualTo(2);
        assertThat(renderings.size()).isEqualTo(51);
        assertThat(again).isEqualTo(ServiceRules.of(NODE, changed));
    }

    @Test
    void anotherNodeConfigurationRendersEverythingAgain() {
        ServiceRenderings renderings = new ServiceRenderings();
        List<ServiceRuleInput> services = services(5, A);
        renderings.render(NODE, services);
        ServiceNodeConfig other = new ServiceNodeConfig(List.of(Cidr.parse("172.30.0.0/16")), List.of(), List.of());

        ServiceRules rules = renderings.render(other, services);

        assertThat(renderings.renderedLast()).isEqualTo(5);
        assertThat(rules).isEqualTo(ServiceRules.of(other, services));
    }

    @Test
    void aClashFailsTheRenderingAndTheNextGoodOneStillReusesWhatItCan() {
        ServiceRenderings renderings = new ServiceRenderings();
        List<ServiceRuleInput> services = services(3, A);
        renderings.render(NODE, services);
        List<ServiceRuleInput> clashing = new ArrayList<>(services);
        clashing.add(service("shop", "copy", "172.30.1.1").endpoints(B).build());

        assertThatThrownBy(() -> renderings.render(NODE, clashing)).hasMessageContaining("both claim 172.30.1.1 tcp 80");
        renderings.render(NODE, services);
        assertThat(renderings.renderedLast()).isZero();
    }
}
