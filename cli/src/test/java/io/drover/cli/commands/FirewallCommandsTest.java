package io.drover.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.cli.CliHarness.Result;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The distributed firewall from the command line: the example applied in order (groups before the policies that name
 * them), {@code get sg|fwp|firewallsettings}, {@code describe} with a group's members now, and {@code policy explain}
 * listing the tier rules that select a pair.
 */
class FirewallCommandsTest extends AgainstFakeServer {

    private static final String EXAMPLE = Path.of("../examples/firewall-web-tier.yaml").toString();

    private Result applyExample() {
        Result applied = drover("apply", "-f", EXAMPLE);
        assertThat(applied.exitCode()).as(applied.err()).isZero();
        return applied;
    }

    @Test
    void applyWritesGroupsBeforeThePoliciesThatNameThemAndThoseBeforePods() {
        assertThat(applyExample().out()).isEqualTo("""
                namespace/tiers created
                network/green created
                securitygroup/web-tier created
                securitygroup/app-tier created
                firewallpolicy/isolate-web created
                firewallpolicy/web-to-app created
                pod/web-1 created
                pod/web-2 created
                pod/app-1 created
                """);
        assertThat(server.calls()).contains("POST /apis/drover.io/v1/securitygroups", "POST /apis/drover.io/v1/firewallpolicies");
        assertThat(drover("apply", "-f", EXAMPLE).out()).contains("firewallpolicy/isolate-web unchanged",
                "securitygroup/web-tier unchanged");
    }

    @Test
    void getShowsTiersPrioritiesScopesAndMembers() {
        applyExample();
        assertThat(drover("get", "fwp").out()).isEqualTo("""
                NAME          TIER          PRIORITY   APPLIED-TO                       RULES   AGE
                isolate-web   security      10         <every pod>                      1       5m
                web-to-app    application   100        group web-tier, group app-tier   2       5m
                """);
        assertThat(drover("get", "fwp", "web-to-app", "-o", "wide").out()).contains("http:Allow,nothing-else-to-app:Reject");
        assertThat(drover("get", "sg").out()).isEqualTo("""
                NAME       MEMBERS                             AGE
                app-tier   pods tier=app in namespaces tiers   5m
                web-tier   pods tier=web                       5m
                """);
        assertThat(server.calls().getLast()).isEqualTo("GET /apis/drover.io/v1/securitygroups");
        server.seed("{apiVersion: drover.io/v1, kind: FirewallSettings, metadata: {name: default}, spec: {defaultAction: Drop}}");
        assertThat(drover("get", "firewallsettings").out()).isEqualTo("""
                NAME      DEFAULT-ACTION   LOGGING   AGE
                default   Drop             false     5m
                """);
    }

    @Test
    void describeShowsAGroupsMembersNowAndAPolicysRules() {
        applyExample();
        Result group = drover("describe", "sg", "web-tier");
        assertThat(group.exitCode()).as(group.err()).isZero();
        assertThat(group.out()).contains("Members:           pods tier=web\n")
                .contains("Pods Now:          tiers/web-1\n                   tiers/web-2\n");

        Result policy = drover("describe", "fwp", "web-to-app");
        assertThat(policy.exitCode()).as(policy.err()).isZero();
        assertThat(policy.out()).endsWith("""
                Tier:              application (order: emergency, security, application, NetworkPolicy, baseline, default action)
                Priority:          100 (lower first within the tier)
                Applied To:        group web-tier, group app-tier
                Rules:
                  #   NAME                  ACTION   DIRECTION   FROM             TO               SERVICES   LOG
                  1   http                  Allow    InOut       group web-tier   group app-tier   8080/TCP   no
                  2   nothing-else-to-app   Reject   InOut       <any>            group app-tier   <any>      no
                Counter IDs:       http: fw-dff294f33e72
                                   nothing-else-to-app: fw-a780be63d440
                """);
    }

    @Test
    void explainListsTheTierRulesThatSelectThePair() {
        applyExample();
        Result blocked = drover("policy", "explain", "--from", "tiers/web-1", "--to", "tiers/web-2", "--port", "80/TCP");
        assertThat(blocked.exitCode()).as(blocked.err()).isEqualTo(3);
        assertThat(blocked.out()).isEqualTo("""
                tiers/web-1 -> tiers/web-2 80/TCP: blocked by egress and ingress
                  egress of tiers/web-1: dropped by firewall rule isolate-web/web-to-web (tier security, priority 10)
                    decides: isolate-web/web-to-web Drop (tier security, priority 10; from group web-tier; to group web-tier; any service; logged)
                  ingress of tiers/web-2: dropped by firewall rule isolate-web/web-to-web (tier security, priority 10)
                    decides: isolate-web/web-to-web Drop (tier security, priority 10; from group web-tier; to group web-tier; any service; logged)
                """);

        Result allowed = drover("policy", "explain", "--from", "tiers/web-1", "--to", "tiers/app-1", "--port", "8080");
        assertThat(allowed.exitCode()).as(allowed.out()).isZero();
        assertThat(allowed.out()).contains("egress of tiers/web-1: allowed by firewall rule web-to-app/http");

        Result refused = drover("policy", "explain", "--from", "tiers/web-1", "--to", "tiers/app-1", "--port", "icmp");
        assertThat(refused.exitCode()).isEqualTo(3);
        // Applied to the web tier too, and its sources are any: the client's own end refuses it first.
        assertThat(refused.out()).startsWith("tiers/web-1 -> tiers/app-1 ICMP: blocked by egress and ingress (rejected")
                .contains("decides: web-to-app/nothing-else-to-app Reject");
    }

    @Test
    void theDefaultActionComesFromTheSettings() {
        applyExample();
        server.seed("{apiVersion: drover.io/v1, kind: FirewallSettings, metadata: {name: default}, spec: {defaultAction: Drop}}");
        Result result = drover("policy", "explain", "--from", "tiers/app-1", "--to", "10.99.0.1", "--port", "443");
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.out()).contains("egress of tiers/app-1: no tier rule before NetworkPolicy decides; not isolated "
                + "(no egress policy selects it); default action Drop");
    }
}
