package io.drover.model.validation;

import io.drover.model.net.Cidr;
import io.drover.model.network.Network;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether a network's subnets overlap another network's: two networks with overlapping addresses would hand
 * out the same IP twice and route it to two places. The registry runs this against every stored network.
 */
public final class NetworkOverlap {

    /**
     * @param network         the name of the other network
     * @param existingSubnet  its subnet that overlaps
     * @param candidateSubnet the candidate's subnet that overlaps it
     * @param candidateIndex  the index of that subnet in the candidate's {@code spec.subnets}
     */
    public record Overlap(String network, Cidr existingSubnet, Cidr candidateSubnet, int candidateIndex) {

        /** The candidate's field, e.g. {@code spec.subnets[0]}. */
        public String field() {
            return "spec.subnets[" + candidateIndex + "]";
        }

        /** E.g. "10.10.0.0/16 overlaps 10.10.128.0/17 of network red; choose a range no other network uses". */
        public String message() {
            return candidateSubnet + " overlaps " + existingSubnet + " of network " + network
                    + "; choose a range no other network uses";
        }
    }

    private NetworkOverlap() {}

    /**
     * The first overlap of the candidate's subnets with those of another network, in the order given. A network
     * of the same name is the one being replaced and is skipped; unreadable subnets are skipped too
     * ({@link Validators} reports them).
     */
    public static Optional<Overlap> find(Network candidate, Collection<Network> existing) {
        Objects.requireNonNull(candidate, "candidate");
        List<String> subnets = candidate.spec() == null ? List.of() : candidate.spec().subnets();
        for (int i = 0; i < subnets.size(); i++) {
            Optional<Cidr> mine = parse(subnets.get(i));
            if (mine.isEmpty()) {
                continue;
            }
            for (Network other : existing) {
                if (other.spec() == null || Objects.equals(other.name(), candidate.name())) {
                    continue;
                }
                for (String theirs : other.spec().subnets()) {
                    Optional<Cidr> cidr = parse(theirs);
                    if (cidr.isPresent() && cidr.get().overlaps(mine.get())) {
                        return Optional.of(new Overlap(other.name(), cidr.get(), mine.get(), i));
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<Cidr> parse(String text) {
        try {
            return Optional.of(Cidr.parse(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
