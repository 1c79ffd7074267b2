package io.drover.cli.probe;

import io.drover.agent.kernel.NetNs;
import io.drover.lab.probe.ProbeTarget;
import io.drover.lab.runtime.LabNames;
import io.drover.lab.runtime.LabPodNamespaces;
import io.drover.model.pod.Pod;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Which pods a probe run covers: those with addresses of their own (bridge mode, addressed by IPAM), each probed
 * from its lab namespace. The others are listed with the reason, so a matrix never silently lacks a pod: a pod in
 * container or host mode answers with another's address (so it would count as reaching the wrong pod), and a pod
 * without addresses has nothing to connect to yet.
 */
record ProbeTargets(List<ProbeTarget> targets, List<String> notProbed) {

    static ProbeTargets of(LabNames names, List<Pod> pods) {
        List<ProbeTarget> targets = new ArrayList<>();
        List<String> notProbed = new ArrayList<>();
        for (Pod pod : pods.stream().sorted(Comparator.comparing(ProbeTargets::key)).toList()) {
            String mode = pod.spec().effectiveNetworkMode();
            if (!mode.equals("bridge")) {
                notProbed.add(key(pod) + ": " + (mode.startsWith("container:")
                        ? "shares the network of " + pod.metadata().namespace() + "/" + mode.substring("container:".length())
                        : "is in " + mode + " mode"));
                continue;
            }
            if (pod.status() == null || pod.status().addresses().isEmpty()) {
                notProbed.add(key(pod) + ": has no address yet" + (pod.spec().node() == null ? " (not placed on a node)" : ""));
                continue;
            }
            targets.add(ProbeTarget.of(pod, NetNs.named(LabPodNamespaces.namespaceName(names, pod))));
        }
        return new ProbeTargets(targets, notProbed);
    }

    private static String key(Pod pod) {
        return pod.metadata().namespace() + "/" + pod.metadata().name();
    }
}
