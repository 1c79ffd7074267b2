package io.drover.agent.reconcile;

import io.drover.agent.desired.DesiredInterface;
import io.drover.agent.kernel.Link;
import io.drover.agent.kernel.NetNs;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The pod namespaces a sync found exactly as wanted, so that the next sync need not read them again. Reading a pod
 * namespace costs a namespace switch and three netlink dumps; reading all of them on every sync made each sync
 * cost time proportional to the pods of the node, so one new pod waited for every other pod to be read (about
 * 80 ms at 200 pods). Now a sync reads the node namespace (one dump, always) and only the pod namespaces whose wanted
 * interfaces changed or whose node ends are no longer the ones seen when they were verified.
 *
 * <p>What this cannot see, a change made by hand inside a verified pod's namespace (an address removed with
 * {@code ip netns exec}), is repaired by the periodic resync, which {@link #forget forgets} everything and reads the
 * whole node again, as kube-proxy's periodic full sync does.
 */
final class VerifiedNamespaces {

    /**
     * @param interfaces what was wanted in the namespace when it was found right
     * @param owned      whether the agent owns the namespace (then its loopback was wanted up as well)
     * @param hostEnds   the interface index of each interface's node end then: a namespace that was deleted and made
     *                   again loses its veth pairs, so new indexes (or none) tell that the view is stale
     * @param view       the namespace as read then
     */
    private record Verified(List<DesiredInterface> interfaces, boolean owned, Map<String, Integer> hostEnds,
            NamespaceView view) {}

    private final Map<NetNs, Verified> verified = new HashMap<>();

    /**
     * The view read when the namespace was last verified, if it may be used instead of reading the kernel: the same
     * interfaces are wanted and every node end is still the link that was seen then.
     */
    NamespaceView reusable(NetNs netns, List<DesiredInterface> interfaces, boolean owned, Map<String, Link> nodeLinks) {
        Verified v = verified.get(netns);
        if (v == null || v.owned() != owned || !same(v.interfaces(), interfaces)) {
            return null;
        }
        for (Map.Entry<String, Integer> end : v.hostEnds().entrySet()) {
            Link now = nodeLinks.get(end.getKey());
            if (now == null || now.index() != end.getValue()) {
                return null;
            }
        }
        return v.view();
    }

    /**
     * Equal lists, comparing by identity first: an unchanged pod's interfaces are the very objects of the last sync
     * (the agent's calculation reuses them), and comparing every field of every interface on every sync added up.
     */
    private static boolean same(List<DesiredInterface> a, List<DesiredInterface> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i) != b.get(i) && !a.get(i).equals(b.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** Records a namespace the sync found right and did not change. */
    void verified(NetNs netns, List<DesiredInterface> interfaces, boolean owned, Map<String, Link> nodeLinks,
            NamespaceView view) {
        Map<String, Integer> hostEnds = new HashMap<>();
        for (DesiredInterface i : interfaces) {
            Link end = nodeLinks.get(i.hostName());
            if (end == null) {
                verified.remove(netns);
                return;
            }
            hostEnds.put(i.hostName(), end.index());
        }
        verified.put(netns, new Verified(List.copyOf(interfaces), owned, Map.copyOf(hostEnds), view));
    }

    /** A namespace that was changed, failed, or is no longer wanted: read it next time. */
    void unverified(NetNs netns) {
        verified.remove(netns);
    }

    /** Keeps only the namespaces still wanted, so that the memory follows the node's pods. */
    void retainOnly(Set<NetNs> wanted) {
        verified.keySet().retainAll(wanted);
    }

    void forget() {
        verified.clear();
    }

    int size() {
        return verified.size();
    }
}
