package io.drover.controllers.ipam;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.controllers.ipam.AllocationPlanner.Plan;
import io.drover.controllers.ipam.IpamRequest.Allocate;
import io.drover.controllers.ipam.IpamRequest.Outcome;
import io.drover.controllers.ipam.IpamRequest.Release;
import io.drover.model.meta.ObjectMeta;
import io.drover.model.net.Cidr;
import io.drover.model.network.Network;
import io.drover.model.network.NetworkSpec;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AllocationPlannerTest {

    private static NetworkLayout layout(String... subnets) {
        return NetworkLayout.of(Network.of(ObjectMeta.named("blue"), NetworkSpec.of(subnets)));
    }

    private static NetworkLayout layout(NetworkSpec spec) {
        return NetworkLayout.of(Network.of(ObjectMeta.named("blue"), spec));
    }

    private static Allocate alloc(String uid) {
        return new Allocate(HandleId.forPod(uid, "eth0"));
    }

    private static AllocationPlanner planner(String node, NetworkLayout layout, Collection<CachedBlock> view) {
        return new AllocationPlanner("blue", node, layout, null, view, key -> true);
    }

    /** The blocks a plan writes, as a view at revision 1, as the store would then hold them. */
    private static List<CachedBlock> applied(Collection<CachedBlock> before, Plan plan) {
        Map<String, CachedBlock> out = new java.util.TreeMap<>();
        before.forEach(b -> out.put(b.key(), b));
        plan.blockWrites().forEach((k, b) -> out.put(k, CachedBlock.of(k, b, 1)));
        return new ArrayList<>(out.values());
    }

    private static String ip(Outcome o) {
        return ((Outcome.Allocated) o).addresses().getFirst().ip();
    }

    @Test
    void claimsTheFirstBlockAndAllocatesFromItInOneWrite() {
        NetworkLayout l = layout("10.10.0.0/24");
        Plan plan = planner("n1", l, List.of()).plan(List.of(alloc("a"), alloc("b")), Map.of());
        assertThat(plan.outcomes()).map(AllocationPlannerTest::ip).containsExactly("10.10.0.2", "10.10.0.3");
        assertThat(plan.blockWrites()).containsOnlyKeys("/drover/ipam/blocks/blue/10.10.0.0-26");
        assertThat(plan.blockRevisions()).containsEntry("/drover/ipam/blocks/blue/10.10.0.0-26", 0L);
        assertThat(plan.handlePuts()).containsOnlyKeys("/drover/ipam/handles/blue/pod:a:eth0", "/drover/ipam/handles/blue/pod:b:eth0");
        assertThat(plan.claims()).containsExactly("/drover/ipam/blocks/blue/10.10.0.0-26");
        Outcome.Allocated a = (Outcome.Allocated) plan.outcomes().getFirst();
        assertThat(a.addresses().getFirst()).isEqualTo(new AllocatedAddress("blue", "10.10.0.2", 24, "10.10.0.1"));
    }

    @Test
    void usesItsOwnBlocksThenClaimsThenBorrows() {
        NetworkLayout l = layout("10.10.0.0/25"); // two /26 blocks
        List<CachedBlock> view = List.of();
        // n1 fills its block (62 usable: .0 network and .1 gateway are reserved) and claims the second.
        List<IpamRequest> many = new ArrayList<>();
        for (int i = 0; i < 62; i++) {
            many.add(alloc("p" + i));
        }
        Plan first = planner("n1", l, view).plan(many, Map.of());
        assertThat(first.blockWrites()).hasSize(1);
        view = applied(view, first);
        Plan second = planner("n2", l, view).plan(List.of(alloc("q0")), Map.of());
        assertThat(ip(second.outcomes().getFirst())).isEqualTo("10.10.0.64");
        assertThat(second.blockWrites().values()).singleElement().extracting(AllocationBlock::affinity).isEqualTo("n2");
        view = applied(view, second);
        // n1's block is full and no block is unclaimed: n1 borrows from n2's block.
        Plan third = planner("n1", l, view).plan(List.of(alloc("r0")), Map.of());
        assertThat(ip(third.outcomes().getFirst())).isEqualTo("10.10.0.65");
        assertThat(third.blockRevisions()).containsEntry("/drover/ipam/blocks/blue/10.10.0.64-26", 1L);
        assertThat(third.blockWrites().values()).singleElement().extracting(AllocationBlock::affinity).isEqualTo("n2");
    }

    @Test
    void anExhaustedFamilyFailsTheWholeRequestAndWritesNothingForIt() {
        // IPv4 has room, IPv6 has exactly one usable address.
        NetworkLayout l = layout("10.10.0.0/24", "fd00::/126");
        Plan first = planner("n1", l, List.of()).plan(List.of(alloc("a"), alloc("b")), Map.of());
        assertThat(first.outcomes().get(0)).isInstanceOf(Outcome.Allocated.class);
        assertThat(((Outcome.Allocated) first.outcomes().get(0)).addresses()).extracting(AllocatedAddress::ip)
                .containsExactly("10.10.0.2", "fd00::2");
        Outcome failed = first.outcomes().get(1);
        assertThat(failed).isInstanceOf(Outcome.Failed.class);
        assertThat(((Outcome.Failed) failed).error().getMessage())
                .isEqualTo("network blue (fd00::/126) has no free IPv6 address: 1 of 1 in use; widen the subnet or delete pods");
        assertThat(first.exhausted()).isTrue();
        // b's IPv4 address was given back inside the plan: the next one still gets .3.
        assertThat(first.handlePuts()).hasSize(1);
        AllocationBlock v4 = first.blockWrites().get("/drover/ipam/blocks/blue/10.10.0.0-26");
        assertThat(v4.allocations()).containsOnlyKeys(2);
        assertThat(v4.nextFree()).hasValue(3);
    }

    @Test
    void anExhaustedNetworkWritesNothingAtAll() {
        NetworkLayout l = layout("10.9.0.0/30"); // one usable address
        Plan first = planner("n1", l, List.of()).plan(List.of(alloc("a")), Map.of());
        List<CachedBlock> view = applied(List.of(), first);
        Plan second = planner("n2", l, view).plan(List.of(alloc("b")), Map.of());
        assertThat(second.writesNothing()).isTrue();
        assertThat(((Outcome.Failed) second.outcomes().getFirst()).error().getMessage())
                .isEqualTo("network blue (10.9.0.0/30) has no free IPv4 address: 1 of 1 in use; widen the subnet or delete pods");
    }

    @Test
    void aHandleThatExistsIsAnsweredFromTheStoreWithoutWriting() {
        NetworkLayout l = layout("10.10.0.0/24");
        HandleRecord known = new HandleRecord("pod:a:eth0", HandleId.OwnerType.POD, "a", "eth0", "blue", "n1",
                List.of(new HandleRecord.Address("10.10.0.9", 24, "10.10.0.1", "k")));
        Plan plan = planner("n1", l, List.of()).plan(List.of(alloc("a")), Map.of("pod:a:eth0", known));
        assertThat(plan.writesNothing()).isTrue();
        assertThat(ip(plan.outcomes().getFirst())).isEqualTo("10.10.0.9");
    }

    @Test
    void releaseFreesTheHandlesOrdinalsAndDeletesTheHandle() {
        NetworkLayout l = layout("10.10.0.0/24", "fd00:1::/64");
        Plan first = planner("n1", l, List.of()).plan(List.of(alloc("a"), alloc("b")), Map.of());
        List<CachedBlock> view = applied(List.of(), first);
        HandleRecord a = first.handlePuts().get("/drover/ipam/handles/blue/pod:a:eth0");
        Plan release = planner("n1", l, view).plan(List.of(new Release(a, 7)), Map.of());
        assertThat(release.handleDeletes()).containsExactly(Map.entry("/drover/ipam/handles/blue/pod:a:eth0", 7L));
        assertThat(release.blockWrites()).hasSize(2);
        assertThat(release.blockWrites().values()).allSatisfy(b -> assertThat(b.holds("pod:a:eth0")).isFalse())
                .allSatisfy(b -> assertThat(b.holds("pod:b:eth0")).isTrue());
        assertThat(release.outcomes()).containsExactly(new Outcome.Released(true));
    }

    @Test
    void skipsBlocksAnotherPlannerIsClaimingAndBlocksOfAnOlderLayout() {
        NetworkLayout l = layout("10.10.0.0/24");
        // A /25 left from when the network had another block size covers blocks 0 and 1.
        BlockLayout old = BlockLayout.of(Cidr.parse("10.10.0.0/24"), 25, Cidr.parse("10.10.0.0/24").firstHost());
        AllocationBlock legacy = old.newBlock("blue", old.block(BigInteger.ZERO), "n9").allocate("pod:old:eth0");
        List<CachedBlock> view = List.of(CachedBlock.of("/drover/ipam/blocks/blue/10.10.0.0-25", legacy, 3));
        Set<String> refused = new HashSet<>(Set.of("/drover/ipam/blocks/blue/10.10.0.128-26"));
        AllocationPlanner p = new AllocationPlanner("blue", "n1", l, null, view, k -> !refused.contains(k));
        Plan plan = p.plan(List.of(alloc("a")), Map.of());
        assertThat(ip(plan.outcomes().getFirst())).isEqualTo("10.10.0.192");
        assertThat(plan.claims()).containsExactly("/drover/ipam/blocks/blue/10.10.0.192-26");
    }

    @Test
    void aNetworkThatCannotBeServedFailsAllocationsButNotReleases() {
        IpamException missing = new IpamException(IpamException.Reason.NETWORK_NOT_FOUND, "network blue does not exist");
        HandleRecord a = new HandleRecord("pod:a:eth0", HandleId.OwnerType.POD, "a", "eth0", "blue", "n1", List.of());
        Plan plan = new AllocationPlanner("blue", "n1", null, missing, List.of(), k -> true)
                .plan(List.of(alloc("b"), new Release(a, 4)), Map.of());
        assertThat(plan.outcomes()).containsExactly(new Outcome.Failed(missing), new Outcome.Released(true));
        assertThat(plan.handleDeletes()).containsOnlyKeys("/drover/ipam/handles/blue/pod:a:eth0");
    }

    @Test
    void aBlockFromBeforeTheGatewayMovedNeverHandsOutTheNewGateway() {
        // The network was recreated with its gateway at .5; its old block still offers .5.
        BlockLayout before = BlockLayout.of(Cidr.parse("10.10.0.0/24"), 26, Cidr.parse("10.10.0.0/24").firstHost());
        AllocationBlock old = before.newBlock("blue", before.block(BigInteger.ZERO), "n1")
                .allocate("pod:a:eth0").allocate("pod:b:eth0").allocate("pod:c:eth0"); // .2 .3 .4
        List<CachedBlock> view = List.of(CachedBlock.of("/drover/ipam/blocks/blue/10.10.0.0-26", old, 9));
        NetworkLayout now = layout(new NetworkSpec(List.of("10.10.0.0/24"), List.of("10.10.0.5"), null, null, null, null));
        Plan plan = planner("n1", now, view).plan(List.of(alloc("d")), Map.of());
        assertThat(ip(plan.outcomes().getFirst())).isEqualTo("10.10.0.6");
        AllocationBlock written = plan.blockWrites().get("/drover/ipam/blocks/blue/10.10.0.0-26");
        assertThat(written.reserved()).containsExactly(0, 1, 5);
        assertThat(written.unallocated()).doesNotContain(5);
    }

    @Test
    void explicitBlockSizesAreHonoured() {
        NetworkLayout l = layout(new NetworkSpec(List.of("10.0.0.0/16", "fd00::/64"), null, 28, 124, null, null));
        Plan plan = planner("n1", l, List.of()).plan(List.of(alloc("a")), Map.of());
        assertThat(plan.blockWrites()).containsOnlyKeys("/drover/ipam/blocks/blue/10.0.0.0-28", "/drover/ipam/blocks/blue/fd00::-124");
    }
}
