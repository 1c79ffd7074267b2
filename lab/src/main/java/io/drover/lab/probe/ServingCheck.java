package io.drover.lab.probe;

import io.drover.agent.kernel.Kernel;
import io.drover.agent.kernel.NetNs;
import io.drover.lab.net.Protocol;
import io.drover.lab.probe.ProbeResult.Outcome;
import io.drover.lab.runtime.LabException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Waits until pods serve: each pod, from inside its own namespace, reaches its own address on a port and reads its
 * own echo text back. That proves the agent gave the pod its address and the pod's echo server listens, which is
 * what a probe run needs before its matrix means anything: a pod that is still coming up would count as blocked.
 */
public final class ServingCheck {

    private static final Duration ATTEMPT = Duration.ofMillis(300);
    private static final Duration PAUSE = Duration.ofMillis(100);

    private final ProbeConnector connector;

    public ServingCheck(Kernel kernel) {
        this.connector = new ProbeConnector(kernel);
    }

    /** Waits (at most {@code limit}) until every target serves TCP {@code port}; throws naming those that do not. */
    public void await(List<ProbeTarget> targets, int port, Duration limit) {
        awaitFrom(null, targets, port, limit);
    }

    /**
     * Waits (at most {@code limit}) until every target answers on TCP {@code port} from {@code client} (null: from
     * inside the target itself). From the node that hosts the targets, an answer proves more than the pod's own
     * check: the pod's interface is up and on its network's bridge and its replies pass the node, so a probe between
     * pods that follows sees the network's rules and not a pod still being plumbed.
     */
    public void awaitFrom(NetNs client, List<ProbeTarget> targets, int port, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        List<ProbeTarget> waiting = new ArrayList<>(targets);
        List<String> reasons = new ArrayList<>();
        while (true) {
            reasons.clear();
            waiting.removeIf(t -> serves(client == null ? t.netns() : client, t, port, reasons));
            if (waiting.isEmpty()) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new LabException("pods not serving TCP port " + port + (client == null ? "" : " to " + client)
                        + " after " + limit.toSeconds() + " s: "
                        + String.join("; ", reasons) + "; see the agent logs in the lab's logs directory");
            }
            try {
                Thread.sleep(PAUSE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new LabException("interrupted while waiting for pods to serve");
            }
        }
    }

    /**
     * One TCP exchange from inside {@code client}: the line the server sent ({@code connected}), or what happened
     * instead, in words. For checks from outside any pod, such as a published port seen from the lab's fabric.
     */
    public record Exchange(boolean connected, String text) {}

    public Exchange connectFrom(NetNs client, InetAddress server, int port, Duration timeout) {
        ProbeConnector.Answer answer = connector.connect(client, Protocol.TCP, server, port, timeout);
        return answer.outcome() == Outcome.CONNECTED
                ? new Exchange(true, answer.text())
                : new Exchange(false, answer.outcome().name().toLowerCase(java.util.Locale.ROOT) + ": " + answer.text());
    }

    private boolean serves(NetNs client, ProbeTarget target, int port, List<String> reasons) {
        Optional<InetAddress> address = target.address(null);
        if (address.isEmpty()) {
            reasons.add(target.key() + " has no address yet");
            return false;
        }
        try {
            ProbeConnector.Answer answer = connector.connect(client, Protocol.TCP, address.get(), port, ATTEMPT);
            if (answer.outcome() == Outcome.CONNECTED && answer.text().equals(target.key())) {
                return true;
            }
            reasons.add(target.key() + ": " + answer.outcome().name().toLowerCase(java.util.Locale.ROOT) + " "
                    + answer.text());
        } catch (RuntimeException e) {
            reasons.add(target.key() + ": " + e.getMessage());
        }
        return false;
    }
}
