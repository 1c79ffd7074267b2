package io.drover.controllers.ipam;

import io.drover.model.net.Cidr;
import java.math.BigInteger;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One block of a network's subnet as it is stored: which node it is affine to and which of its addresses
 * are taken, and by which handle. Immutable; {@link #allocate} and {@link #release} return new blocks, so the
 * planner can try changes and the store's compare-and-swap decides whether they stick.
 *
 * <p>Free ordinals are kept in a FIFO list, as Calico does: a released address goes to the back, so it is the
 * last one handed out again. That gives ARP caches, conntrack entries and DNS answers naming the old pod the
 * longest possible time to age out before the address means someone else.
 *
 * @param network     the network's name
 * @param cidr        the block's prefix, e.g. {@code 10.10.0.64/26}
 * @param affinity    the node that claimed the block; other nodes only borrow from it when nothing else is free
 * @param reserved    ordinals never handed out (network, broadcast, gateway)
 * @param unallocated free ordinals, in the order they will be handed out
 * @param allocations taken ordinals and the handle holding each
 */
public record AllocationBlock(
        String network,
        String cidr,
        String affinity,
        List<Integer> reserved,
        List<Integer> unallocated,
        SortedMap<Integer, String> allocations) {

    public AllocationBlock {
        reserved = reserved == null ? List.of() : List.copyOf(reserved);
        unallocated = unallocated == null ? List.of() : List.copyOf(unallocated);
        allocations = allocations == null ? Collections.emptySortedMap() : Collections.unmodifiableSortedMap(new TreeMap<>(allocations));
    }

    static AllocationBlock empty(String network, Cidr block, String affinity, int size, List<Integer> reserved) {
        TreeSet<Integer> skip = new TreeSet<>(reserved);
        List<Integer> free = new ArrayList<>(size);
        for (int ordinal = 0; ordinal < size; ordinal++) {
            if (!skip.contains(ordinal)) {
                free.add(ordinal);
            }
        }
        return new AllocationBlock(network, block.toString(), affinity, List.copyOf(skip), free, new TreeMap<>());
    }

    public Cidr prefix() {
        return Cidr.parse(cidr);
    }

    public int freeCount() {
        return unallocated.size();
    }

    public int allocatedCount() {
        return allocations.size();
    }

    /** The ordinal the next allocation gets, if any is free. */
    public OptionalInt nextFree() {
        return unallocated.isEmpty() ? OptionalInt.empty() : OptionalInt.of(unallocated.getFirst());
    }

    /** The block with the next free ordinal given to {@code handle}; see {@link #nextFree}. */
    public AllocationBlock allocate(String handle) {
        if (unallocated.isEmpty()) {
            throw new IllegalStateException("block " + cidr + " of network " + network + " is full");
        }
        TreeMap<Integer, String> taken = new TreeMap<>(allocations);
        taken.put(unallocated.getFirst(), handle);
        return new AllocationBlock(network, cidr, affinity, reserved, unallocated.subList(1, unallocated.size()), taken);
    }

    /**
     * The block with a free {@code ordinal} taken out of circulation for good: for an address that became
     * reserved after the block was made (a network recreated with another gateway).
     */
    AllocationBlock reserve(int ordinal) {
        if (!unallocated.contains(ordinal)) {
            return this;
        }
        TreeSet<Integer> nowReserved = new TreeSet<>(reserved);
        nowReserved.add(ordinal);
        List<Integer> free = new ArrayList<>(unallocated);
        free.remove(Integer.valueOf(ordinal));
        return new AllocationBlock(network, cidr, affinity, List.copyOf(nowReserved), free, allocations);
    }

    /** Undoes the most recent {@link #allocate} of {@code ordinal}: it is free again and handed out next. */
    AllocationBlock unallocate(int ordinal) {
        TreeMap<Integer, String> taken = new TreeMap<>(allocations);
        taken.remove(ordinal);
        List<Integer> free = new ArrayList<>(unallocated.size() + 1);
        free.add(ordinal);
        free.addAll(unallocated);
        return new AllocationBlock(network, cidr, affinity, reserved, free, taken);
    }

    /** The block with every ordinal held by {@code handle} free again (at the back of the free list). */
    public AllocationBlock release(String handle) {
        TreeMap<Integer, String> taken = new TreeMap<>(allocations);
        List<Integer> free = new ArrayList<>(unallocated);
        boolean changed = false;
        for (var it = taken.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Integer, String> e = it.next();
            if (e.getValue().equals(handle)) {
                free.add(e.getKey()); // before remove(): TreeMap may reuse the entry for its successor
                it.remove();
                changed = true;
            }
        }
        return changed ? new AllocationBlock(network, cidr, affinity, reserved, free, taken) : this;
    }

    public boolean holds(String handle) {
        return allocations.containsValue(handle);
    }

    public InetAddress address(int ordinal) {
        return prefix().address(BigInteger.valueOf(ordinal));
    }

    public int ordinalOf(InetAddress address) {
        return prefix().offsetOf(address).intValueExact();
    }
}
