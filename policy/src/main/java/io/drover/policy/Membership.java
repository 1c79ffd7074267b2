package io.drover.policy;

import io.drover.model.net.Cidr;
import io.drover.model.net.IpFamily;
import io.drover.policy.Party.PodParty;
import io.drover.policy.cidr.CidrMath;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who belongs to a group, a rule's sources or destinations, or a policy's applied-to scope: everyone, or pods chosen by
 * name (selectors resolved against the snapshot) and address blocks (excepts already taken out).
 *
 * @param everything whether every pod and address belongs (an empty source list, an omitted applied-to)
 * @param pods       pods that belong with all their addresses
 * @param blocks     non-overlapping prefixes whose addresses belong, pods' addresses included
 */
record Membership(boolean everything, Set<NamespacedName> pods, List<Cidr> blocks) {

    static final Membership EVERYTHING = new Membership(true, Set.of(), List.of());
    static final Membership NOTHING = new Membership(false, Set.of(), List.of());

    Membership {
        pods = Set.copyOf(pods);
        blocks = List.copyOf(blocks);
    }

    static Membership union(Collection<Membership> parts) {
        if (parts.stream().anyMatch(Membership::everything)) {
            return EVERYTHING;
        }
        Set<NamespacedName> pods = new TreeSet<>();
        List<Cidr> blocks = new ArrayList<>();
        for (Membership part : parts) {
            pods.addAll(part.pods);
            blocks.addAll(part.blocks);
        }
        return new Membership(false, pods, CidrMath.normalize(blocks));
    }

    /** Whether the party belongs: it is everyone, a member pod, or one of its addresses is in a block. */
    boolean contains(Party party) {
        if (everything || party instanceof PodParty pod && pods.contains(pod.key())) {
            return true;
        }
        return party.addresses().stream().anyMatch(this::inBlocks);
    }

    /** Which of a pod's own addresses belong. */
    Local local(PodParty pod) {
        if (everything || pods.contains(pod.key())) {
            return Local.ALL;
        }
        Set<InetAddress> some = new LinkedHashSet<>();
        pod.addresses().stream().filter(this::inBlocks).forEach(some::add);
        return new Local(false, some);
    }

    /** Every address that belongs, as non-overlapping prefixes: members' addresses and the blocks. */
    List<Cidr> cidrs(Collection<PodParty> allPods) {
        if (everything) {
            return List.of(CidrMath.everything(IpFamily.IPV4), CidrMath.everything(IpFamily.IPV6));
        }
        List<Cidr> cidrs = new ArrayList<>(blocks);
        for (PodParty pod : allPods) {
            if (pods.contains(pod.key())) {
                pod.addresses().forEach(a -> cidrs.add(CidrMath.host(a)));
            }
        }
        return CidrMath.normalize(cidrs);
    }

    private boolean inBlocks(InetAddress address) {
        return blocks.stream().anyMatch(b -> b.contains(address));
    }

    /**
     * Which of a pod's own addresses a membership holds: all of them (the pod was chosen by name), or some (those in
     * blocks), possibly none.
     */
    record Local(boolean all, Set<InetAddress> some) {

        static final Local ALL = new Local(true, Set.of());

        Local {
            some = Set.copyOf(some);
        }

        boolean any() {
            return all || !some.isEmpty();
        }

        Local and(Local other) {
            if (all) {
                return other;
            }
            if (other.all) {
                return this;
            }
            Set<InetAddress> both = new LinkedHashSet<>(some);
            both.retainAll(other.some);
            return new Local(false, both);
        }

        /** The pod's addresses this stands for, as host prefixes. */
        List<Cidr> cidrs(PodParty pod) {
            return CidrMath.normalize((all ? pod.addresses() : List.copyOf(some)).stream().map(CidrMath::host).toList());
        }
    }
}
