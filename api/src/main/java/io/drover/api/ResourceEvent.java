package io.drover.api;

import io.drover.model.Resource;

/** A change seen by a watch: the object after the change (before it, for DELETED). */
public record ResourceEvent(Type type, Resource object, long revision) {

    public enum Type { ADDED, MODIFIED, DELETED }
}
