package io.drover.lab.conformance;

/** The conformance model cannot be set up, reset or removed; the message says what to do. */
public final class ConformanceSetupException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ConformanceSetupException(String message) {
        super(message);
    }

    public ConformanceSetupException(String message, Throwable cause) {
        super(message, cause);
    }
}
