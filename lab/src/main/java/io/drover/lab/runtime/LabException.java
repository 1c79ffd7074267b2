package io.drover.lab.runtime;

/** A lab operation failed; the message says what went wrong and what to do about it. */
public class LabException extends RuntimeException {

    public LabException(String message) {
        super(message);
    }

    public LabException(String message, Throwable cause) {
        super(message, cause);
    }
}
