package io.drover.dns.query;

import static io.drover.dns.Fixtures.clusterIp;
import static io.drover.dns.Fixtures.query;
import static org.assertj.core.api.Assertions.assertThat;

import io.drover.dns.Fixtures;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

class ReplyCacheTest {

    private static byte[] withId(byte[] wire, int id) {
        byte[] copy = wire.clone();
        copy[0] = (byte) (id >>> 8);
        copy[1] = (byte) id;
        return copy;
    }

    @Test
    void aQueryThatDiffersOnlyInItsIdGetsTheKeptReplyUnderItsOwnId() {
        ReplyCache cache = new ReplyCache(10);
        byte[] q = query("a.default.svc.cluster.local.", Type.A).toWire();
        byte[] reply = withId(new byte[] {0, 0, (byte) 0x81, 0, 1, 2, 3}, 0);
        cache.put(withId(q, 1), Transport.UDP, 7, withId(reply, 1));
        assertThat(cache.get(withId(q, 0x1234), Transport.UDP, 7)).startsWith(0x12, 0x34, 0x81, 0, 1, 2, 3);
        assertThat(cache.get(withId(q, 0x1234), Transport.TCP, 7)).as("another transport").isNull();
        assertThat(cache.get(withId(q, 0x1234), Transport.UDP, 8)).as("the view changed since").isNull();
        byte[] otherName = query("b.default.svc.cluster.local.", Type.A).toWire();
        assertThat(cache.get(otherName, Transport.UDP, 7)).isNull();
    }

    @Test
    void whatItHandsOutCannotChangeWhatItKeeps() {
        ReplyCache cache = new ReplyCache(10);
        byte[] q = query("a.default.svc.cluster.local.", Type.A).toWire();
        byte[] reply = {0, 0, 1, 2};
        cache.put(q, Transport.UDP, 1, reply);
        reply[3] = 9;
        byte[] first = cache.get(q, Transport.UDP, 1);
        first[2] = 9;
        assertThat(cache.get(q, Transport.UDP, 1)).endsWith(1, 2);
    }

    @Test
    void whenFullItStartsAfresh() {
        ReplyCache cache = new ReplyCache(2);
        for (int i = 0; i < 3; i++) {
            cache.put(query("n" + i + ".default.svc.cluster.local.", Type.A).toWire(), Transport.UDP, 1, new byte[] {0, 0});
        }
        assertThat(cache.size()).isEqualTo(1);
    }

    @Test
    void theHandlerAnswersAnewOnceTheViewChanged() throws Exception {
        Fixtures f = new Fixtures();
        QueryHandler handler = new QueryHandler(f.answerer, f.view, null);
        f.view.put(clusterIp("default", "web", "10.96.0.7"));
        Message q = query("web.default.svc.cluster.local.", Type.A);
        for (int i = 0; i < 3; i++) {
            assertThat(address(handler.handle(withId(q.toWire(), i), Transport.UDP).get())).isEqualTo("10.96.0.7");
        }
        f.view.put(clusterIp("default", "web", "10.96.0.8"));
        Message again = new Message(handler.handle(withId(q.toWire(), 99), Transport.UDP).get());
        assertThat(again.getHeader().getID()).isEqualTo(99);
        assertThat(address(again.toWire())).isEqualTo("10.96.0.8");
    }

    private static String address(byte[] wire) throws Exception {
        return ((ARecord) new Message(wire).getSection(Section.ANSWER).getFirst()).getAddress().getHostAddress();
    }
}
