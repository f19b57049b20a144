package io.stockline.bench;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * The measured phase second by second: how many orders were decided in each second after the first measured order was
 * sent, and their latency percentiles. One histogram is reused for the second being filled, so a long run costs a
 * few numbers per second, not a histogram per second. Not thread-safe: {@link OutcomeLog} calls it under its lock.
 */
final class Timeline {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final double P50 = 50;
    private static final double P99 = 99;

    /**
     * One second of the measured phase.
     *
     * @param second    seconds since the first measured order was sent
     * @param decisions orders decided in it
     * @param p50Ms     their median latency in milliseconds; null in a second without decisions
     * @param p99Ms     their 99th percentile; null in a second without decisions
     */
    record Second(int second, long decisions, Double p50Ms, Double p99Ms) {
    }

    private final List<Second> closed = new ArrayList<>();
    private final Histogram current;
    private int currentSecond;
    private long decisionsNow;

    Timeline(final long highestMicros) {
        current = new Histogram(highestMicros, 3);
    }

    /**
     * A decision at {@code nowNanos} of an order whose latency was {@code micros} (negative: not timed). One that
     * reaches the lock after a later one, by a few microseconds across a second's end, counts in the later second.
     */
    void decided(final long startNanos, final long nowNanos, final long micros) {
        final int second = (int) Math.max(0, (nowNanos - startNanos) / NANOS_PER_SECOND);
        while (currentSecond < second) {
            closed.add(close(currentSecond++));
        }
        if (micros >= 0) {
            current.recordValue(micros);
        }
        decisionsNow++;
    }

    /** Every second so far, the one being filled last (it may be a partial second). */
    List<Second> seconds() {
        final List<Second> all = new ArrayList<>(closed);
        if (decisionsNow > 0 || !closed.isEmpty()) {
            all.add(snapshot(currentSecond));
        }
        return all;
    }

    private Second close(final int second) {
        final Second done = snapshot(second);
        current.reset();
        decisionsNow = 0;
        return done;
    }

    private Second snapshot(final int second) {
        final boolean timed = current.getTotalCount() > 0;
        return new Second(second, decisionsNow, timed ? ms(current.getValueAtPercentile(P50)) : null,
                timed ? ms(current.getValueAtPercentile(P99)) : null);
    }

    private static double ms(final long micros) {
        return Math.round(micros / 10.0) / 100.0;
    }
}
