package io.stockline.ledger;

/**
 * Where an input event came from, kept with it so that a later refusal can still name the original
 * record and carry its bytes untouched.
 */
public record Origin(String topic, int partition, long offset, String key, byte[] payload) {
}
