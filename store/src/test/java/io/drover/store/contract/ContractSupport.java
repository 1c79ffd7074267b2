package io.drover.store.contract;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Helpers shared by the contract suites and the stores' own tests. */
public final class ContractSupport {
    private ContractSupport() {}

    public static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** One thread's share of concurrent work. */
    public interface Work {
        void run(int thread) throws Exception;
    }

    /** Runs {@code work} on {@code threads} platform threads at once; rethrows the first failure. */
    public static void runConcurrently(int threads, Work work) throws Exception {
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    work.run(thread);
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        }
    }
}
