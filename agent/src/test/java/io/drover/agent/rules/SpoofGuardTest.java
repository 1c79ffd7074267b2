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

    @Test
    void anAddressChangeOfAPortAddsOnlyTheNewAddressNotItsMacAgain() {
        SpoofGuard.GuardedPort movedB = new SpoofGuard.GuardedPort("dvb", "0a:11:22:33:44:66",
                List.of(IpAddresses.parse("10.77.0.3"), IpAddresses.parse("10.77.0.9")), "t/b");
        SpoofGuard before = new SpoofGuard(List.of(A, B));
        SpoofGuard after = new SpoofGuard(List.of(A, movedB));

        assertThat(after.updateChanges(before)).extracting(c -> c.nftLine())
                .singleElement().asString().contains("guard_sources4", "10.77.0.9");
    }

    /** The port-wise shortcut must add exactly what comparing every element of both tables adds. */
    @Test
    void addedElementsAreThoseTheWholeTablesDifferBy() {
        java.util.Random random = new java.util.Random(7);
        SpoofGuard applied = SpoofGuard.NONE;
        for (int step = 0; step < 200; step++) {
            List<SpoofGuard.GuardedPort> ports = new java.util.ArrayList<>();
            for (int p = 0; p < 6; p++) {
                if (random.nextInt(3) > 0) {
                    List<java.net.InetAddress> addresses = new java.util.ArrayList<>();
                    for (int a = 0; a < 3; a++) {
                        if (random.nextBoolean()) {
                            addresses.add(IpAddresses.parse(a == 2 ? "fd00::" + p : "10.0." + a + "." + p));
                        }
                    }
                    String mac = "0a:00:00:00:0" + random.nextInt(2) + ":0" + p;
                    ports.add(new SpoofGuard.GuardedPort("dv" + p, mac, addresses, "t/" + p));
                }
            }
            SpoofGuard now = new SpoofGuard(ports);
            SpoofGuard before = applied;
            List<String> expected = new java.util.ArrayList<>();
            now.elements().sets().forEach((set, members) -> members.stream()
                    .filter(e -> !before.elements().of(set).contains(e))
                    .forEach(e -> expected.add("add " + set + " " + e.key())));
            assertThat(now.updateChanges(before)).extracting(c -> (c.add() ? "add " : "delete ") + c.set() + " " + c.key())
                    .as("step %d", step).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(now.updateScript(before).isEmpty()).isEqualTo(expected.isEmpty());
            applied = now;
        }
    }
}
