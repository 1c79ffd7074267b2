package io.drover.store;

import java.util.List;

/**
 * @param succeeded whether the compares held (so the success ops ran)
 * @param revision  the store revision after the transaction
 * @param results   one entry per executed op: for a Get the key (null when absent); for a Put the new
 *                  key-value; for a Delete the deleted key-value (null when absent); for a DeletePrefix null
 */
public record TxnResult(boolean succeeded, long revision, List<KeyValue> results) {}
