package io.drover.agent.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.agent.kernel.FakeKernel;
import io.drover.agent.kernel.KernelException;
import io.drover.agent.kernel.NetNs;
import io.drover.agent.rules.FastPath;
import io.drover.agent.rules.NodeRules;
import io.drover.agent.rules.ServiceEndpoint;
import io.drover.agent.rules.ServiceNodeConfig;
import io.drover.agent.rules.ServiceRuleInput;
import io.drover.agent.rules.ServiceRules;
import io.drover.model.net.Cidr;
import io.drover.model.net.IpAddresses;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExemptDrainTest {

    private static final ServiceNodeConfig NODE = new ServiceNodeConfig(List.of(Cidr.parse("172.30.0.0/16")),
            List.of(IpAddresses.parse("192.168.0.2")), List.of(IpAddresses.parse("192.168.0.2")));
    private static final InetAddress WEB_POD = IpAddresses.parse("10.10.0.70");
    private static final FastPath FAST = new FastPath("drover-vxlan", List.of(), List.of(), List.of());

    private final FakeKernel kernel = new FakeKernel();
    private long now = 1_000_000_000L;
    private final ExemptDrain drain = new ExemptDrain(kernel, () -> now);

    private static ServiceRules web(ServiceRules before, InetAddress... endpoints) {
        List<ServiceEndpoint> list = java.util.Arrays.stream(endpoints).map(ip -> ServiceEndpoint.ready(ip, 8080, false)).toList();
        List<ServiceRuleInput> ports = endpoints.length == 0 && before == null ? List.of() : List.of(
                new ServiceRuleInput("default", "web", "http", "TCP", 80, List.of(IpAddresses.parse("172.30.0.10")), 0,
                        List.of(), List.of(), List.of(), ServiceRuleInput.TrafficPolicy.CLUSTER,
                        ServiceRuleInput.TrafficPolicy.CLUSTER, null, ServiceRuleInput.Algorithm.RANDOM, list));
        return before == null ? ServiceRules.of(NODE, ports) : before.with(NODE, Map.of("default/web",
                endpoints.length == 0 ? List.of() : ports));
    }

    private static NodeRules rules(ServiceRules services) {
        return new NodeRules(List.of(), List.of(), null, null, services, List.of()).withFastPath(FAST);
    }

    @Test
    void anEndpointThatLeftItsServiceDrainsWhileConntrackTranslatesToIt() {
        ServiceRules serving = web(null, WEB_POD);
        ServiceRules gone = web(serving);
        assertThat(drain.update(NetNs.SELF, rules(serving))).isEmpty();

        kernel.setTranslatedConnections(WEB_POD, 2);
        assertThat(drain.update(NetNs.SELF, rules(gone))).as("two connections through the cluster IP").containsExactly(WEB_POD);

        kernel.setTranslatedConnections(WEB_POD, 0);
        now += Duration.ofSeconds(1).toNanos();
        assertThat(drain.update(NetNs.SELF, rules(gone))).as("conntrack is asked at most every 5 s").containsExactly(WEB_POD);
        now += ExemptDrain.CHECK_INTERVAL.toNanos();
        assertThat(drain.update(NetNs.SELF, rules(gone))).as("its connections are gone").isEmpty();
    }

    @Test
    void anAddressWithoutConnectionsLeavesAtOnceAndOneThatServesAgainStopsDraining() {
        ServiceRules serving = web(null, WEB_POD);
        ServiceRules gone = web(serving);
        drain.update(NetNs.SELF, rules(serving));
        assertThat(drain.update(NetNs.SELF, rules(gone))).isEmpty();

        kernel.setTranslatedConnections(WEB_POD, 1);
        ServiceRules back = web(gone, WEB_POD);
        drain.update(NetNs.SELF, rules(back));
        ServiceRules goneAgain = web(back);
        now += ExemptDrain.CHECK_INTERVAL.toNanos();
        assertThat(drain.update(NetNs.SELF, rules(goneAgain))).containsExactly(WEB_POD);
        assertThat(drain.update(NetNs.SELF, rules(web(goneAgain, WEB_POD)))).as("an endpoint again").isEmpty();
    }

    @Test
    void withoutTheFastPathNothingDrainsAndAnUnansweredConntrackKeepsTheAddress() {
        ServiceRules serving = web(null, WEB_POD);
        ServiceRules gone = web(serving);
        drain.update(NetNs.SELF, rules(serving));
        kernel.failWhen(c -> c.method().equals("countTranslatedConnections"), KernelException.ENOENT);
        assertThat(drain.update(NetNs.SELF, rules(gone))).as("unknown: kept").containsExactly(WEB_POD);
        assertThat(drain.update(NetNs.SELF, rules(gone).withFastPath(FastPath.NONE))).isEmpty();
    }
}
