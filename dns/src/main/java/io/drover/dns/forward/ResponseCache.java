package io.drover.dns.forward;

import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;

/**
 * Upstream answers kept for as long as their TTLs allow, as CoreDNS's cache: a positive answer for its smallest TTL
 * (at most {@value #MAX_POSITIVE_TTL} s), a negative one (NXDOMAIN, NODATA) for its SOA's negative TTL (RFC 2308;
 * at most {@value #MAX_NEGATIVE_TTL} s); failures and answers without a TTL to go by are not kept. A hit comes back
 * with its TTLs lowered by the time it spent here. Bounded: when full, expired entries go first, then arbitrary ones.
 */
public final class ResponseCache {

    static final long MAX_POSITIVE_TTL = 3600;
    static final long MAX_NEGATIVE_TTL = 1800;

    /** Names compare case-insensitively. */
    record Key(String name, int type, int dclass) {
        static Key of(Record question) {
            return new Key(question.getName().toString().toLowerCase(Locale.ROOT), question.getType(),
                    question.getDClass());
        }
    }

    private record Entry(Message message, long storedAt, long expiresAt) {}

    private final int capacity;
    private final LongSupplier nanoTime;
    private final Map<Key, Entry> entries = new ConcurrentHashMap<>();

    public ResponseCache(int capacity) {
        this(capacity, System::nanoTime);
    }

    ResponseCache(int capacity, LongSupplier nanoTime) {
        this.capacity = capacity;
        this.nanoTime = nanoTime;
    }

    /** The cached answer to {@code question} with its TTLs aged, if one is fresh. */
    public Message get(Record question) {
        Key key = Key.of(question);
        Entry e = entries.get(key);
        if (e == null) {
            return null;
        }
        long now = nanoTime.getAsLong();
        if (now - e.expiresAt() >= 0) {
            entries.remove(key, e);
            return null;
        }
        long aged = (now - e.storedAt()) / 1_000_000_000L;
        return Ttls.aged(e.message(), aged);
    }

    /** Keeps {@code response} to {@code question} if it may be kept. */
    public void put(Record question, Message response) {
        long ttl = ttlOf(response);
        if (ttl <= 0) {
            return;
        }
        if (entries.size() >= capacity) {
            makeRoom();
        }
        long now = nanoTime.getAsLong();
        entries.put(Key.of(question), new Entry(response, now, now + ttl * 1_000_000_000L));
    }

    public int size() {
        return entries.size();
    }

    /** How long a response may be kept, in seconds; 0: not at all. */
    static long ttlOf(Message response) {
        int rcode = response.getRcode();
        if (response.getHeader().getFlag(org.xbill.DNS.Flags.TC)) {
            return 0;
        }
        boolean nodata = rcode == Rcode.NOERROR && response.getSection(Section.ANSWER).isEmpty();
        if (rcode == Rcode.NXDOMAIN || nodata) {
            for (Record r : response.getSection(Section.AUTHORITY)) {
                if (r instanceof SOARecord soa) {
                    return Math.min(Math.min(soa.getTTL(), soa.getMinimum()), MAX_NEGATIVE_TTL);
                }
            }
            return 0;
        }
        if (rcode != Rcode.NOERROR) {
            return 0;
        }
        long min = MAX_POSITIVE_TTL;
        for (int section : new int[] {Section.ANSWER, Section.AUTHORITY}) {
            for (Record r : response.getSection(section)) {
                min = Math.min(min, r.getTTL());
            }
        }
        return min;
    }

    private void makeRoom() {
        long now = nanoTime.getAsLong();
        entries.values().removeIf(e -> now - e.expiresAt() >= 0);
        // Still full: drop about a tenth, whichever come first; a cache need not be fair, only bounded.
        int excess = entries.size() - capacity + Math.max(1, capacity / 10);
        Iterator<Key> keys = entries.keySet().iterator();
        while (excess-- > 0 && keys.hasNext()) {
            keys.next();
            keys.remove();
        }
    }
}
