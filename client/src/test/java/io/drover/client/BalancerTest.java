package io.drover.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The balancing strategies, deterministically (no threads, no network). */
class BalancerTest {

    private static final Endpoint A = endpoint("10.0.0.1");
    private static final Endpoint B = endpoint("10.0.0.2");
    private static final Endpoint C = endpoint("10.0.0.3");

    @Test
    void roundRobinTakesEachInTurnAndGoesOnWhenTheSetChanges() {
        LoadBalancer rr = Strategy.ROUND_ROBIN.newBalancer();
        assertThat(picks(rr, List.of(A, B, C), 6)).containsExactly(A, B, C, A, B, C);
        assertThat(picks(rr, List.of(A, C), 4)).containsExactly(A, C, A, C);
        assertThat(picks(rr, List.of(B), 2)).containsExactly(B, B);
    }

    @Test
    void leastOutstandingPicksTheEndpointWithFewestRequestsInFlight() {
        LoadBalancer lo = Strategy.LEAST_OUTSTANDING.newBalancer();
        lo.started(A);
        lo.started(A);
        lo.started(B);
        assertThat(lo.pick(List.of(A, B, C))).isEqualTo(C);
        lo.started(C);
        lo.started(C);
        assertThat(lo.pick(List.of(A, B, C))).isEqualTo(B);
        lo.finished(A);
        lo.finished(A);
        assertThat(lo.pick(List.of(A, B, C))).isEqualTo(A);
        assertThat(((LeastOutstandingBalancer) lo).outstanding(A)).isZero();
    }

    @Test
    void leastOutstandingSpreadsEqualsInTurn() {
        LoadBalancer lo = Strategy.LEAST_OUTSTANDING.newBalancer();
        assertThat(picks(lo, List.of(A, B, C), 6)).containsExactly(A, B, C, A, B, C);
    }

    @Test
    void theRegistrysAnswerParsesIntoEndpoints() {
        List<Endpoint> endpoints = EndpointWatcher.parse("""
                {"namespace":"shop","name":"web","index":7,"endpoints":[
                 {"address":"10.0.0.1","ports":{"http":8080},"instance":"a"},
                 {"address":"fd00::2","ports":{"":80},"node":"n1","pod":"web-1"}]}""");
        assertThat(endpoints).containsExactly(new Endpoint("10.0.0.1", Map.of("http", 8080), "a", null, null),
                new Endpoint("fd00::2", Map.of("", 80), null, "web-1", "n1"));
        assertThat(endpoints.get(0).baseUri("http").toString()).isEqualTo("http://10.0.0.1:8080");
        assertThat(endpoints.get(1).baseUri(null).toString()).isEqualTo("http://[fd00::2]:80");
    }

    private static List<Endpoint> picks(LoadBalancer balancer, List<Endpoint> candidates, int n) {
        List<Endpoint> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(balancer.pick(candidates));
        }
        return out;
    }

    private static Endpoint endpoint(String address) {
        return new Endpoint(address, Map.of("http", 8080), null, null, null);
    }
}
