package io.drover.store;

import java.util.List;

/** Keys in key order, read at one consistent revision: watch from {@code revision + 1} to miss nothing. */
public record RangeResult(List<KeyValue> kvs, long revision) {}
