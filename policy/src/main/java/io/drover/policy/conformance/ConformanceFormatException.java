package io.drover.policy.conformance;

/** A conformance case that does not follow the format, or asks for something its model cannot do. */
public final class ConformanceFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ConformanceFormatException(String message) {
        super(message);
    }

    public ConformanceFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
