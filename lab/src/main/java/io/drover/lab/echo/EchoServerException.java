package io.drover.lab.echo;

/** The echo server cannot serve a port; the message names the port, the namespace and the reason. */
public class EchoServerException extends RuntimeException {

    public EchoServerException(String message, Throwable cause) {
        super(message, cause);
    }
}
