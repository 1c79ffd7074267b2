package io.drover.dns.net;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

/** A place in this namespace that counts the sockets made through it, to check that they are made there. */
public final class CountingPlace implements SocketPlace {

    private final AtomicInteger opened = new AtomicInteger();

    @Override
    public <T> T open(Callable<T> opening) throws Exception {
        opened.incrementAndGet();
        return opening.call();
    }

    public int opened() {
        return opened.get();
    }
}
