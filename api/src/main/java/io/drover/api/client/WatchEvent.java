package io.drover.api.client;

import io.drover.model.Resource;

/** One change delivered by a watch: the object after the change (as it was, for DELETED). */
public record WatchEvent(Type type, Resource object) {

    public enum Type { ADDED, MODIFIED, DELETED }
}
