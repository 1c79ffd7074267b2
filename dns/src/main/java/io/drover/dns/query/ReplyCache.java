package io.drover.dns.query;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The replies the server made itself from the cluster's view, kept while the view does not change: a query that is
 * byte for byte the same as an earlier one but for its ID (same flags, name as spelled, type, class, EDNS options,
 * same transport) gets the same reply under its own ID, without parsing or answering it again. Each entry carries
 * the view's generation read before it was made, and is served only while the view still is at that generation; since
 * the view moves to a new generation once a change is complete, no reply outlives the change that makes it stale (one
 * made while a change was under way is served at most until that change completes, as a reply made then would be).
 * Forwarded answers are not kept here (the forwarder has its own TTL-honouring cache).
 */
final class ReplyCache {

    private static final int ID_LENGTH = 2;
    /** Queries longer than this are not worth keeping (real ones are well under 300 bytes). */
    private static final int MAX_QUERY = 512;

    private final int capacity;
    private final ConcurrentHashMap<Key, Entry> entries = new ConcurrentHashMap<>();

    private record Entry(long generation, byte[] reply) {}

    /** The query without its ID, and the transport (a UDP reply may be truncated where a TCP one is not). */
    private static final class Key {
        private final byte[] query;
        private final Transport transport;
        private final int hash;

        Key(byte[] query, Transport transport) {
            this.query = query;
            this.transport = transport;
            int h = transport.ordinal();
            for (int i = ID_LENGTH; i < query.length; i++) {
                h = 31 * h + query[i];
            }
            this.hash = h;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.transport == transport && Arrays.equals(query, ID_LENGTH, query.length,
                    k.query, ID_LENGTH, k.query.length);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /** @param capacity how many replies to keep; when full, all are dropped and it fills again */
    ReplyCache(int capacity) {
        this.capacity = capacity;
    }

    /** The kept reply to {@code query} under the query's ID, or null. */
    byte[] get(byte[] query, Transport transport, long generation) {
        if (query.length > MAX_QUERY) {
            return null;
        }
        Entry e = entries.get(new Key(query, transport));
        if (e == null || e.generation() != generation) {
            return null;
        }
        byte[] reply = e.reply().clone();
        reply[0] = query[0];
        reply[1] = query[1];
        return reply;
    }

    /** Keeps {@code reply} (which the caller hands out too: it is copied) as made at {@code generation}. */
    void put(byte[] query, Transport transport, long generation, byte[] reply) {
        if (query.length > MAX_QUERY || reply == null) {
            return;
        }
        if (entries.size() >= capacity) {
            entries.clear();
        }
        entries.put(new Key(query.clone(), transport), new Entry(generation, reply.clone()));
    }

    int size() {
        return entries.size();
    }
}
