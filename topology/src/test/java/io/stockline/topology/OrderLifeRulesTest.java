package io.stockline.topology;

import static io.stockline.topology.LedgerHarness.line;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.stockline.ledger.DeductOn;
import io.stockline.schemas.DeadLetter;
import io.stockline.schemas.DeadLetterCode;
import io.stockline.schemas.OrderOutcome;
import io.stockline.schemas.OrderStatus;
import io.stockline.schemas.PaymentOutcome;
import io.stockline.schemas.RollbackCause;
import io.stockline.schemas.StockRollback;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The README's rows for per-line cancellations, shipments and per-line refunds that {@link PerLineEventsTopologyTest}
 * does not show, one test a row, through the whole topology: on one partition, and on six, where the order's SKUs
 * may live in another task.
 */
class OrderLifeRulesTest {

    @ParameterizedTest(name = "{0} partition(s)")
    @ValueSource(ints = {1, LedgerHarness.PARTITIONS})
    void cancellingEveryUnitStillReservedByLinesCancelsTheOrder(final int partitions) {
        try (LedgerHarness ledger = new LedgerHarness(LedgerHarness.config(partitions))) {
            ledger.adjust("a1", "A", 10);
            ledger.place("o1", line("A", 3));
            ledger.cancel("c1", "o1", "one less", line("A", 1));

            ledger.cancel("c2", "o1", "none after all", line("A", 2));

            assertEquals(List.of(OrderStatus.RESERVED, OrderStatus.AMENDED, OrderStatus.CANCELLED), statuses(ledger));
            assertEquals(List.of(10L, 10L, 0L), levels(ledger, "A"));
            final List<StockRollback> rollbacks = ledger.rollbacks();
            assertEquals(List.of(1L, 2L), rollbacks.stream().map(StockRollback::getQuantity).toList());
            assertNotEquals(rollbacks.get(0).getRollbackId(), rollbacks.get(1).getRollbackId(),
                    "two releases of one SKU for one cause, each with its own id");
        }
    }

    @ParameterizedTest(name = "{0} partition(s)")
    @ValueSource(ints = {1, LedgerHarness.PARTITIONS})
    void anAmendedOrderPaidTakesOnlyWhatItStillHoldsOffTheShelf(final int partitions) {
        try (LedgerHarness ledger = new LedgerHarness(LedgerHarness.config(partitions))) {
            ledger.adjust("a1", "A", 10);
            ledger.adjust("a2", "B", 10);
            ledger.place("o1", line("A", 3), line("B", 2));
            ledger.cancel("c1", "o1", "no B", line("B", 2));

            ledger.pay("p1", "o1", PaymentOutcome.CAPTURED);

            final OrderOutcome confirmed = last(ledger.outcomes());
            assertEquals(OrderStatus.CONFIRMED, confirmed.getStatus());
            assertEquals(List.of(line("A", 3)), confirmed.getLines());
            assertEquals(List.of(7L, 7L, 0L), levels(ledger, "A"));
            assertEquals(List.of(10L, 10L, 0L), levels(ledger, "B"));
        }
    }

    @ParameterizedTest(name = "{0} partition(s)")
    @ValueSource(ints = {1, LedgerHarness.PARTITIONS})
    void anAmendedOrderNotPaidInTimeReleasesWhatItStillHolds(final int partitions) {
        try (LedgerHarness ledger = new LedgerHarness(LedgerHarness.config(partitions))) {
            ledger.adjust("a1", "A", 10);
            ledger.place("o1", line("A", 3));
            ledger.cancel("c1", "o1", "one less", line("A", 1));

            ledger.advance(LedgerHarness.HOLD.plus(Duration.ofSeconds(1)));

            final OrderOutcome expired = last(ledger.outcomes());
            assertEquals(OrderStatus.EXPIRED, expired.getStatus());
            assertEquals(List.of(line("A", 3)), expired.getLines(), "an order that ends holding nothing: as placed");
            assertEquals(List.of(RollbackCause.CANCELLED, RollbackCause.EXPIRED),
                    ledger.rollbacks().stream().map(StockRollback::getCause).toList());
            assertEquals(List.of(10L, 10L, 0L), levels(ledger, "A"));
        }
    }

    @ParameterizedTest(name = "{0} partition(s)")
    @ValueSource(ints = {1, LedgerHarness.PARTITIONS})
    void aCancellationNamingLinesThatArrivesBeforeItsOrderAmendsItOnceReserved(final int partitions) {
        try (LedgerHarness ledger = new LedgerHarness(LedgerHarness.config(partitions))) {
            ledger.adjust("a1", "A", 10);
            ledger.cancel("c1", "o1", "one less", line("A", 1));

            ledger.place("o1", line("A", 3));

            assertEquals(List.of(OrderStatus.RESERVED, OrderStatus.AMENDED), statuses(ledger));
            assertEquals(List.of(10L, 8L, 2L), levels(ledger, "A"));
        }
    }

    @ParameterizedTest(name = "{0} partition(s)")
    @ValueSource(ints = {1, LedgerHarness.PARTITIONS})
    void deductingOnShipmentARefundBeforeShipmentReleasesTheAllocatedUnits(final int partitions) {
        try (LedgerHarness ledger = new LedgerHarness(
                LedgerHarness.config(partitions).withDeductOn(DeductOn.SHIPMENT))) {
            ledger.adjust("a1", "A", 10);
            ledger.place("o1", line("A", 3));
            ledger.pay("p1", "o1", PaymentOutcome.CAPTURED);
            final List<Long> paid = levels(ledger, "A");

            ledger.refund("r1", "o1", true, line("A", 1));
            final List<Long> afterOne = levels(ledger, "A");
            ledger.pay("r2", "o1", PaymentOutcome.REFUNDED);

            assertEquals(List.of(10L, 7L, 3L), paid, "paid, still on hand and allocated");
            assertEquals(List.of(10L, 8L, 2L), afterOne);
            assertEquals(List.of(10L, 10L, 0L), levels(ledger, "A"));
            final List<OrderOutcome> outcomes = ledger.outcomes();
            assertEquals(List.of(OrderStatus.RESERVED, OrderStatus.CONFIRMED, OrderStatus.PARTIALLY_REFUNDED,
                    OrderStatus.REFUNDED), outcomes.stream().map(OrderOutcome::getStatus).toList());
            assertEquals(List.of(line("A", 2)), outcomes.get(2).getLines(), "what the order still has");
            assertEquals(List.of(line("A", 3)), last(outcomes).getLines(), "refunded, the order holds nothing: as placed");
            assertEquals(List.of(RollbackCause.REFUNDED, RollbackCause.REFUNDED),
                    ledger.rollbacks().stream().map(StockRollback::getCause).toList());
        }
    }

    @ParameterizedTest(name = "{0} partition(s)")
    @ValueSource(ints = {1, LedgerHarness.PARTITIONS})
    void deductingOnShipmentARefundAfterAPartialShipmentReleasesTheRestAndTakesBackTheShipped(final int partitions) {
        try (LedgerHarness ledger = new LedgerHarness(
                LedgerHarness.config(partitions).withDeductOn(DeductOn.SHIPMENT))) {
            ledger.adjust("a1", "A", 10);
            ledger.place("o1", line("A", 3));
            ledger.pay("p1", "o1", PaymentOutcome.CAPTURED);
            ledger.ship("s1", "o1", line("A", 2));
            final OrderOutcome shipped = last(ledger.outcomes());

            ledger.pay("r1", "o1", PaymentOutcome.REFUNDED);

            assertEquals("still to ship: 1 x A", shipped.getReason());
            assertEquals(OrderStatus.REFUNDED, last(ledger.outcomes()).getStatus());
            assertEquals(List.of(10L, 10L, 0L), levels(ledger, "A"), "one released, two back on hand");
            assertEquals(List.of(1L, 2L), ledger.rollbacks().stream().map(StockRollback::getQuantity).toList());
        }
    }

    @ParameterizedTest(name = "{0} partition(s)")
    @ValueSource(ints = {1, LedgerHarness.PARTITIONS})
    void partialReturnsThatAddUpToEverythingEndTheOrderRefunded(final int partitions) {
        try (LedgerHarness ledger = new LedgerHarness(LedgerHarness.config(partitions))) {
            ledger.adjust("a1", "A", 10);
            ledger.adjust("a2", "B", 10);
            ledger.place("o1", line("A", 2), line("B", 1));
            ledger.pay("p1", "o1", PaymentOutcome.CAPTURED);

            ledger.refund("r1", "o1", true, line("A", 1));
            ledger.refund("r2", "o1", true, line("A", 1), line("B", 1));

            final List<OrderOutcome> outcomes = ledger.outcomes();
            assertEquals(List.of(OrderStatus.RESERVED, OrderStatus.CONFIRMED, OrderStatus.PARTIALLY_REFUNDED,
                    OrderStatus.REFUNDED), outcomes.stream().map(OrderOutcome::getStatus).toList());
            assertNull(last(outcomes).getReason());
            assertEquals(List.of(10L, 10L, 0L), levels(ledger, "A"));
            assertEquals(List.of(10L, 10L, 0L), levels(ledger, "B"));
            assertEquals(List.of(), ledger.deadLetters());
        }
    }

    @ParameterizedTest(name = "{0} partition(s)")
    @ValueSource(ints = {1, LedgerHarness.PARTITIONS})
    void deductingOnPaymentAShipmentFindsNothingAllocated(final int partitions) {
        try (LedgerHarness ledger = new LedgerHarness(LedgerHarness.config(partitions))) {
            ledger.adjust("a1", "A", 10);
            ledger.place("o1", line("A", 3));
            ledger.pay("p1", "o1", PaymentOutcome.CAPTURED);

            ledger.ship("s1", "o1");

            final DeadLetter refused = onlyDeadLetter(ledger);
            assertEquals(DeadLetterCode.SHIPMENT_EXCEEDS_ALLOCATED, refused.getCode(), refused.getMessage());
            assertEquals(List.of(7L, 7L, 0L), levels(ledger, "A"));
        }
    }

    @ParameterizedTest(name = "{0} partition(s)")
    @ValueSource(ints = {1, LedgerHarness.PARTITIONS})
    void aShipmentOfAnUnpaidOrderIsAnIllegalTransition(final int partitions) {
        try (LedgerHarness ledger = new LedgerHarness(
                LedgerHarness.config(partitions).withDeductOn(DeductOn.SHIPMENT))) {
            ledger.adjust("a1", "A", 10);
            ledger.place("o1", line("A", 3));

            ledger.ship("s1", "o1");

            assertEquals(DeadLetterCode.ILLEGAL_TRANSITION, onlyDeadLetter(ledger).getCode());
            assertEquals(List.of(10L, 7L, 3L), levels(ledger, "A"));
        }
    }

    private static List<OrderStatus> statuses(final LedgerHarness ledger) {
        return ledger.outcomes().stream().map(OrderOutcome::getStatus).toList();
    }

    private static List<Long> levels(final LedgerHarness ledger, final String sku) {
        return List.of(ledger.level(sku).onHand(), ledger.level(sku).available(), ledger.level(sku).locked());
    }

    private static <T> T last(final List<T> values) {
        return values.get(values.size() - 1);
    }

    private static DeadLetter onlyDeadLetter(final LedgerHarness ledger) {
        final List<DeadLetter> deadLetters = ledger.deadLetters();
        assertEquals(1, deadLetters.size(), deadLetters.toString());
        return deadLetters.get(0);
    }
}
