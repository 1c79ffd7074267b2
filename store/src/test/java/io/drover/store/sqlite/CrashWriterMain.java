package io.drover.store.sqlite;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The child process of {@link DurabilityTest}'s crash test: writes keys from several threads (so batches
 * hold many transactions) and prints each key once its put has returned. It is killed with SIGKILL; on its
 * own it stops after a bounded time.
 */
public final class CrashWriterMain {
    private CrashWriterMain() {}

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of(args[0]);
        int threads = Integer.parseInt(args[1]);
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        long deadline = System.nanoTime() + 60_000_000_000L;
        SqliteKeyValueStore store = SqliteKeyValueStore.open(dataDir);
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            writers.add(Thread.ofPlatform().start(() -> {
                for (long i = 0; System.nanoTime() < deadline; i++) {
                    String key = "/crash/" + thread + "/" + i;
                    store.put(key, (key + "=value").getBytes(StandardCharsets.UTF_8));
                    synchronized (out) {
                        out.println(key);
                        out.flush();
                    }
                }
            }));
        }
        for (Thread w : writers) {
            w.join();
        }
        store.close();
    }
}
