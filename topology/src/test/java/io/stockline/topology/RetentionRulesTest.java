package io.stockline.topology;

import static io.stockline.topology.LedgerHarness.line;
import static io.stockline.topology.LedgerHarness.order;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stockline.ledger.OrderStatus;
import io.stockline.schemas.DeadLetter;
import io.stockline.schemas.DeadLetterCode;
import io.stockline.schemas.OrderPlaced;
import io.stockline.schemas.PaymentOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The retention rules through the whole topology: what is forgotten, when, and what a late redelivery does. */
class RetentionRulesTest {

    static final Duration RETENTION = Duration.ofHours(1);
    /** Past the retention and one sweep pass (half the retention) later: everything settled is gone. */
    static final Duration FORGOTTEN = RETENTION.plus(RETENTION.dividedBy(2)).plusSeconds(1);

    final LedgerHarness ledger = new LedgerHarness(
            LedgerHarness.config(LedgerHarness.PARTITIONS).withRetention(RETENTION));

    @AfterEach
    void close() {
        ledger.close();
    }

    @Test
    void settledOrderIsForgottenWithATombstoneAndItsLateRedeliveryIsAStaleDeadLetter() {
        ledger.adjust("a1", "A", 10);
        final OrderPlaced placed = order("o1", "o1-placed", ledger.now(), null, line("A", 4));
        ledger.place(placed);
        ledger.pay("p1", "o1", PaymentOutcome.CAPTURED);
        ledger.outcomes();
        ledger.changelog(LedgerStores.ORDERS);

        ledger.advance(FORGOTTEN);

        assertNull(ledger.order("o1"));
        assertEquals(List.of(new KeyValue<String, byte[]>("o1", null)).toString(),
                ledger.changelog(LedgerStores.ORDERS).toString(), "one tombstone in the orders changelog");
        assertEquals(1.0, ledger.counterTotal(LedgerMetrics.FORGOTTEN, "store", LedgerStores.ORDERS));

        ledger.stockMovements();
        ledger.place(placed);

        assertTrue(ledger.outcomes().isEmpty(), "no outcome for the redelivery");
        assertStale(single(ledger.deadLetters()), "o1-placed");
        assertNull(ledger.order("o1"), "the redelivery leaves no state behind");
        assertEquals(6, ledger.level("A").available(), "the redelivery reserves nothing");
        assertTrue(ledger.stockMovements().isEmpty(), "no stock movement");
    }

    @Test
    void staleEventIsRefusedEvenBeforeTheSweepReachesItsOrder() {
        ledger.adjust("a1", "A", 10);
        ledger.place("o1", line("A", 4));
        final Instant paidAt = ledger.now();
        ledger.pay("p1", "o1", PaymentOutcome.CAPTURED);
        ledger.outcomes();

        // A payment whose own time is past the retention, though the order itself changed only just now.
        ledger.pay("p2", "o1", PaymentOutcome.REFUNDED, paidAt.minus(RETENTION));

        assertTrue(ledger.outcomes().isEmpty());
        assertStale(single(ledger.deadLetters()), "p2");
        assertEquals(OrderStatus.CONFIRMED, ledger.order("o1").status());
        assertEquals(6, ledger.level("A").onHand(), "the refund was not applied");
    }

    @Test
    void orderIsKeptForTheRetentionAfterItsLastChange() {
        ledger.adjust("a1", "A", 10);
        ledger.place(order("o1", "o1-placed", ledger.now(), RETENTION.multipliedBy(2).toMillis(), line("A", 4)));
        ledger.advance(RETENTION.minusMinutes(1));
        ledger.pay("p1", "o1", PaymentOutcome.CAPTURED);
        assertEquals(OrderStatus.CONFIRMED, ledger.order("o1").status());

        ledger.advance(RETENTION.minusMinutes(1));

        assertNotNull(ledger.order("o1"), "last changed less than the retention ago");
        ledger.advance(FORGOTTEN);
        assertNull(ledger.order("o1"));
    }

    @Test
    void appliedAdjustmentIdIsForgottenAndItsLateRedeliveryIsAStaleDeadLetter() {
        final Instant at = ledger.now();
        ledger.adjust("a1", "A", 10, at);
        assertEquals(1, count(ledger.appliedAdjustments()));

        ledger.advance(FORGOTTEN);
        assertEquals(0, count(ledger.appliedAdjustments()));
        ledger.adjust("a1", "A", 10, at);

        assertStale(single(ledger.deadLetters()), "a1");
        assertEquals(10, ledger.level("A").onHand(), "applied once");
        assertEquals(1, ledger.level("A").version());
    }

    @Test
    void reservedOrderIsNeverForgottenUntilItIsSettled() {
        ledger.adjust("a1", "A", 10);
        ledger.place(order("o1", "o1-placed", ledger.now(), RETENTION.multipliedBy(3).toMillis(), line("A", 4)));

        ledger.advance(FORGOTTEN);

        assertEquals(OrderStatus.RESERVED, ledger.order("o1").status());
        assertEquals(4, ledger.level("A").locked());
    }

    @Test
    void orphanedEventsAreForgottenOnceTheirDeadLettersAreOut() {
        ledger.pay("p1", "nobody", PaymentOutcome.CAPTURED);
        ledger.advance(LedgerHarness.GRACE.plusSeconds(1));
        assertEquals(DeadLetterCode.ORPHAN_EVENT, single(ledger.deadLetters()).getCode());
        assertNotNull(ledger.order("nobody"), "remembers p1 was seen");

        ledger.advance(FORGOTTEN);

        assertNull(ledger.order("nobody"));
    }

    @Test
    void aLargeStoreIsSweptASliceASecondAndEveryOrderIsReachedOnce() {
        final int orders = RetentionSweep.MIN_SLICE * 2 + RetentionSweep.MIN_SLICE / 2;
        for (int i = 0; i < orders; i++) {
            ledger.place("o" + i, line("NONE", 1));
        }
        assertEquals(orders, ledger.outcomes().size(), "every order rejected, so settled");

        ledger.advance(FORGOTTEN);
        assertEquals(orders - RetentionSweep.MIN_SLICE, count(ledger.orderStore()), "one slice");
        ledger.advance(LedgerProcessorSupplier.SWEEP_INTERVAL);
        ledger.advance(LedgerProcessorSupplier.SWEEP_INTERVAL);

        assertEquals(0, count(ledger.orderStore()));
        assertEquals(orders, ledger.counterTotal(LedgerMetrics.FORGOTTEN, "store", LedgerStores.ORDERS));
    }

    private static void assertStale(final DeadLetter deadLetter, final String eventId) {
        assertEquals(DeadLetterCode.STALE_EVENT, deadLetter.getCode());
        assertTrue(deadLetter.getMessage().contains("event " + eventId + " "), deadLetter.getMessage());
        assertTrue(deadLetter.getMessage().contains("older than the retention"), deadLetter.getMessage());
    }

    private static long count(final org.apache.kafka.streams.state.KeyValueStore<String, ?> store) {
        try (var all = store.all()) {
            long n = 0;
            while (all.hasNext()) {
                Objects.requireNonNull(all.next());
                n++;
            }
            return n;
        }
    }

    private static <T> T single(final List<T> values) {
        assertEquals(1, values.size(), values::toString);
        return values.get(0);
    }
}
