package io.drover.api;

import io.drover.model.Resource;
import java.util.List;

/** Objects read at one store revision; watching from {@code resourceVersion} misses nothing after the list. */
public record ResourceList<T extends Resource>(List<T> items, long resourceVersion) {}
