package io.drover.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.drover.cli.CliHarness;
import io.drover.cli.lab.LabE2ESupport;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code drover demo} shows what it promises, within its time bound, and leaves nothing behind. Root only. */
class DemoE2ETest {

    @TempDir
    Path labDir;

    private LabE2ESupport lab;

    @BeforeEach
    void onlyAsRoot() {
        Assumptions.assumeTrue(LabE2ESupport.rootWithTools(), "needs root with ip, nft and setsid: the demo makes a lab");
        lab = new LabE2ESupport(labDir);
    }

    @AfterEach
    void tearDown() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void theDemoShowsIsolationAPublishedPortAndContainerModeThenCleansUp() {
        long started = System.nanoTime();
        CliHarness.Result demo = lab.drover("demo", "--name", lab.lab());
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(demo.exitCode()).as(demo.out() + demo.err()).isZero();
        String out = demo.out();
        assertThat(out).contains("$ drover lab up --name " + lab.lab() + " --nodes 1", "$ drover probe --namespaces demo");
        // blue-1, blue-2 and web share network blue; red-1 is alone on red.
        assertThat(out).contains("""
                from\\to     demo/blue-1 demo/blue-2 demo/red-1 demo/web
                demo/blue-1           -           .          X        .
                demo/blue-2           .           -          X        .
                demo/red-1            X           X          -        X
                demo/web              .           .          X        -
                """);
        assertThat(out).contains("connect 172.31.0.1:8080\ndemo/web\n");
        assertThat(out).contains(":81\ndemo/web-sidecar\n");
        // The NetworkPolicy lets only blue-1 (role=client) reach web.
        assertThat(out).contains("networkpolicy/web-from-clients created", """
                demo/blue-1           -           .          X        .
                demo/blue-2           .           -          X        X
                """, "$ drover policy explain --from demo/blue-2 --to demo/web --port 80/tcp");
        assertThat(out).contains("$ drover lab down --name " + lab.lab(), "lab " + lab.lab() + " removed");
        assertThat(lab.namespaces()).isEmpty();
        assertThat(lab.store().load(lab.lab())).isEmpty();
        assertThat(took).isLessThan(Duration.ofSeconds(60));
    }
}
