package io.stockline.topology.model;

import io.stockline.topology.LedgerConfig;
import io.stockline.topology.LedgerHarness;

/**
 * The times a scenario and the model must agree on with the ledger under test: where the wall clock starts,
 * the default hold, the orphan grace, and the interval of the wall-clock punctuation that fires timers.
 */
public record Timing(long startMillis, long defaultHoldMillis, long orphanGraceMillis, long timerIntervalMillis) {

    /** The timing of a default {@link LedgerHarness}. */
    public static Timing ofHarness() {
        return new Timing(LedgerHarness.START.toEpochMilli(), LedgerHarness.HOLD.toMillis(),
                LedgerHarness.GRACE.toMillis(), LedgerConfig.DEFAULT_TIMER_INTERVAL.toMillis());
    }

    /** The first punctuation strictly after {@code now}: they fall every interval, counted from the start. */
    public long nextPunctuationAfter(final long now) {
        return startMillis + ((now - startMillis) / timerIntervalMillis + 1) * timerIntervalMillis;
    }
}
