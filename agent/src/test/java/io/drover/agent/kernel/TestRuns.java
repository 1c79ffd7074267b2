package io.drover.agent.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names for the network namespaces of the agent's kernel tests: {@code drvt-a<pid>-<random>-...}, so that runs never
 * collide and what a killed run left behind is recognised (its PID no longer runs) and removed by the next run, with
 * `ip netns del`, never depending on the code under test.
 */
public final class TestRuns {

    private static final Pattern OURS = Pattern.compile("drvt-a(\\d+)-[0-9a-f]+-.*");

    private TestRuns() {}

    /** A fresh prefix of this run, ending in '-'; leftovers of dead runs are removed first. */
    public static String prefix() {
        sweepLeftovers();
        return "drvt-a" + ProcessHandle.current().pid() + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff)) + "-";
    }

    /** Removes the test namespaces of runs whose process is gone (killed before they could clean up). */
    public static void sweepLeftovers() {
        List<String> names;
        try (var files = Files.list(Path.of("/run/netns"))) {
            names = files.map(p -> p.getFileName().toString()).toList();
        } catch (IOException e) {
            return; // no /run/netns: nothing was left
        }
        for (String name : names) {
            Matcher m = OURS.matcher(name);
            if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty()) {
                try {
                    new ProcessBuilder("ip", "netns", "del", name).redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
                } catch (IOException e) {
                    return; // no ip: the tests that made them cannot run either
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
