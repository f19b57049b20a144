package io.stockline.app.query;

import java.time.Duration;

/** The answer to a query: the value, a definite "no such key", or "ask again shortly". */
public sealed interface Lookup<T> {

    record Found<T>(T value, String servedBy) implements Lookup<T> {
    }

    record NotFound<T>() implements Lookup<T> {
    }

    /** The store that owns the key cannot answer now (rebalance, restoring, owner unreachable). */
    record Unavailable<T>(String reason, Duration retryAfter) implements Lookup<T> {
    }
}
