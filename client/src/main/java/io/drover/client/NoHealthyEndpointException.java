package io.drover.client;

import java.io.IOException;

/** The service has no healthy endpoint to send to (or every try to connect to one failed). */
public final class NoHealthyEndpointException extends IOException {

    NoHealthyEndpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
