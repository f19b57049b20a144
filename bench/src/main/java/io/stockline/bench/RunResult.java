package io.stockline.bench;

import java.util.List;
import java.util.Map;

/**
 * One engine's run, as printed and written to {@code bench-results/}.
 *
 * @param engine          the engine's name
 * @param status          {@code passed}, {@code FAILED} or {@code skipped}
 * @param note            why it was skipped or failed; empty otherwise
 * @param orders          orders sent
 * @param decided         orders that got a decision
 * @param reserved        of those, how many were reserved
 * @param lines           order lines of the decided orders past the warm-up
 * @param seconds         from the first order past the warm-up sent to the last of them decided
 * @param ordersPerSecond decided orders past the warm-up / seconds
 * @param steadyOrdersPerSecond decisions per second from the 10th to the 90th percent of orders decided
 * @param linesPerSecond  lines / seconds
 * @param targetRate      the open-loop rate asked for, orders/s; 0 = as fast as it goes
 * @param sendRate        the rate orders were actually sent at
 * @param latencyMs       send (or, open loop, its scheduled time) to decision, in milliseconds
 * @param usage           CPU and memory over the measured phase
 * @param loadBefore      /proc/loadavg before the run
 * @param loadAfter       /proc/loadavg after it
 * @param settleSeconds   how long after the last outcome the levels took to reach the reference
 * @param checks          the end-of-run checks
 * @param settings        how the engine was set up
 * @param timeline        the measured phase second by second: decisions and latency percentiles
 */
record RunResult(String engine, String status, String note, long orders, long decided, long reserved, long lines,
                 double seconds, double ordersPerSecond, double steadyOrdersPerSecond, double linesPerSecond, double targetRate, double sendRate,
                 Latency latencyMs, Usage usage, String loadBefore, String loadAfter, double settleSeconds,
                 List<Check> checks, Map<String, Object> settings, List<Timeline.Second> timeline) {

    static final String PASSED = "passed";
    static final String FAILED = "FAILED";
    static final String SKIPPED = "skipped";

    /**
     * Latency percentiles in milliseconds.
     *
     * @param count how many decisions were timed
     */
    record Latency(double p50, double p99, double p999, double max, long count) {
    }

    static RunResult skipped(final String engine, final String why) {
        return new RunResult(engine, SKIPPED, why, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, null, null, "", "", 0, List.of(),
                Map.of(), List.of());
    }

    boolean failed() {
        return FAILED.equals(status);
    }

    boolean ran() {
        return !SKIPPED.equals(status);
    }
}
