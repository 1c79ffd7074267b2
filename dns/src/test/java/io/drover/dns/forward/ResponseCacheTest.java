package io.drover.dns.forward;

import static io.drover.dns.Fixtures.query;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class ResponseCacheTest {

    private final AtomicLong now = new AtomicLong();
    private final ResponseCache cache = new ResponseCache(10, now::get);

    private static Message answer(String name, long ttl) throws Exception {
        Message m = query(name, Type.A);
        m.getHeader().setFlag(Flags.QR);
        m.addRecord(new ARecord(Name.fromString(name), DClass.IN, ttl, InetAddress.getByName("192.0.2.1")), Section.ANSWER);
        return m;
    }

    private static void advance(AtomicLong clock, long seconds) {
        clock.addAndGet(seconds * 1_000_000_000L);
    }

    @Test
    void anAnswerIsKeptForItsTtlAndComesBackWithTheTtlAged() throws Exception {
        Record q = query("Example.com.", Type.A).getQuestion();
        cache.put(q, answer("example.com.", 30));
        advance(now, 10);
        Message hit = cache.get(query("EXAMPLE.com.", Type.A).getQuestion());
        assertThat(hit.getSection(Section.ANSWER)).singleElement().satisfies(r -> {
            assertThat(r.getTTL()).isEqualTo(20);
            assertThat(r.getName().toString()).isEqualTo("example.com.");
        });
        advance(now, 20);
        assertThat(cache.get(q)).isNull();
        assertThat(cache.get(query("example.com.", Type.AAAA).getQuestion())).isNull();
    }

    @Test
    void negativeAnswersLiveForTheSoaMinimumAndFailuresAreNotKept() throws Exception {
        Message nx = query("nope.example.", Type.A);
        nx.getHeader().setRcode(Rcode.NXDOMAIN);
        nx.addRecord(new SOARecord(Name.root, DClass.IN, 300, Name.fromString("a."), Name.fromString("b."), 1, 1, 1, 1, 15),
                Section.AUTHORITY);
        assertThat(ResponseCache.ttlOf(nx)).isEqualTo(15);
        Message failure = query("x.example.", Type.A);
        failure.getHeader().setRcode(Rcode.SERVFAIL);
        assertThat(ResponseCache.ttlOf(failure)).isZero();
        Message nodataWithoutSoa = query("y.example.", Type.A);
        assertThat(ResponseCache.ttlOf(nodataWithoutSoa)).isZero();
        assertThat(ResponseCache.ttlOf(answer("z.example.", 999_999))).isEqualTo(ResponseCache.MAX_POSITIVE_TTL);
    }

    @Test
    void theCacheStaysWithinItsCapacity() throws Exception {
        for (int i = 0; i < 100; i++) {
            cache.put(query("n" + i + ".example.", Type.A).getQuestion(), answer("n" + i + ".example.", 60));
            assertThat(cache.size()).isLessThanOrEqualTo(10);
        }
    }
}
