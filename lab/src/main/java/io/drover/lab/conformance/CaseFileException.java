package io.drover.lab.conformance;

/** A case file that cannot be read or is not a valid case: {@code FILE:LINE: where: what is wrong and what to do}. */
public final class CaseFileException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CaseFileException(String message) {
        super(message);
    }

    public CaseFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
