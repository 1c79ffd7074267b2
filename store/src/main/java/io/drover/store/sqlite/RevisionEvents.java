package io.drover.store.sqlite;

import io.drover.store.WatchEvent;
import java.util.List;

/** The changes made by one transaction: what a watcher receives in one onEvents call. */
record RevisionEvents(long revision, List<WatchEvent> events) {}
