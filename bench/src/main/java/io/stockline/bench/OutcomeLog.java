package io.stockline.bench;

import io.stockline.schemas.OrderStatus;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.concurrent.atomic.AtomicLongArray;
import org.HdrHistogram.Histogram;

/**
 * What an engine said about every order, as it said it: the decision (RESERVED, REJECTED, or CANCELLED
 * when a cancellation overtook the order), each later outcome, and the latency from send to decision.
 * Engines call {@link #record} from any thread; the driver waits on {@link #awaitComplete}.
 *
 * <p>The first {@code warmup} orders are sent, decided and checked like any other, but left out of the
 * throughput and latency figures: they pay for the JIT compiler and the first transactions.
 *
 * <p>An order is complete once it has had as many outcomes as its decision and intention call for
 * ({@link Scenario#expectedOutcomes}). After a RESERVED decision each outcome must be the one the order's
 * next step calls for ({@link Scenario#expectedStatus}: after RESERVED only AMENDED, CONFIRMED, CANCELLED
 * or EXPIRED, after CONFIRMED only SHIPPED, PARTIALLY_REFUNDED or REFUNDED, SHIPPED only when the ledger
 * deducts on shipment...); after any other decision there is no further outcome. One that breaks this is
 * kept as an anomaly.
 */
final class OutcomeLog {

    private static final OrderStatus[] STATUSES = OrderStatus.values();
    private static final int MAX_ANOMALIES_KEPT = 20;
    private static final long HIGHEST_MICROS = TimeUnit.HOURS.toMicros(1);

    private final Scenario scenario;
    private final int warmup;
    private final AtomicLongArray sentNanos;
    private final byte[] decision;
    private final byte[] last;
    private final byte[] outcomes;
    private final BitSet rejectedLate = new BitSet();
    private final Histogram latencyMicros = new Histogram(HIGHEST_MICROS, 3);
    private final Timeline timeline = new Timeline(HIGHEST_MICROS);
    private final List<String> anomalies = new ArrayList<>();
    private long anomalyCount;
    private long decided;
    private long measured;
    private long measuredLines;
    private long complete;
    private long refusals;
    private long firstSendNanos = Long.MAX_VALUE;
    private long lastDecisionNanos;
    private long lastOutcomeNanos;
    private long recorded;
    private long decidedWanted = Long.MAX_VALUE;
    private long tenthDecidedNanos;
    private long ninetiethDecidedNanos;

    OutcomeLog(final Scenario scenario, final int warmup) {
        this.scenario = scenario;
        this.warmup = Math.min(warmup, scenario.orderCount() - 1);
        final int n = scenario.orderCount();
        sentNanos = new AtomicLongArray(n);
        decision = new byte[n];
        last = new byte[n];
        outcomes = new byte[n];
    }

    Scenario scenario() {
        return scenario;
    }

    /**
     * The order was sent; its latency counts from {@code startNanos} (the scheduled time in an open-loop
     * run, so a driver that falls behind does not hide the wait).
     */
    void sent(final int order, final long startNanos) {
        sentNanos.set(order, startNanos);
        if (order < warmup) {
            return;
        }
        synchronized (this) {
            if (startNanos < firstSendNanos) {
                firstSendNanos = startNanos;
            }
        }
    }

    /**
     * One outcome of one order.
     *
     * @param late for a REJECTED decision: the hold deadline had passed on arrival, not a shortage
     */
    synchronized void record(final int order, final OrderStatus status, final boolean late, final long nowNanos) {
        lastOutcomeNanos = nowNanos;
        recorded++;
        final int seen = outcomes[order];
        outcomes[order] = (byte) Math.min(seen + 1, Byte.MAX_VALUE);
        if (seen == 0) {
            decide(order, status, late, nowNanos);
        } else if (status != expectedAfterDecision(order, seen)) {
            anomaly("order " + scenario.orderId(order) + " (" + scenario.intention(order) + "): " + status + " after "
                    + STATUSES[last[order] - 1] + ", expected " + expectedAfterDecision(order, seen));
        }
        last[order] = (byte) (status.ordinal() + 1);
        final int expected = scenario.expectedOutcomes(order, STATUSES[decision[order] - 1]);
        if (seen + 1 == expected) {
            complete++;
            if (complete == scenario.orderCount()) {
                notifyAll();
            }
        } else if (seen + 1 > expected) {
            anomaly("order " + scenario.orderId(order) + ": outcome " + (seen + 1) + " (" + status
                    + ") where " + expected + " were due");
        }
    }

    private void decide(final int order, final OrderStatus status, final boolean late, final long nowNanos) {
        if (status != OrderStatus.RESERVED && status != OrderStatus.REJECTED && status != OrderStatus.CANCELLED) {
            anomaly("order " + scenario.orderId(order) + ": first outcome " + status);
        }
        if (status == OrderStatus.CANCELLED && scenario.intention(order) != Intention.CANCEL) {
            anomaly("order " + scenario.orderId(order) + ": cancelled before it was decided, but nobody cancelled it");
        }
        decision[order] = (byte) (status.ordinal() + 1);
        if (late) {
            rejectedLate.set(order);
        }
        decided++;
        if (decided >= decidedWanted) {
            notifyAll();
        }
        if (order < warmup) {
            return;
        }
        measured++;
        measuredLines += scenario.lineCount(order);
        lastDecisionNanos = nowNanos;
        if (measured == Math.max(1, measuredOrders() / 10)) {
            tenthDecidedNanos = nowNanos;
        }
        if (measured == Math.max(1, measuredOrders() * 9L / 10)) {
            ninetiethDecidedNanos = nowNanos;
        }
        final long sent = sentNanos.get(order);
        final long micros = sent == 0 ? -1 : Math.min(HIGHEST_MICROS, Math.max(0, (nowNanos - sent) / 1_000));
        if (micros >= 0) {
            latencyMicros.recordValue(micros);
        }
        timeline.decided(firstSendNanos, nowNanos, micros);
    }

    /** The status outcome number {@code step} of a decided order must have; null when none may come. */
    private OrderStatus expectedAfterDecision(final int order, final int step) {
        return STATUSES[decision[order] - 1] == OrderStatus.RESERVED ? scenario.expectedStatus(order, step) : null;
    }

    /** A follow-up the engine turned down (a payment for an order it had rejected, say): not an outcome. */
    synchronized void refused() {
        refusals++;
    }

    private void anomaly(final String what) {
        anomalyCount++;
        if (anomalies.size() < MAX_ANOMALIES_KEPT) {
            anomalies.add(what);
        }
    }

    /**
     * Waits until every order is complete, or until no outcome has come for {@code quietNanos}.
     *
     * @return whether every order is complete
     */
    synchronized boolean awaitComplete(final long quietNanos) throws InterruptedException {
        return awaitUntil(() -> complete >= scenario.orderCount(), quietNanos);
    }

    /**
     * Waits until at least {@code count} orders are decided, or until no outcome has come for {@code quietNanos}.
     *
     * @return whether that many are decided
     */
    synchronized boolean awaitDecided(final long count, final long quietNanos) throws InterruptedException {
        decidedWanted = count;
        try {
            return awaitUntil(() -> decided >= count, quietNanos);
        } finally {
            decidedWanted = Long.MAX_VALUE;
        }
    }

    /** Waits, holding this log's monitor, until {@code done} holds or no outcome has come for {@code quietNanos}. */
    private boolean awaitUntil(final BooleanSupplier done, final long quietNanos) throws InterruptedException {
        long lastSeen = lastOutcomeNanos;
        long quietSince = System.nanoTime();
        while (!done.getAsBoolean()) {
            final long now = System.nanoTime();
            if (lastOutcomeNanos != lastSeen) {
                lastSeen = lastOutcomeNanos;
                quietSince = now;
            }
            final long left = quietSince + quietNanos - now;
            if (left <= 0) {
                return false;
            }
            TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
        }
        return true;
    }

    synchronized long decided() {
        return decided;
    }

    /** Orders past the warm-up: the ones the figures are about. */
    long measuredOrders() {
        return scenario.orderCount() - warmup;
    }

    /** Decided orders past the warm-up. */
    synchronized long measured() {
        return measured;
    }

    /** Lines of the decided orders past the warm-up. */
    synchronized long measuredLines() {
        return measuredLines;
    }

    synchronized long complete() {
        return complete;
    }

    synchronized long refusals() {
        return refusals;
    }

    synchronized long anomalyCount() {
        return anomalyCount;
    }

    synchronized List<String> anomalies() {
        return List.copyOf(anomalies);
    }

    /** When the first order past the warm-up was sent. */
    synchronized long firstSendNanos() {
        return firstSendNanos;
    }

    /** When the last order past the warm-up was decided. */
    synchronized long lastDecisionNanos() {
        return lastDecisionNanos;
    }

    /**
     * Decisions per second between the 10th and the 90th percent of orders decided: the rate once the JIT
     * has warmed up and before the tail drains; 0 when the run is too small to tell.
     */
    synchronized double steadyDecisionsPerSecond() {
        final long orders = measuredOrders() * 9L / 10 - Math.max(1, measuredOrders() / 10);
        final long nanos = ninetiethDecidedNanos - tenthDecidedNanos;
        return orders <= 0 || nanos <= 0 ? 0 : orders / (nanos / 1e9);
    }

    /** The decision, or null while the order is undecided. */
    synchronized OrderStatus decision(final int order) {
        return decision[order] == 0 ? null : STATUSES[decision[order] - 1];
    }

    /** The latest outcome, or null while the order has none. */
    synchronized OrderStatus lastStatus(final int order) {
        return last[order] == 0 ? null : STATUSES[last[order] - 1];
    }

    synchronized int outcomeCount(final int order) {
        return outcomes[order];
    }

    /** Whether the order has had {@code count} outcomes, or is decided and can have no more. */
    synchronized boolean reached(final int order, final int count) {
        if (outcomes[order] >= count) {
            return true;
        }
        return last[order] != 0 && switch (STATUSES[last[order] - 1]) {
            case REJECTED, CANCELLED, EXPIRED, REFUNDED -> true;
            default -> false;
        };
    }

    /** How many outcomes have come so far. */
    synchronized long recorded() {
        return recorded;
    }

    synchronized boolean rejectedLate(final int order) {
        return rejectedLate.get(order);
    }

    /** The measured phase so far, second by second. */
    synchronized List<Timeline.Second> timeline() {
        return timeline.seconds();
    }

    /** A copy of the decision latencies so far, in microseconds. */
    synchronized Histogram latencies() {
        return latencyMicros.copy();
    }
}
