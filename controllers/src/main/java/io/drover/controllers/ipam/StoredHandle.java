package io.drover.controllers.ipam;

/**
 * A handle as the store holds it, with the revision it was last written at: how old an allocation is, in store
 * terms (see {@link io.drover.controllers.gc.IpamGarbageCollector}).
 */
public record StoredHandle(HandleRecord record, long modRevision) {}
