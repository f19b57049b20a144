package io.stockline.topology;

import static io.stockline.topology.LedgerHarness.line;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stockline.ledger.DeductOn;
import io.stockline.schemas.DeadLetter;
import io.stockline.schemas.DeadLetterCode;
import io.stockline.schemas.EventTopic;
import io.stockline.schemas.MovementKind;
import io.stockline.schemas.OrderOutcome;
import io.stockline.schemas.OrderStatus;
import io.stockline.schemas.PaymentOutcome;
import io.stockline.schemas.RollbackCause;
import io.stockline.schemas.StockRollback;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The lines a cancellation, a refund and a shipment name go from their topics through the decoders to the ledger,
 * and what it decides comes out as the contract's new statuses, movement kind and dead-letter codes: on one
 * partition, and on six, where an order's events and its SKUs may live in other tasks and cross the command topics.
 * The rules themselves are {@link LedgerRulesTest}'s and the order machine's tests'.
 */
class PerLineEventsTopologyTest {

    @ParameterizedTest(name = "{0} partition(s)")
    @ValueSource(ints = {1, LedgerHarness.PARTITIONS})
    void aShipmentOnTheShipmentsTopicShipsTheUnitsAllocatedToAPaidOrder(final int partitions) {
        try (LedgerHarness ledger = new LedgerHarness(
                LedgerHarness.config(partitions).withDeductOn(DeductOn.SHIPMENT))) {
            // Given an order of 3 A, paid, on a ledger that deducts on shipment
            ledger.adjust("a1", "A", 10);
            ledger.place("o1", line("A", 3));
            ledger.pay("p1", "o1", PaymentOutcome.CAPTURED);
            ledger.stockMovements();

            // When 2 are shipped, and then the rest
            ledger.ship("s1", "o1", line("A", 2));
            final List<Long> afterFirst = levels(ledger);
            ledger.ship("s2", "o1");

            // Then each shipment takes its units out of locked and on hand, as SHIPPED and SHIP movements
            assertEquals(List.of(8L, 7L, 1L), afterFirst);
            assertEquals(List.of(7L, 7L, 0L), levels(ledger));
            final List<OrderOutcome> outcomes = ledger.outcomes();
            assertEquals(List.of(OrderStatus.RESERVED, OrderStatus.CONFIRMED, OrderStatus.SHIPPED, OrderStatus.SHIPPED),
                    outcomes.stream().map(OrderOutcome::getStatus).toList());
            assertEquals(List.of(line("A", 3)), outcomes.get(2).getLines(), "what the order has, shipped or not");
            assertEquals("still to ship: 1 x A", outcomes.get(2).getReason());
            assertEquals(List.of(line("A", 3)), outcomes.get(3).getLines());
            assertEquals(null, outcomes.get(3).getReason());
            assertEquals(List.of(MovementKind.SHIP, MovementKind.SHIP),
                    ledger.stockMovements().stream().map(m -> m.value.getKind()).toList());
            assertEquals(List.of(), ledger.deadLetters());
        }
    }

    @ParameterizedTest(name = "{0} partition(s)")
    @ValueSource(ints = {1, LedgerHarness.PARTITIONS})
    void aShipmentOfMoreThanIsAllocatedIsADeadLetterFromTheShipmentsTopic(final int partitions) {
        try (LedgerHarness ledger = new LedgerHarness(
                LedgerHarness.config(partitions).withDeductOn(DeductOn.SHIPMENT))) {
            ledger.adjust("a1", "A", 10);
            ledger.place("o1", line("A", 3));
            ledger.pay("p1", "o1", PaymentOutcome.CAPTURED);

            ledger.ship("s1", "o1", line("A", 4));

            final DeadLetter deadLetter = onlyDeadLetter(ledger);
            assertEquals(DeadLetterCode.SHIPMENT_EXCEEDS_ALLOCATED, deadLetter.getCode(), deadLetter.getMessage());
            assertEquals(EventTopic.SHIPMENTS.topicName(), deadLetter.getSourceTopic());
            assertEquals(List.of(10L, 7L, 3L), levels(ledger), "nothing shipped");
        }
    }

    @ParameterizedTest(name = "{0} partition(s)")
    @ValueSource(ints = {1, LedgerHarness.PARTITIONS})
    void aCancellationNamingLinesAmendsTheOrderAndReleasesOnlyThoseUnits(final int partitions) {
        try (LedgerHarness ledger = new LedgerHarness(LedgerHarness.config(partitions))) {
            // Given an order of 3 A and 1 B
            ledger.adjust("a1", "A", 10);
            ledger.adjust("a2", "B", 5);
            ledger.place("o1", line("A", 3), line("B", 1));

            // When the customer takes one A off it
            ledger.cancel("c1", "o1", "one less", line("A", 1));

            // Then the order is AMENDED with what it still holds, and one A goes back on sale
            final OrderOutcome amended = ledger.outcomes().get(1);
            assertEquals(OrderStatus.AMENDED, amended.getStatus());
            assertEquals(List.of(line("A", 2), line("B", 1)), amended.getLines());
            assertEquals(List.of(RollbackCause.CANCELLED),
                    ledger.rollbacks().stream().map(StockRollback::getCause).toList());
            assertEquals(List.of(10L, 8L, 2L), levels(ledger));

            // and a cancellation of more than it still holds is refused whole
            ledger.cancel("c2", "o1", "too many", line("A", 3));
            assertEquals(DeadLetterCode.CANCEL_EXCEEDS_RESERVED, onlyDeadLetter(ledger).getCode());
            assertEquals(List.of(10L, 8L, 2L), levels(ledger));
        }
    }

    @ParameterizedTest(name = "{0} partition(s)")
    @ValueSource(ints = {1, LedgerHarness.PARTITIONS})
    void aRefundNamingLinesWithoutRestockLeavesTheReturnedUnitsOffTheShelf(final int partitions) {
        try (LedgerHarness ledger = new LedgerHarness(LedgerHarness.config(partitions))) {
            // Given a paid order of 3 A, taken off hand at payment
            ledger.adjust("a1", "A", 10);
            ledger.place("o1", line("A", 3));
            ledger.pay("p1", "o1", PaymentOutcome.CAPTURED);

            // When one comes back damaged, and then more than the order still has is asked back
            ledger.refund("r1", "o1", false, line("A", 1));
            final List<Long> afterReturn = levels(ledger);
            ledger.refund("r2", "o1", true, line("A", 3));

            // Then the order is PARTIALLY_REFUNDED and the damaged unit stays out of stock; the second is refused
            assertEquals(OrderStatus.PARTIALLY_REFUNDED, ledger.outcomes().get(2).getStatus());
            assertEquals(List.of(7L, 7L, 0L), afterReturn);
            final DeadLetter refused = onlyDeadLetter(ledger);
            assertEquals(DeadLetterCode.RETURN_EXCEEDS_SOLD, refused.getCode(), refused.getMessage());
            assertEquals(EventTopic.PAYMENTS.topicName(), refused.getSourceTopic());
        }
    }

    /** The SKU A's on hand, available and locked. */
    private static List<Long> levels(final LedgerHarness ledger) {
        return List.of(ledger.level("A").onHand(), ledger.level("A").available(), ledger.level("A").locked());
    }

    private static DeadLetter onlyDeadLetter(final LedgerHarness ledger) {
        final List<DeadLetter> deadLetters = ledger.deadLetters();
        assertEquals(1, deadLetters.size(), deadLetters.toString());
        return deadLetters.get(0);
    }
}
