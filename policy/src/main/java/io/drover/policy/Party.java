package io.drover.policy;

import io.drover.model.net.IpAddresses;
import io.drover.model.pod.Pod;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;

/** An endpoint resolved against the snapshot: a pod with what selectors look at, or an address outside any pod. */
sealed interface Party {

    /** The addresses the connection may use; an ipBlock peer looks at these. */
    List<InetAddress> addresses();

    /** How explanations name it. */
    String display();

    /**
     * @param addresses       the pod's addresses; only the one named when the endpoint was given by address
     * @param namedByAddress  whether the endpoint was given as an address, which explanations then show
     */
    record PodParty(NamespacedName key, Pod pod, Map<String, String> namespaceLabels, List<InetAddress> addresses,
            boolean namedByAddress) implements Party {

        public PodParty {
            namespaceLabels = Map.copyOf(namespaceLabels);
            addresses = List.copyOf(addresses);
        }

        Map<String, String> labels() {
            return pod.metadata().labels();
        }

        @Override
        public String display() {
            return namedByAddress ? key + " (" + IpAddresses.format(addresses.getFirst()) + ")" : key.toString();
        }
    }

    record OutsideParty(InetAddress address) implements Party {

        @Override
        public List<InetAddress> addresses() {
            return List.of(address);
        }

        @Override
        public String display() {
            return IpAddresses.format(address);
        }
    }
}
