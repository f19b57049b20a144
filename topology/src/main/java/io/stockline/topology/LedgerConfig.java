package io.stockline.topology;

import io.stockline.ledger.AllocationPolicy;
import io.stockline.ledger.DeductOn;
import io.stockline.ledger.Retention;
import java.time.Duration;
import java.util.Objects;

/**
 * What the ledger's rules need to know, and nothing about where it runs.
 *
 * @param defaultHold         how long an order's stock stays locked when the order names no hold
 * @param orphanGrace         how long a payment, cancellation or shipment waits for its order before it is a dead
 *                            letter
 * @param timerInterval       how often the wall-clock punctuator looks for due expiries and orphans
 * @param partitions          the partition count every topic the ledger reads shares: a key's partition
 *                            tells which task owns it, so a command for a key this task owns is applied
 *                            at once instead of going through a topic. Not a setting: the service reads
 *                            it from the topics, which must agree (see {@link LedgerTopics#coPartitioned()})
 * @param soldOutRecheck      how long a task rejects orders for a SKU whose owner last said it had nothing
 *                            available, before it lets one order ask the owner again
 * @param retention           how long a settled order and an applied adjustment id are remembered after their
 *                            last change; an event older than this is a dead letter (see {@link Retention})
 * @param deductOn            when a paid order's units leave stock on hand: at payment (as the ledger always did)
 *                            or at shipment
 * @param allocation          the locations the ledger knows, in the order it takes units from them, and whether
 *                            one line may take units from several
 */
public record LedgerConfig(Duration defaultHold, Duration orphanGrace, Duration timerInterval, int partitions,
                           Duration soldOutRecheck, Duration retention, DeductOn deductOn,
                           AllocationPolicy allocation) {

    public static final Duration DEFAULT_HOLD = Duration.ofMinutes(15);
    public static final Duration DEFAULT_ORPHAN_GRACE = Duration.ofMinutes(5);
    public static final Duration DEFAULT_TIMER_INTERVAL = Duration.ofMillis(250);
    public static final Duration DEFAULT_SOLD_OUT_RECHECK = Duration.ofMillis(100);
    /**
     * Longer than any window in which a shop still refunds or takes a late payment (the EU's 14-day withdrawal
     * period, a payment provider's retries), and short enough that a shop's daily orders times this stays a
     * store that restores in minutes.
     */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(30);

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
        if (partitions < 1) {
            throw new IllegalArgumentException("the partition count must be at least 1, got " + partitions);
        }
        Objects.requireNonNull(soldOutRecheck, "soldOutRecheck");
        if (soldOutRecheck.isNegative()) {
            throw new IllegalArgumentException("the sold-out recheck must not be negative, got " + soldOutRecheck);
        }
        Objects.requireNonNull(retention, "retention");
        if (retention.compareTo(defaultHold) <= 0 || retention.compareTo(orphanGrace) <= 0) {
            // Else an order could be forgotten, or its events refused as stale, while it still holds stock.
            throw new IllegalArgumentException("the order retention (" + retention + ") must be longer than the "
                    + "default hold (" + defaultHold + ") and the orphan grace (" + orphanGrace + ")");
        }
        Objects.requireNonNull(deductOn, "deductOn");
        Objects.requireNonNull(allocation, "allocation");
    }

    public LedgerConfig(final Duration defaultHold, final Duration orphanGrace, final Duration timerInterval,
                        final int partitions, final Duration soldOutRecheck, final Duration retention,
                        final DeductOn deductOn) {
        this(defaultHold, orphanGrace, timerInterval, partitions, soldOutRecheck, retention, deductOn,
                AllocationPolicy.DEFAULT);
    }

    /** The rules' settings on one partition; {@link #withPartitions} sets the topics' real count. */
    public LedgerConfig(final Duration defaultHold, final Duration orphanGrace, final Duration timerInterval) {
        this(defaultHold, orphanGrace, timerInterval, 1, DEFAULT_SOLD_OUT_RECHECK, DEFAULT_RETENTION,
                DeductOn.PAYMENT);
    }

    public static LedgerConfig defaults() {
        return new LedgerConfig(DEFAULT_HOLD, DEFAULT_ORPHAN_GRACE, DEFAULT_TIMER_INTERVAL);
    }

    public LedgerConfig withPartitions(final int count) {
        return new LedgerConfig(defaultHold, orphanGrace, timerInterval, count, soldOutRecheck, retention,
                deductOn, allocation);
    }

    public LedgerConfig withSoldOutRecheck(final Duration recheck) {
        return new LedgerConfig(defaultHold, orphanGrace, timerInterval, partitions, recheck, retention,
                deductOn, allocation);
    }

    public LedgerConfig withRetention(final Duration keep) {
        return new LedgerConfig(defaultHold, orphanGrace, timerInterval, partitions, soldOutRecheck, keep,
                deductOn, allocation);
    }

    public LedgerConfig withAllocation(final AllocationPolicy policy) {
        return new LedgerConfig(defaultHold, orphanGrace, timerInterval, partitions, soldOutRecheck, retention,
                deductOn, policy);
    }

    public LedgerConfig withDeductOn(final DeductOn when) {
        return new LedgerConfig(defaultHold, orphanGrace, timerInterval, partitions, soldOutRecheck, retention,
                when, allocation);
    }
}
