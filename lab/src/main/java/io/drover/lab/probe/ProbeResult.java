package io.drover.lab.probe;

import io.drover.lab.net.Protocol;

/**
 * The outcome of one probe: one connection attempt from a client pod to a server pod on one port and protocol.
 *
 * @param detail what happened in words (the error, or the text a wrong pod answered with); empty when connected
 */
public record ProbeResult(String client, String server, Protocol protocol, int port, Outcome outcome, String detail) {

    public enum Outcome {
        /** The server answered with its own {@code <namespace>/<pod>}. */
        CONNECTED,
        /** The connection was refused (TCP RST, SCTP ABORT, ICMP port unreachable). */
        REFUSED,
        /** No answer within the timeout: dropped on the way, or nobody listening and nobody refusing. */
        TIMED_OUT,
        /** No route to the server (ICMP unreachable, or none in the client's table). */
        UNREACHABLE,
        /** Something answered, but not with the server's text: the connection reached another pod. */
        WRONG_ANSWER,
        /** The server pod has no address (of the family asked for). */
        NO_ADDRESS,
        /** Any other error, e.g. the client namespace is gone. */
        FAILED,
        /** Not attempted: the run's total time limit was reached first. */
        NOT_RUN
    }

    public boolean connected() {
        return outcome == Outcome.CONNECTED;
    }

    @Override
    public String toString() {
        return client + " -> " + server + " " + protocol + "/" + port + ": " + outcome
                + (detail.isEmpty() ? "" : " (" + detail + ")");
    }
}
