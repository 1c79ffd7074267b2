package io.drover.server.registry;

/**
 * A refused registry request: the HTTP status and a message that says what is wrong, where, and what to do.
 * Sent as {@code {"status": 404, "error": "..."}}.
 */
final class RegistryProblem extends RuntimeException {

    private final int status;

    RegistryProblem(int status, String message) {
        super(message);
        this.status = status;
    }

    int status() {
        return status;
    }

    static RegistryProblem badRequest(String message) {
        return new RegistryProblem(400, message);
    }

    static RegistryProblem unknownService(String namespace, String name) {
        return new RegistryProblem(404, "service " + namespace + "/" + name + " does not exist; create it first "
                + "(a Service without a selector takes registered instances), or check the namespace and name");
    }
}
