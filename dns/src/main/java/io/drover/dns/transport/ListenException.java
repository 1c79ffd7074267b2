package io.drover.dns.transport;

/** The DNS server cannot open its address; the message says why and what to do. */
public final class ListenException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    ListenException(String message, Throwable cause) {
        super(message, cause);
    }
}
