package io.drover.controllers.ipam;

import io.drover.controllers.ipam.IpamRequest.Allocate;
import io.drover.controllers.ipam.IpamRequest.Outcome;
import io.drover.controllers.ipam.IpamRequest.Release;
import io.drover.model.net.Cidr;
import io.drover.model.net.IpAddresses;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Decides, without touching the store, what a batch of requests of one node in one network writes: which
 * blocks change (and the revision each must still have), which handles appear and disappear, and what each
 * request gets. The caller turns the plan into one transaction; if any compare fails, nothing was written and
 * it plans again from fresher blocks.
 *
 * <p>Where an address comes from, in order: a block affine to the node; a block nobody has claimed yet (the
 * node claims it, in the same transaction); a block of another node (borrowing). Only when all three fail is
 * the family exhausted.
 */
final class AllocationPlanner {

    /** Which address a handle got from which block, so it can be undone. */
    private record Taken(String key, int ordinal) {}

    /**
     * The writes of one batch.
     *
     * @param blockWrites    block key -> the block as it must be stored
     * @param blockRevisions block key -> the mod revision it must still have (0: it must not exist)
     * @param handlePuts     handle key -> new handle record (the key must not exist)
     * @param handleDeletes  handle key -> the mod revision it must still have
     * @param outcomes       per request, in order
     * @param exhausted      whether some request found no free address (worth a fresh look before believing it)
     * @param claims         blocks this plan reserved in the cache for claiming; to be given back afterwards
     */
    record Plan(
            Map<String, AllocationBlock> blockWrites,
            Map<String, Long> blockRevisions,
            Map<String, HandleRecord> handlePuts,
            Map<String, Long> handleDeletes,
            List<Outcome> outcomes,
            boolean exhausted,
            List<String> claims) {

        boolean writesNothing() {
            return blockWrites.isEmpty() && handlePuts.isEmpty() && handleDeletes.isEmpty();
        }
    }

    /**
     * The blocks of one layout, as the plan goes. Only the node's own blocks are needed for most batches; the
     * rest (for claiming and borrowing) is worked out the first time it is needed.
     */
    private final class LayoutState {
        final BlockLayout layout;
        final BigInteger subnetFirst;
        final BigInteger subnetLast;
        final int hostBits;
        final Set<BigInteger> reserved = new HashSet<>();
        final List<String> affine = new ArrayList<>();
        private List<String> others;
        private TreeSet<BigInteger> takenIndexes;
        /** Blocks of the same family that are not of this layout (left from an older block size or subnet). */
        private List<Cidr> foreign;

        LayoutState(BlockLayout layout) {
            this.layout = layout;
            this.subnetFirst = layout.subnet().first();
            this.subnetLast = layout.subnet().last();
            this.hostBits = layout.family().bits() - layout.blockPrefix();
            layout.reservedAddresses().forEach(a -> reserved.add(IpAddresses.toBigInteger(a)));
            List<CachedBlock> mine = new ArrayList<>();
            for (CachedBlock b : view.values()) {
                if (node.equals(b.block().affinity()) && isBlock(b)) {
                    mine.add(b);
                }
            }
            mine.sort(Comparator.comparing(CachedBlock::first));
            mine.forEach(b -> affine.add(b.key()));
        }

        boolean isBlock(CachedBlock b) {
            return b.cidr().prefixLength() == layout.blockPrefix() && b.cidr().family() == layout.family()
                    && b.first().compareTo(subnetFirst) >= 0 && b.first().compareTo(subnetLast) <= 0;
        }

        List<String> others() {
            if (others == null) {
                List<CachedBlock> theirs = new ArrayList<>();
                for (CachedBlock b : view.values()) {
                    if (!node.equals(b.block().affinity()) && isBlock(b)) {
                        theirs.add(b);
                    }
                }
                theirs.sort(Comparator.comparing(CachedBlock::first));
                others = new ArrayList<>(theirs.stream().map(CachedBlock::key).toList());
            }
            return others;
        }

        TreeSet<BigInteger> takenIndexes() {
            if (takenIndexes == null) {
                takenIndexes = new TreeSet<>();
                foreign = new ArrayList<>();
                for (CachedBlock b : view.values()) {
                    if (isBlock(b)) {
                        takenIndexes.add(b.first().subtract(subnetFirst).shiftRight(hostBits));
                    } else if (b.cidr().family() == layout.family() && b.cidr().overlaps(layout.subnet())) {
                        foreign.add(b.cidr());
                    }
                }
            }
            return takenIndexes;
        }

        List<Cidr> foreign() {
            takenIndexes();
            return foreign;
        }
    }

    private final String network;
    private final String node;
    private final NetworkLayout layout;
    private final IpamException layoutError;
    private final Map<String, CachedBlock> view = new HashMap<>();
    private final Map<String, AllocationBlock> working = new HashMap<>();
    /** CIDRs of blocks claimed by this plan (those of the view are in the view). */
    private final Map<String, Cidr> claimedCidrs = new HashMap<>();
    private final List<String> claims = new ArrayList<>();
    private final Predicate<String> reserveClaim;
    private final List<LayoutState> states = new ArrayList<>();

    /**
     * @param layout       the network's layout, or null when it cannot be served ({@code layoutError} says why)
     * @param view         the network's blocks as last seen
     * @param reserveClaim asked before claiming a block; false means another planner of this process is about to
     */
    AllocationPlanner(String network, String node, NetworkLayout layout, IpamException layoutError,
                      Collection<CachedBlock> view, Predicate<String> reserveClaim) {
        this.network = network;
        this.node = node;
        this.layout = layout;
        this.layoutError = layoutError;
        this.reserveClaim = reserveClaim;
        for (CachedBlock b : view) {
            this.view.put(b.key(), b);
        }
        if (layout != null) {
            for (BlockLayout l : layout.layouts()) {
                states.add(new LayoutState(l));
            }
        }
    }

    /** Plans {@code requests}; {@code existing} holds the handles already known to be in the store. */
    Plan plan(List<IpamRequest> requests, Map<String, HandleRecord> existing) {
        Map<String, HandleRecord> handlePuts = new LinkedHashMap<>();
        Map<String, Long> handleDeletes = new LinkedHashMap<>();
        List<Outcome> outcomes = new ArrayList<>();
        boolean exhausted = false;
        for (IpamRequest request : requests) {
            switch (request) {
                case Allocate a -> {
                    HandleRecord known = existing.get(a.handleKey());
                    if (known != null) {
                        outcomes.add(new Outcome.Allocated(known.allocated()));
                    } else if (layout == null) {
                        outcomes.add(new Outcome.Failed(layoutError));
                    } else {
                        Outcome o = allocate(a.handle(), handlePuts);
                        exhausted |= o instanceof Outcome.Failed f && f.error().reason() == IpamException.Reason.EXHAUSTED;
                        outcomes.add(o);
                    }
                }
                case Release r -> {
                    for (HandleRecord.Address address : r.record().addresses()) {
                        AllocationBlock block = current(address.block());
                        if (block != null) {
                            working.put(address.block(), block.release(r.handleKey()));
                        }
                    }
                    handleDeletes.put(IpamKeys.handle(network, r.record().id()), r.modRevision());
                    outcomes.add(new Outcome.Released(true));
                }
            }
        }
        Map<String, AllocationBlock> blockWrites = new LinkedHashMap<>();
        Map<String, Long> blockRevisions = new LinkedHashMap<>();
        for (Map.Entry<String, AllocationBlock> e : working.entrySet()) {
            CachedBlock seen = view.get(e.getKey());
            if (seen == null) {
                if (e.getValue().allocatedCount() > 0) { // a claim that served nobody is not written
                    blockWrites.put(e.getKey(), e.getValue());
                    blockRevisions.put(e.getKey(), 0L);
                }
            } else if (!seen.block().equals(e.getValue())) {
                blockWrites.put(e.getKey(), e.getValue());
                blockRevisions.put(e.getKey(), seen.modRevision());
            }
        }
        return new Plan(blockWrites, blockRevisions, handlePuts, handleDeletes, outcomes, exhausted, List.copyOf(claims));
    }

    /** One address per family for {@code handle}, or none at all. */
    private Outcome allocate(HandleId handle, Map<String, HandleRecord> handlePuts) {
        String handleKey = handle.toString();
        List<Taken> taken = new ArrayList<>();
        List<HandleRecord.Address> addresses = new ArrayList<>();
        for (LayoutState state : states) {
            String key = pick(state);
            if (key == null) {
                for (Taken t : taken.reversed()) {
                    working.put(t.key(), working.get(t.key()).unallocate(t.ordinal()));
                }
                return new Outcome.Failed(exhausted(state));
            }
            AllocationBlock block = current(key);
            int ordinal = block.nextFree().orElseThrow();
            working.put(key, block.allocate(handleKey));
            taken.add(new Taken(key, ordinal));
            BlockLayout l = state.layout;
            String ip = IpAddresses.format(cidrOf(key).address(BigInteger.valueOf(ordinal)));
            addresses.add(new HandleRecord.Address(ip, l.subnet().prefixLength(), IpAddresses.format(l.gateway()), key));
        }
        HandleRecord record = new HandleRecord(handleKey, handle.ownerType(), handle.owner(), handle.interfaceName(), network, node, addresses);
        handlePuts.put(IpamKeys.handle(network, handle), record);
        return new Outcome.Allocated(record.allocated());
    }

    /** The block the next address of this layout comes from, claiming one if needed; null when none has room. */
    private String pick(LayoutState state) {
        for (String key : state.affine) {
            if (hasFree(state, key)) {
                return key;
            }
        }
        String claimed = claim(state);
        if (claimed != null) {
            return claimed;
        }
        for (String key : state.others()) {
            if (hasFree(state, key)) {
                return key;
            }
        }
        return null;
    }

    /** Claims the lowest unclaimed block of the layout that has a usable address, or returns null. */
    private String claim(LayoutState state) {
        BlockLayout l = state.layout;
        BigInteger count = l.blockCount();
        while (true) {
            BigInteger index = firstGap(state.takenIndexes());
            if (index.compareTo(count) >= 0) {
                return null;
            }
            state.takenIndexes().add(index);
            Cidr cidr = l.block(index);
            String key = IpamKeys.block(network, cidr.toString());
            if (view.containsKey(key) || working.containsKey(key)
                    || state.foreign().stream().anyMatch(f -> f.overlaps(cidr)) || !reserveClaim.test(key)) {
                continue;
            }
            claims.add(key);
            AllocationBlock block = l.newBlock(network, cidr, node);
            working.put(key, block);
            claimedCidrs.put(key, cidr);
            state.affine.add(key);
            if (hasFree(state, key)) {
                return key;
            }
        }
    }

    /**
     * Whether the block's next free address may be handed out. A block made before the network's reserved
     * addresses changed (deleted and recreated with another gateway) may offer one that is reserved now: it is
     * retired from the block, in the same write as the allocation.
     */
    private boolean hasFree(LayoutState state, String key) {
        AllocationBlock block = current(key);
        while (block.freeCount() > 0) {
            int ordinal = block.nextFree().getAsInt();
            if (!state.reserved.contains(cidrOf(key).first().add(BigInteger.valueOf(ordinal)))) {
                return true;
            }
            block = block.reserve(ordinal);
            working.put(key, block);
        }
        return false;
    }

    private static BigInteger firstGap(TreeSet<BigInteger> taken) {
        BigInteger next = BigInteger.ZERO;
        for (BigInteger i : taken) {
            if (i.compareTo(next) > 0) {
                break;
            }
            next = i.add(BigInteger.ONE);
        }
        return next;
    }

    private Cidr cidrOf(String key) {
        CachedBlock seen = view.get(key);
        return seen != null ? seen.cidr() : claimedCidrs.get(key);
    }

    private AllocationBlock current(String key) {
        AllocationBlock b = working.get(key);
        if (b != null) {
            return b;
        }
        CachedBlock seen = view.get(key);
        return seen == null ? null : seen.block();
    }

    private IpamException exhausted(LayoutState state) {
        BlockLayout l = state.layout;
        long inUse = 0;
        for (String key : state.affine) {
            inUse += current(key).allocatedCount();
        }
        for (String key : state.others()) {
            inUse += current(key).allocatedCount();
        }
        return new IpamException(IpamException.Reason.EXHAUSTED, "network " + network + " (" + l.subnet() + ") has no free "
                + (l.family() == io.drover.model.net.IpFamily.IPV4 ? "IPv4" : "IPv6") + " address: " + inUse + " of "
                + l.usableAddresses() + " in use; widen the subnet or delete pods");
    }
}
