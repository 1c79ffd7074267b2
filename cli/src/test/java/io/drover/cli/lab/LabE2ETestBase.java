package io.drover.cli.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.drover.agent.kernel.NetNs;
import io.drover.api.client.DroverClient;
import io.drover.api.client.ServerUrls;
import io.drover.lab.probe.ProbeTarget;
import io.drover.lab.probe.ServingCheck;
import io.drover.lab.runtime.LabNames;
import io.drover.lab.runtime.LabPodNamespaces;
import io.drover.lab.runtime.LabState;
import io.drover.lab.runtime.RunningLabs;
import io.drover.model.ResourceKind;
import io.drover.model.pod.Pod;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lifecycle the CLI's lab end-to-end tests share: root only (labs are network namespaces), a lab of the test's
 * own in a temporary lab directory, removed after each test with no namespace left behind; and waiting for pods to
 * serve.
 */
abstract class LabE2ETestBase {

    static final Duration READY = Duration.ofSeconds(30);

    @TempDir
    Path labDir;
    @TempDir
    Path work;

    LabE2ESupport lab;

    @BeforeEach
    void onlyAsRoot() {
        Assumptions.assumeTrue(LabE2ESupport.rootWithTools(), "needs root with ip, nft and setsid: labs are namespaces");
        lab = new LabE2ESupport(labDir);
    }

    @AfterEach
    void tearDown() {
        if (lab != null) {
            lab.close();
            assertThat(lab.namespaces()).as("namespaces left by the test").isEmpty();
        }
    }

    /** A client of this test's lab's server (of several, the first that takes a connection, as the CLI picks). */
    DroverClient client() {
        LabState state = RunningLabs.choose(lab.store(), lab.lab()).orElseThrow();
        return new DroverClient(ServerUrls.parse(state.serverUrl()));
    }

    /** The pods of a namespace, by name. */
    Map<String, Pod> list(String namespace) {
        try (DroverClient client = client()) {
            return client.list(ResourceKind.POD, namespace, null).items().stream().map(Pod.class::cast)
                    .collect(Collectors.toMap(p -> p.metadata().name(), Function.identity()));
        }
    }

    /** Waits until the named pods have addresses and answer on port 80 from inside their namespaces. */
    Map<String, Pod> awaitServing(LabNames names, String namespace, List<String> wanted) {
        await().atMost(READY).until(() -> list(namespace).values().stream()
                .filter(p -> wanted.contains(p.metadata().name()))
                .filter(p -> p.status() != null && !p.status().addresses().isEmpty()).count() == wanted.size());
        Map<String, Pod> pods = list(namespace);
        List<ProbeTarget> targets = new ArrayList<>();
        for (String name : wanted) {
            Pod p = pods.get(name);
            targets.add(ProbeTarget.of(p, NetNs.named(LabPodNamespaces.namespaceName(names, p))));
        }
        new ServingCheck(lab.kernel()).await(targets, 80, READY);
        return pods;
    }
}
