package io.drover.lab.conformance;

import io.drover.policy.NamespacedName;
import java.util.Objects;

/** One cell of a reachability matrix: a client pod and a server pod. */
public record PodPair(NamespacedName client, NamespacedName server) {

    public PodPair {
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(server, "server");
    }

    @Override
    public String toString() {
        return client + " -> " + server;
    }
}
