package io.drover.store.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Members a JVM leaves running when it exits are killed, and their directories deleted, by the shutdown hook. */
class EtcdProcessShutdownTest {
    @Test
    void aJvmThatExitsWithoutClosingItsClusterLeavesNoEtcdAndNoDataBehind() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                AbandonedClusterMain.class.getName(), "1")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                lines.add(line);
            }
        }
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).isZero();
        assertThat(lines).hasSize(1);
        String[] member = lines.getFirst().split(" ", 2);
        long pid = Long.parseLong(member[0]);
        Path dataDir = Path.of(member[1]);
        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).as("etcd, pid " + pid).isEmpty();
        assertThat(dataDir).doesNotExist();
        assertThat(dataDir.getParent()).as("the cluster's directory").doesNotExist();
    }
}
