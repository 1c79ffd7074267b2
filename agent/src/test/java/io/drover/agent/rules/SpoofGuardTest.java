package io.drover.agent.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.agent.desired.InterfaceNames;
import io.drover.model.net.IpAddresses;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpoofGuardTest {

    private static final SpoofGuard.GuardedPort A = new SpoofGuard.GuardedPort("dva", "0a:11:22:33:44:55",
            List.of(IpAddresses.parse("10.77.0.2")), "t/a");
    private static final SpoofGuard.GuardedPort B = new SpoofGuard.GuardedPort("dvb", "0a:11:22:33:44:66",
            List.of(IpAddresses.parse("10.77.0.3")), "t/b");

    @Test
    void aPodsMacIsFixedByItsIdentityAloneLocallyAdministeredAndUnicast() {
        String mac = InterfaceNames.podMac("uid-1", "eth0");
        assertThat(mac).matches("0a(:[0-9a-f]{2}){5}").isEqualTo(InterfaceNames.podMac("uid-1", "eth0"));
        assertThat(InterfaceNames.podMac("uid-1", "eth1")).isNotEqualTo(mac);
        assertThat(InterfaceNames.podMac("uid-2", "eth0")).isNotEqualTo(mac);
    }

    @Test
    void aNewPodIsAddedAtOnceAndAGoneOneIsLeftForTheResync() {
        SpoofGuard one = new SpoofGuard(List.of(A));
        SpoofGuard two = new SpoofGuard(List.of(A, B));

        assertThat(two.updateScript(one)).contains("add element bridge drover guard_sources4 { \"dvb\" . 0a:11:22:33:44:66 . 10.77.0.3")
                .doesNotContain("\"dva\"", "delete");
        // Deleting elements waits for an RCU grace period: a removed pod's elements do not hold up its removal.
        assertThat(one.updateScript(two)).isEmpty();
    }

    @Test
    void theResyncRemovesWhatIsStale() {
        SpoofGuard one = new SpoofGuard(List.of(A));
        SpoofGuard two = new SpoofGuard(List.of(A, B));
        ProgrammedTable kernel = new ProgrammedTable(true, SpoofGuard.RULESET, java.util.Map.of(), java.util.Map.of(),
                java.util.Map.of(), two.elements());

        // The shape differs from this fake listing's (no sets or chains), so the table is written whole: stale gone.
        assertThat(one.syncScript(kernel)).contains("delete table bridge drover").doesNotContain("\"dvb\"");
    }
}
