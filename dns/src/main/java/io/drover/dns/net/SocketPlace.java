package io.drover.dns.net;

import java.util.concurrent.Callable;

/**
 * Where a socket is made, which is where it serves: a socket belongs for life to the network namespace it was
 * created in, whichever thread uses it later. A DNS server running beside a lab (reaching the API over this
 * machine's loopback) opens its listeners inside the lab's namespaces this way.
 */
public interface SocketPlace {

    /** This process's own network namespace. */
    SocketPlace HERE = new SocketPlace() {
        @Override
        public <T> T open(Callable<T> opening) throws Exception {
            return opening.call();
        }

        @Override
        public String toString() {
            return "this network namespace";
        }
    };

    /** Runs {@code opening} where its sockets are to live and returns what it returns. */
    <T> T open(Callable<T> opening) throws Exception;
}
