package io.stockline.app.console;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The last minute of the ledger's outputs, one slot a second: outcomes by status, rollbacks by cause, dead
 * letters by code, stock alerts by kind, and a histogram of decision latencies. Plain arithmetic, no Kafka: the feed records into
 * it, the console reads series out of it. A slot is reused 60 seconds later, so memory does not grow.
 */
public final class LiveWindow {

    public static final int SECONDS = 60;
    /** Latency buckets grow by 5 %, so a percentile is read to within 5 %; 400 of them reach past an hour. */
    private static final double BUCKET_GROWTH = 1.05;
    private static final int BUCKETS = 400;

    private final Slot[] slots = new Slot[SECONDS];
    /** Where a count for a second the ring has already moved past goes: never read. */
    private final Slot discard = new Slot();

    public LiveWindow() {
        for (int i = 0; i < SECONDS; i++) {
            slots[i] = new Slot();
        }
    }

    public synchronized void outcome(final long second, final String status) {
        slot(second).outcomes.merge(status, 1L, Long::sum);
    }

    public synchronized void rollback(final long second, final String cause) {
        slot(second).rollbacks.merge(cause, 1L, Long::sum);
    }

    public synchronized void deadLetter(final long second, final String code) {
        slot(second).deadLetters.merge(code, 1L, Long::sum);
    }

    public synchronized void stockAlert(final long second, final String kind) {
        slot(second).stockAlerts.merge(kind, 1L, Long::sum);
    }

    /** A decision seen at {@code second}, {@code millis} after its order was placed (negative counts as 0). */
    public synchronized void latency(final long second, final long millis) {
        slot(second).latency[bucketOf(Math.max(0, millis))]++;
    }

    /** The {@link #SECONDS} whole seconds before {@code nowSecond}, oldest first; a second with no data is 0. */
    public synchronized Series series(final long nowSecond) {
        final long first = nowSecond - SECONDS;
        final List<Long> seconds = new ArrayList<>(SECONDS);
        final Map<String, List<Long>> outcomes = new TreeMap<>();
        final Map<String, List<Long>> rollbacks = new TreeMap<>();
        final Map<String, List<Long>> deadLetters = new TreeMap<>();
        final Map<String, List<Long>> stockAlerts = new TreeMap<>();
        final List<Long> p50 = new ArrayList<>(SECONDS);
        final List<Long> p99 = new ArrayList<>(SECONDS);
        for (int i = 0; i < SECONDS; i++) {
            final long second = first + i;
            final Slot slot = slots[index(second)];
            final boolean current = slot.second == second;
            seconds.add(second);
            addAt(outcomes, i, current ? slot.outcomes : Map.of());
            addAt(rollbacks, i, current ? slot.rollbacks : Map.of());
            addAt(deadLetters, i, current ? slot.deadLetters : Map.of());
            addAt(stockAlerts, i, current ? slot.stockAlerts : Map.of());
            p50.add(current ? percentile(slot.latency, 0.50) : null);
            p99.add(current ? percentile(slot.latency, 0.99) : null);
        }
        return new Series(seconds, outcomes, rollbacks, deadLetters, stockAlerts, p50, p99);
    }

    private Slot slot(final long second) {
        final Slot slot = slots[index(second)];
        if (slot.second < second) {
            slot.reset(second);
        }
        return slot.second == second ? slot : discard;
    }

    private static int index(final long second) {
        return (int) Math.floorMod(second, (long) SECONDS);
    }

    /** Puts each count at {@code i} of its key's series, creating a series of zeros for a key first seen. */
    private static void addAt(final Map<String, List<Long>> into, final int i, final Map<String, Long> counts) {
        counts.forEach((key, count) -> into.computeIfAbsent(key,
                k -> new ArrayList<>(Collections.nCopies(SECONDS, 0L))).set(i, count));
    }

    static int bucketOf(final long millis) {
        if (millis < 1) {
            return 0;
        }
        return (int) Math.min(BUCKETS - 1, 1 + Math.floor(Math.log(millis) / Math.log(BUCKET_GROWTH)));
    }

    /** The upper bound of a bucket: a percentile is never reported lower than it was. */
    static long upperBound(final int bucket) {
        return bucket == 0 ? 0 : (long) Math.ceil(Math.pow(BUCKET_GROWTH, bucket));
    }

    /** The percentile of a second's latencies in ms, or null when that second decided nothing. */
    private static Long percentile(final long[] histogram, final double quantile) {
        long total = 0;
        for (final long count : histogram) {
            total += count;
        }
        if (total == 0) {
            return null;
        }
        final long rank = (long) Math.ceil(quantile * total);
        long seen = 0;
        for (int bucket = 0; bucket < histogram.length; bucket++) {
            seen += histogram[bucket];
            if (seen >= rank) {
                return upperBound(bucket);
            }
        }
        return upperBound(histogram.length - 1);
    }

    /**
     * The window as series of {@link #SECONDS} points each, oldest first.
     *
     * @param seconds     the epoch second of each point
     * @param outcomes    outcomes a second, by status (only statuses seen in the window)
     * @param rollbacks   rollback records a second, by cause
     * @param deadLetters dead letters a second, by code
     * @param stockAlerts stock alerts a second, by kind
     * @param latencyP50  the median decision latency of each second in ms, null where nothing was decided
     * @param latencyP99  the 99th percentile likewise
     */
    public record Series(List<Long> seconds, Map<String, List<Long>> outcomes, Map<String, List<Long>> rollbacks,
                         Map<String, List<Long>> deadLetters, Map<String, List<Long>> stockAlerts,
                         List<Long> latencyP50, List<Long> latencyP99) {
    }

    /** One second's counts; reset when the ring comes round to it again. */
    private static final class Slot {
        private long second = Long.MIN_VALUE;
        private final Map<String, Long> outcomes = new TreeMap<>();
        private final Map<String, Long> rollbacks = new TreeMap<>();
        private final Map<String, Long> deadLetters = new TreeMap<>();
        private final Map<String, Long> stockAlerts = new TreeMap<>();
        private final long[] latency = new long[BUCKETS];

        private void reset(final long newSecond) {
            second = newSecond;
            outcomes.clear();
            rollbacks.clear();
            deadLetters.clear();
            stockAlerts.clear();
            Arrays.fill(latency, 0);
        }
    }
}
