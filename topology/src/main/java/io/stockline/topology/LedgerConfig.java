package io.stockline.topology;

import java.time.Duration;
import java.util.Objects;

/**
 * What the ledger's rules need to know, and nothing about where it runs.
 *
 * @param defaultHold         how long an order's stock stays locked when the order names no hold
 * @param orphanGrace         how long a payment or cancellation waits for its order before it is a dead letter
 * @param timerInterval       how often the wall-clock punctuator looks for due expiries and orphans
 */
public record LedgerConfig(Duration defaultHold, Duration orphanGrace, Duration timerInterval) {

    public static final Duration DEFAULT_HOLD = Duration.ofMinutes(15);
    public static final Duration DEFAULT_ORPHAN_GRACE = Duration.ofMinutes(5);
    public static final Duration DEFAULT_TIMER_INTERVAL = Duration.ofMillis(250);

    public LedgerConfig {
        Objects.requireNonNull(defaultHold, "defaultHold");
        Objects.requireNonNull(orphanGrace, "orphanGrace");
        Objects.requireNonNull(timerInterval, "timerInterval");
        if (defaultHold.isNegative() || defaultHold.isZero()) {
            throw new IllegalArgumentException("the default hold must be positive, got " + defaultHold);
        }
        if (orphanGrace.isNegative()) {
            throw new IllegalArgumentException("the orphan grace must not be negative, got " + orphanGrace);
        }
        if (timerInterval.isNegative() || timerInterval.isZero()) {
            throw new IllegalArgumentException("the timer interval must be positive, got " + timerInterval);
        }
    }

    public static LedgerConfig defaults() {
        return new LedgerConfig(DEFAULT_HOLD, DEFAULT_ORPHAN_GRACE, DEFAULT_TIMER_INTERVAL);
    }
}
