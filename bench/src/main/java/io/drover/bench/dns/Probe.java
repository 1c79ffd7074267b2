package io.drover.bench.dns;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** Single DNS questions from the benchmark itself: is a server up, and what does it answer. */
final class Probe {

    private Probe() {}

    static Message ask(InetSocketAddress server, String name, String type, Duration timeout) throws IOException {
        SimpleResolver r = new SimpleResolver(server);
        r.setTimeout(timeout);
        return r.send(Message.newQuery(Record.newRecord(Name.fromString(name), Type.value(type), DClass.IN)));
    }

    /** Waits until the server answers NOERROR for {@code name} TXT; fails early when its process exits. */
    static void awaitAnswer(InetSocketAddress server, String name, Duration limit, Process process, Supplier<String> log)
            throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            try {
                if (ask(server, name, "TXT", Duration.ofMillis(300)).getRcode() == Rcode.NOERROR) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("the DNS server exited (code " + process.exitValue() + "):\n" + log.get());
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("the DNS server did not answer within " + limit + ":\n" + log.get());
            }
            Thread.sleep(100);
        }
    }

    /** The answer's records as comparable text (type and data, sorted), the rcode first. */
    static List<String> summary(Message m) {
        List<String> out = new java.util.ArrayList<>();
        for (Record r : m.getSection(Section.ANSWER)) {
            out.add(Type.string(r.getType()) + " " + r.rdataToString());
        }
        out.sort(null);
        out.addFirst(Rcode.string(m.getRcode()));
        return out;
    }
}
