package io.drover.api.client;

import java.net.URI;

/**
 * The server could not be talked to at all (as opposed to {@link ApiError}, where it answered "no"). Retrying the
 * next object is pointless then, so commands let this end the whole run.
 */
public final class ServerUnreachableException extends RuntimeException {

    private ServerUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Nothing listens at the address: the usual cause is that no server was started, so say how to start one. */
    public static ServerUnreachableException refused(URI server, Throwable cause) {
        return new ServerUnreachableException("no Drover server answers at " + ServerUrls.display(server)
                + ". Start one with: ./drover server --store embedded --data ./.drover/data --listen "
                + ServerUrls.listenAddress(server)
                + "   (or point --server / DROVER_SERVER at a running one)", cause);
    }

    public static ServerUnreachableException failed(URI server, Throwable cause) {
        String detail = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new ServerUnreachableException("talking to the Drover server at " + ServerUrls.display(server)
                + " failed: " + detail, cause);
    }
}
