package io.drover.cli.apply;

import io.drover.model.Resource;

/** What apply does with one object once it has read the server's copy. */
public sealed interface ApplyAction {

    /** Not on the server: POST it. */
    record Create(Resource object) implements ApplyAction {}

    /** On the server with another spec, labels or annotations: PUT this (carrying the server's resourceVersion). */
    record Replace(Resource object) implements ApplyAction {}

    /** On the server as written: nothing to send. */
    record Unchanged() implements ApplyAction {}
}
