package io.drover.policy;

import io.drover.model.net.IpAddresses;
import java.net.InetAddress;
import java.util.Objects;

/** One end of a connection: a pod of the snapshot, or an address that may or may not be a pod's. */
public sealed interface Endpoint {

    /** A pod, by name. */
    record PodEndpoint(NamespacedName pod) implements Endpoint {
        public PodEndpoint {
            Objects.requireNonNull(pod, "pod");
        }

        @Override
        public String toString() {
            return pod.toString();
        }
    }

    /** An address; when it is a pod's, the connection is that pod's (see {@link PolicySnapshot#evaluate}). */
    record AddressEndpoint(InetAddress address) implements Endpoint {
        public AddressEndpoint {
            Objects.requireNonNull(address, "address");
        }

        @Override
        public String toString() {
            return IpAddresses.format(address);
        }
    }

    static Endpoint pod(String namespace, String name) {
        return new PodEndpoint(new NamespacedName(namespace, name));
    }

    static Endpoint pod(NamespacedName pod) {
        return new PodEndpoint(pod);
    }

    static Endpoint address(String ip) {
        return new AddressEndpoint(IpAddresses.parse(ip));
    }

    /** Reads {@code namespace/name} as a pod and anything else as an IP address, as the CLI takes them. */
    static Endpoint parse(String text) {
        return text != null && text.contains("/") ? pod(NamespacedName.parse(text)) : address(text);
    }
}
