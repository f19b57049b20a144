package io.stockline.topology;

import static io.stockline.topology.LedgerHarness.HOLD;
import static io.stockline.topology.LedgerHarness.line;
import static io.stockline.topology.LedgerHarness.order;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stockline.ledger.StockLevel;
import io.stockline.schemas.EventTopic;
import io.stockline.schemas.MovementKind;
import io.stockline.schemas.OrderOutcome;
import io.stockline.schemas.OrderStatus;
import io.stockline.schemas.PaymentOutcome;
import io.stockline.schemas.RollbackCause;
import io.stockline.schemas.StockMovement;
import io.stockline.schemas.serde.SingleObjectSerdeFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the reporting tables are derived from, through the whole topology: the stock-movements record each
 * change of a SKU's levels writes, and the placedAt every outcome carries.
 */
class StockMovementsTest {

    private final LedgerHarness ledger = new LedgerHarness();

    @AfterEach
    void close() {
        ledger.close();
    }

    @Test
    void adjustmentWritesOneAdjustmentMovementKeyedBySkuWithTheLevelsAfterIt() {
        // When
        ledger.adjust("a1", "A", 10);

        // Then
        final KeyValue<String, StockMovement> movement = single(ledger.stockMovements());
        assertEquals("A", movement.key);
        assertMovement(movement.value, MovementKind.ADJUSTMENT, null, 10, 10, 0);
        assertEquals("a1", movement.value.getAdjustmentId());
        assertNull(movement.value.getCause());
        assertAfter(movement.value, 10, 10, 0, 1);
        assertEquals(ledger.now(), movement.value.getOccurredAt());
    }

    @Test
    void paidThenRefundedOrderMovesReserveCommitRefundForEachSku() {
        // Given
        ledger.adjust("a1", "A", 10);
        ledger.adjust("b1", "B", 5);
        ledger.stockMovements();

        // When
        ledger.place("o1", line("A", 4), line("B", 2), line("A", 1));
        ledger.pay("p1", "o1", PaymentOutcome.CAPTURED);
        ledger.pay("p2", "o1", PaymentOutcome.REFUNDED);

        // Then
        final List<StockMovement> movements = values(ledger.stockMovements());
        assertEquals(List.of("RESERVE A", "RESERVE B", "COMMIT A", "COMMIT B", "REFUND A", "REFUND B"),
                movements.stream().map(m -> m.getKind() + " " + m.getSku()).toList());
        assertMovement(movements.get(0), MovementKind.RESERVE, "o1", 0, -5, 5);
        assertMovement(movements.get(2), MovementKind.COMMIT, "o1", -5, 0, -5);
        assertMovement(movements.get(4), MovementKind.REFUND, "o1", 5, 5, 0);
        assertAfter(movements.get(4), 10, 10, 0, 4);
    }

    @Test
    void releasedUnitsAreOneReleaseMovementPerSkuNamingWhyTheyWereReleased() {
        // Given
        ledger.adjust("a1", "A", 10);
        ledger.adjust("b1", "B", 1);
        ledger.place("o1", line("A", 3));
        ledger.place("o2", line("A", 1));
        ledger.stockMovements();

        // When one order is cancelled, one expires, and a third is short of B after locking A
        ledger.cancel("c1", "o1", "changed mind");
        ledger.advance(HOLD.plus(Duration.ofSeconds(1)));
        ledger.place("o3", line("A", 2), line("B", 5));

        // Then
        final List<StockMovement> movements = values(ledger.stockMovements());
        assertEquals(List.of("RELEASE A CANCELLED", "RELEASE A EXPIRED", "RESERVE A null",
                "RELEASE A PARTIAL_REJECTION"), movements.stream().map(m -> m.getKind() + " " + m.getSku() + " "
                + m.getCause()).toList());
        assertMovement(movements.get(0), MovementKind.RELEASE, "o1", 0, 3, -3);
        assertEquals(RollbackCause.CANCELLED, movements.get(0).getCause());
        assertMovement(movements.get(1), MovementKind.RELEASE, "o2", 0, 1, -1);
        assertAfter(movements.get(3), 10, 10, 0, 7);
    }

    @Test
    void refusedOrRedeliveredAdjustmentMovesNothing() {
        // Given
        ledger.adjust("a1", "A", 5);
        ledger.stockMovements();

        // When
        ledger.adjust("a1", "A", 5);
        ledger.adjust("a2", "A", -6);

        // Then
        assertTrue(ledger.stockMovements().isEmpty());
        assertEquals(1, ledger.deadLetters().size());
    }

    @Test
    void orderWithNothingToLockMovesNothing() {
        // When
        ledger.place("o1", line("A", 1));

        // Then
        assertTrue(ledger.stockMovements().isEmpty());
        assertEquals(List.of(OrderStatus.REJECTED), ledger.outcomes().stream().map(OrderOutcome::getStatus).toList());
    }

    @Test
    void everyOutcomeCarriesWhenItsOrderWasPlacedWhicheverSideDecided() {
        // Given
        ledger.adjust("a1", "A", 5);
        ledger.adjust("b1", "B", 5);
        final Instant placedAt = ledger.now().minusSeconds(30);

        // When a one-line order (decided by the stock side) and a two-line one (by the order side) are placed,
        // paid and rejected
        ledger.place(order("o1", "o1-placed", placedAt, null, line("A", 1)));
        ledger.place(order("o2", "o2-placed", placedAt, null, line("A", 1), line("B", 2)));
        ledger.place(order("o3", "o3-placed", placedAt, null, line("A", 9)));
        ledger.pay("p1", "o1", PaymentOutcome.CAPTURED);
        ledger.pay("p2", "o2", PaymentOutcome.CAPTURED);

        // Then
        final List<OrderOutcome> outcomes = ledger.outcomes();
        assertEquals(List.of("o1 RESERVED", "o2 RESERVED", "o3 REJECTED", "o1 CONFIRMED", "o2 CONFIRMED"),
                outcomes.stream().map(o -> o.getOrderId() + " " + o.getStatus()).toList());
        outcomes.forEach(o -> assertEquals(placedAt, o.getPlacedAt(), o.toString()));
    }

    @Test
    void outcomeKeepsATimeBeyondWhatSqlHoldsAsItIs() {
        // Given
        ledger.adjust("a1", "A", 5);

        // When an order asks for a hold of practically forever
        ledger.place(order("o1", "o1-placed", ledger.now(), Long.MAX_VALUE, line("A", 1)));

        // Then the contract says so; making a row of it is the reporting side's business
        final OrderOutcome outcome = single(ledger.outcomes());
        assertEquals(OrderStatus.RESERVED, outcome.getStatus());
        assertEquals(Instant.ofEpochMilli(Long.MAX_VALUE), outcome.getExpiresAt());
        assertEquals(ledger.now(), outcome.getPlacedAt());
    }

    @Test
    void movementsOfEachSkuSumToItsLevelsAndNumberItsVersion() {
        // Given a busy mix of adjustments and orders that are paid, refunded, failed, cancelled, rejected, expired,
        // every one of them asking the stock side (no sold-out marks), so that stock moves as much as it can
        try (LedgerHarness ledger = new LedgerHarness(
                LedgerHarness.config(LedgerHarness.PARTITIONS).withSoldOutRecheck(Duration.ZERO))) {
            // When
            busyDay(ledger);

            // Then
            movementsSumToLevels(ledger);
        }
    }

    private static void movementsSumToLevels(final LedgerHarness ledger) {
        final MovementSums sums = new MovementSums();
        for (final KeyValue<String, StockMovement> record : ledger.stockMovements()) {
            final StockMovement m = record.value;
            assertEquals(record.key, m.getSku());
            final List<Long> sum = sums.add(m);
            assertEquals(sum.subList(0, 3), List.of(m.getOnHandAfter(), m.getAvailableAfter(), m.getLockedAfter()));
        }
        for (final String sku : sums.skus()) {
            final StockLevel stored = ledger.level(sku);
            assertEquals(List.of(stored.onHand(), stored.available(), stored.locked(), stored.version()),
                    sums.of(sku), sku);
        }
        assertEquals(Set.of("A", "B", "C"), sums.skus());
        assertTrue(sums.movements() > 20, "the scenario moved stock often enough to mean something: "
                + sums.movements());
    }

    @Test
    void replayingTheSameEventsGivesTheSameMovementIds() {
        // Given
        final List<String> first;
        try (LedgerHarness once = new LedgerHarness()) {
            busyDay(once);
            first = movementIds(once);
        }

        // When
        final List<String> second;
        try (LedgerHarness again = new LedgerHarness()) {
            busyDay(again);
            second = movementIds(again);
        }

        // Then
        assertEquals(first, second);
        assertEquals(first.size(), new HashSet<>(first).size());
    }

    @Test
    void recordsAreSingleObjectAvroOfTheContractKeyedByPlainSku() {
        // When
        ledger.adjust("a1", "A", 10);

        // Then
        final KeyValue<byte[], byte[]> record = single(ledger.raw(EventTopic.STOCK_MOVEMENTS.topicName()));
        assertEquals("A", new String(record.key, java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(List.of((byte) 0xC3, (byte) 0x01), List.of(record.value[0], record.value[1]));
        final StockMovement movement = new SingleObjectSerdeFactory().serde(StockMovement.class).deserializer()
                .deserialize(EventTopic.STOCK_MOVEMENTS.topicName(), record.value);
        assertAfter(movement, 10, 10, 0, 1);
    }

    /** Every way stock can move, on three SKUs. */
    private static void busyDay(final LedgerHarness ledger) {
        ledger.adjust("a1", "A", 20);
        ledger.adjust("b1", "B", 6);
        ledger.adjust("c1", "C", 3);
        ledger.place("o1", line("A", 4), line("B", 2));
        ledger.pay("p1", "o1", PaymentOutcome.CAPTURED);
        ledger.place("o2", line("A", 2), line("C", 3));
        ledger.pay("p2", "o2", PaymentOutcome.FAILED);
        ledger.place("o3", line("B", 3));
        ledger.cancel("c3", "o3", "no longer wanted");
        ledger.place("o4", line("A", 1), line("C", 9));
        ledger.place("o5", line("C", 1), line("B", 1));
        ledger.advance(HOLD.plusSeconds(1));
        ledger.pay("p1-refund", "o1", PaymentOutcome.REFUNDED);
        ledger.adjust("a2", "A", -5);
        ledger.adjust("a2", "A", -5);
        ledger.place("o6", line("A", 15));
        ledger.place("o7", line("A", 3));
        ledger.pay("p7", "o7", PaymentOutcome.CAPTURED);
    }

    private static List<String> movementIds(final LedgerHarness ledger) {
        return values(ledger.stockMovements()).stream().map(StockMovement::getMovementId).toList();
    }

    private static void assertAfter(final StockMovement movement, final long onHand, final long available,
                                    final long locked, final long version) {
        assertEquals(List.of(onHand, available, locked, version), List.of(movement.getOnHandAfter(),
                movement.getAvailableAfter(), movement.getLockedAfter(), movement.getVersion()), movement.toString());
    }

    private static void assertMovement(final StockMovement movement, final MovementKind kind, final String orderId,
                                       final long onHandDelta, final long availableDelta, final long lockedDelta) {
        assertEquals(kind, movement.getKind(), movement.toString());
        assertEquals(orderId, movement.getOrderId(), movement.toString());
        assertEquals(List.of(onHandDelta, availableDelta, lockedDelta), List.of(movement.getOnHandDelta(),
                movement.getAvailableDelta(), movement.getLockedDelta()), movement.toString());
    }

    private static <K, V> List<V> values(final List<KeyValue<K, V>> records) {
        return records.stream().map(r -> r.value).toList();
    }

    private static <T> T single(final List<T> items) {
        assertEquals(1, items.size(), items.toString());
        return items.get(0);
    }
}
