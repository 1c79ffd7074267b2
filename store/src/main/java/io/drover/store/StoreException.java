package io.drover.store;

/** The store could not do what was asked (unreachable, closed, corrupt). The message says which and why. */
public class StoreException extends RuntimeException {
    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
