package io.drover.policy;

import io.drover.model.net.Cidr;
import io.drover.model.policy.IpBlock;
import io.drover.model.policy.NetworkPolicyPeer;
import io.drover.policy.Party.PodParty;
import io.drover.policy.cidr.CidrMath;
import java.net.InetAddress;
import java.util.List;

/**
 * Which parties a peer of a rule stands for: pods chosen by labels (podSelector alone: in the policy's namespace;
 * namespaceSelector alone: every pod of the matching namespaces; both: the matching pods of the matching
 * namespaces) or addresses (ipBlock, which applies to pods' addresses as to any other).
 */
final class Peers {

    private Peers() {}

    static boolean matches(NetworkPolicyPeer peer, String policyNamespace, Party party) {
        if (peer.ipBlock() != null) {
            return party.addresses().stream().anyMatch(address -> inBlock(peer.ipBlock(), address));
        }
        return party instanceof PodParty pod && selectsPod(peer, policyNamespace, pod);
    }

    /** The addresses of a pod the peer lets through: all of them when it selects the pod, else those in its block. */
    static List<InetAddress> matchingAddresses(NetworkPolicyPeer peer, String policyNamespace, PodParty pod) {
        if (peer.ipBlock() != null) {
            return pod.addresses().stream().filter(address -> inBlock(peer.ipBlock(), address)).toList();
        }
        return selectsPod(peer, policyNamespace, pod) ? pod.addresses() : List.of();
    }

    /** The addresses of an ipBlock as non-overlapping prefixes: the block less its excepts. */
    static List<Cidr> blockCidrs(IpBlock block) {
        return CidrMath.subtract(Cidr.parse(block.cidr()), block.except().stream().map(Cidr::parse).toList());
    }

    static boolean isBlock(NetworkPolicyPeer peer) {
        return peer.ipBlock() != null;
    }

    private static boolean selectsPod(NetworkPolicyPeer peer, String policyNamespace, PodParty pod) {
        // Validation refuses a peer with neither selector nor block; were one stored, it would select nothing
        // rather than everything, since a peer only ever widens what a rule allows.
        if (peer.podSelector() == null && peer.namespaceSelector() == null) {
            return false;
        }
        boolean namespaceMatches = peer.namespaceSelector() == null
                ? pod.key().namespace().equals(policyNamespace)
                : peer.namespaceSelector().matches(pod.namespaceLabels());
        return namespaceMatches && (peer.podSelector() == null || peer.podSelector().matches(pod.labels()));
    }

    private static boolean inBlock(IpBlock block, InetAddress address) {
        return Cidr.parse(block.cidr()).contains(address)
                && block.except().stream().map(Cidr::parse).noneMatch(except -> except.contains(address));
    }
}
