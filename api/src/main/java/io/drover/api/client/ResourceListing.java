package io.drover.api.client;

import io.drover.model.Resource;
import java.util.List;

/** The objects of a list response and the resourceVersion to watch from. */
public record ResourceListing(List<Resource> items, String resourceVersion) {

    public ResourceListing {
        items = List.copyOf(items);
        resourceVersion = resourceVersion == null ? "" : resourceVersion;
    }
}
