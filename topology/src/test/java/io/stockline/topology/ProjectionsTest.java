package io.stockline.topology;

import static io.stockline.topology.LedgerHarness.HOLD;
import static io.stockline.topology.LedgerHarness.line;
import static io.stockline.topology.LedgerHarness.order;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stockline.ledger.StockLevel;
import io.stockline.schemas.PaymentOutcome;
import io.stockline.topology.projection.Projections.OrderStatus;
import io.stockline.topology.projection.Projections.StockLevels;
import io.stockline.topology.projection.Projections.StockMovements;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The reporting projections, through the whole topology: what each change of the ledger writes to them. */
class ProjectionsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LedgerHarness ledger = new LedgerHarness();

    @AfterEach
    void close() {
        ledger.close();
    }

    @Test
    void adjustmentProjectsTheNewLevelsAndOneAdjustmentMovement() {
        // When
        ledger.adjust("a1", "A", 10);

        // Then
        final KeyValue<Struct, Struct> level = single(ledger.stockLevels());
        assertEquals("A", level.key.getString(StockLevels.SKU));
        assertLevels(level.value, 10, 10, 0, 1);
        assertEquals(Date.from(ledger.now()), level.value.get(StockLevels.UPDATED_AT));
        final KeyValue<Struct, Struct> movement = single(ledger.stockMovements());
        assertEquals("A", movement.key.getString(StockLevels.SKU));
        assertMovement(movement.value, "ADJUSTMENT", null, 10, 10, 0);
        assertEquals("a1", movement.value.getString(StockMovements.ADJUSTMENT_ID));
        assertEquals(List.of(10L, 10L, 0L, 1L), List.of(movement.value.getInt64(StockMovements.ON_HAND_AFTER),
                movement.value.getInt64(StockMovements.AVAILABLE_AFTER),
                movement.value.getInt64(StockMovements.LOCKED_AFTER), movement.value.getInt64(StockMovements.VERSION)));
        assertEquals(Date.from(ledger.now()), movement.value.get(StockMovements.OCCURRED_AT));
        assertTrue(ledger.orderStatuses().isEmpty());
    }

    @Test
    void paidThenRefundedOrderProjectsReserveCommitRefundAndEachOfItsStatuses() {
        // Given
        ledger.adjust("a1", "A", 10);
        ledger.adjust("b1", "B", 5);
        drainProjections();

        // When
        ledger.place("o1", line("A", 4), line("B", 2), line("A", 1));
        ledger.pay("p1", "o1", PaymentOutcome.CAPTURED);
        ledger.pay("p2", "o1", PaymentOutcome.REFUNDED);

        // Then
        final List<Struct> movements = values(ledger.stockMovements());
        assertEquals(List.of("RESERVE A", "RESERVE B", "COMMIT A", "COMMIT B", "REFUND A", "REFUND B"),
                movements.stream().map(m -> m.getString(StockMovements.KIND) + " " + m.getString(StockMovements.SKU))
                        .toList());
        assertMovement(movements.get(0), "RESERVE", "o1", 0, -5, 5);
        assertMovement(movements.get(2), "COMMIT", "o1", -5, 0, -5);
        assertMovement(movements.get(4), "REFUND", "o1", 5, 5, 0);
        final List<Struct> statuses = values(ledger.orderStatuses());
        assertEquals(List.of("RESERVED", "CONFIRMED", "REFUNDED"), statusesOf(statuses));
        final Struct reserved = statuses.get(0);
        assertEquals("o1", reserved.getString(OrderStatus.ORDER_ID));
        assertEquals(2, reserved.getInt32(OrderStatus.LINE_COUNT));
        assertEquals(7L, reserved.getInt64(OrderStatus.TOTAL_QUANTITY));
        assertEquals(Date.from(ledger.now()), reserved.get(OrderStatus.PLACED_AT));
        assertEquals(Date.from(ledger.now().plus(HOLD)), reserved.get(OrderStatus.EXPIRES_AT));
        assertEquals(Date.from(ledger.now()), reserved.get(OrderStatus.UPDATED_AT));
        assertNull(reserved.get(OrderStatus.REASON));
    }

    @Test
    void releasedUnitsAreOneReleaseMovementPerSkuNamingWhyTheyWereReleased() {
        // Given
        ledger.adjust("a1", "A", 10);
        ledger.adjust("b1", "B", 1);
        ledger.place("o1", line("A", 3));
        ledger.place("o2", line("A", 1));
        drainProjections();

        // When one order is cancelled, one expires, and a third is short of B after locking A
        ledger.cancel("c1", "o1", "changed mind");
        ledger.advance(HOLD.plus(Duration.ofSeconds(1)));
        ledger.place("o3", line("A", 2), line("B", 5));

        // Then
        final List<Struct> movements = values(ledger.stockMovements());
        assertEquals(List.of("RELEASE A CANCELLED", "RELEASE A EXPIRED", "RESERVE A null",
                "RELEASE A PARTIAL_REJECTION"), movements.stream().map(m -> m.getString(StockMovements.KIND) + " "
                + m.getString(StockMovements.SKU) + " " + m.getString(StockMovements.CAUSE)).toList());
        assertMovement(movements.get(0), "RELEASE", "o1", 0, 3, -3);
        assertMovement(movements.get(1), "RELEASE", "o2", 0, 1, -1);
        final List<Struct> statuses = values(ledger.orderStatuses());
        assertEquals(List.of("CANCELLED", "EXPIRED", "REJECTED"), statusesOf(statuses));
        assertEquals("CANCELLED: changed mind", statuses.get(0).getString(OrderStatus.REASON));
        assertTrue(statuses.get(2).getString(OrderStatus.REASON).contains("sku B"),
                statuses.get(2).getString(OrderStatus.REASON));
        assertLevels(last(ledger.stockLevels()).value, 10, 10, 0, 7);
    }

    @Test
    void refusedOrRedeliveredAdjustmentProjectsNothing() {
        // Given
        ledger.adjust("a1", "A", 5);
        drainProjections();

        // When
        ledger.adjust("a1", "A", 5);
        ledger.adjust("a2", "A", -6);

        // Then
        assertTrue(ledger.stockLevels().isEmpty());
        assertTrue(ledger.stockMovements().isEmpty());
        assertEquals(1, ledger.deadLetters().size());
    }

    @Test
    void orderWithNothingToLockChangesNoLevelAndProjectsOnlyItsRejection() {
        // When
        ledger.place("o1", line("A", 1));

        // Then
        assertTrue(ledger.stockLevels().isEmpty());
        assertTrue(ledger.stockMovements().isEmpty());
        assertEquals(List.of("REJECTED"), statusesOf(values(ledger.orderStatuses())));
    }

    @Test
    void orderStatusAppearsOnlyOnceTheOrderItselfIsDecidedAndShowsWhereItEnded() {
        // Given stock, and a payment that arrives before its order
        ledger.adjust("a1", "A", 5);
        ledger.pay("p1", "o1", PaymentOutcome.CAPTURED);
        assertTrue(ledger.orderStatuses().isEmpty(), "nothing while the order is awaited");

        // When the order arrives: reserved, then confirmed by the held payment, in one step
        ledger.place("o1", line("A", 2));

        // Then the projection shows the end of that step only
        final KeyValue<Struct, Struct> status = single(ledger.orderStatuses());
        assertEquals("o1", status.key.getString(OrderStatus.ORDER_ID));
        assertEquals("CONFIRMED", status.value.getString(OrderStatus.STATUS));
    }

    @Test
    void timeBeyondWhatSqlHoldsIsProjectedAsNull() {
        // Given
        ledger.adjust("a1", "A", 5);

        // When an order asks for a hold of practically forever
        ledger.place(order("o1", "o1-placed", ledger.now(), Long.MAX_VALUE, line("A", 1)));

        // Then it is reserved, with no expiry a database could not store
        final Struct status = single(ledger.orderStatuses()).value;
        assertEquals("RESERVED", status.getString(OrderStatus.STATUS));
        assertNull(status.get(OrderStatus.EXPIRES_AT));
        assertEquals(Date.from(ledger.now()), status.get(OrderStatus.PLACED_AT));
    }

    @Test
    void movementsOfEachSkuSumToItsLevelsAndNumberItsVersion() {
        // Given a busy mix of adjustments and orders that are paid, refunded, failed, cancelled, rejected, expired,
        // every one of them asking the stock side (no sold-out marks), so that stock moves as much as it can
        try (LedgerHarness ledger = new LedgerHarness(
                LedgerHarness.config(LedgerHarness.PARTITIONS).withSoldOutRecheck(Duration.ZERO))) {
            busyDay(ledger);
            movementsSumToLevels(ledger);
        }
    }

    private static void movementsSumToLevels(final LedgerHarness ledger) {

        // When
        final List<KeyValue<Struct, Struct>> movements = ledger.stockMovements();
        final List<KeyValue<Struct, Struct>> levels = ledger.stockLevels();

        // Then
        final Map<String, long[]> sums = new HashMap<>();
        final Set<String> ids = new HashSet<>();
        for (final KeyValue<Struct, Struct> record : movements) {
            final Struct m = record.value;
            assertEquals(record.key.getString(StockLevels.SKU), m.getString(StockMovements.SKU));
            assertTrue(ids.add(m.getString(StockMovements.MOVEMENT_ID)), "movement id twice: " + m);
            final long[] sum = sums.computeIfAbsent(m.getString(StockMovements.SKU), k -> new long[4]);
            sum[0] += m.getInt64(StockMovements.ON_HAND_DELTA);
            sum[1] += m.getInt64(StockMovements.AVAILABLE_DELTA);
            sum[2] += m.getInt64(StockMovements.LOCKED_DELTA);
            sum[3]++;
            assertEquals(sum[3], m.getInt64(StockMovements.VERSION), "movements of one SKU come in version order");
            assertEquals(List.of(sum[0], sum[1], sum[2]), List.of(m.getInt64(StockMovements.ON_HAND_AFTER),
                    m.getInt64(StockMovements.AVAILABLE_AFTER), m.getInt64(StockMovements.LOCKED_AFTER)));
        }
        final Map<String, Struct> lastLevels = new HashMap<>();
        levels.forEach(r -> lastLevels.put(r.key.getString(StockLevels.SKU), r.value));
        assertEquals(sums.keySet(), lastLevels.keySet());
        assertEquals(levels.size(), movements.size(), "one levels record per movement");
        for (final String sku : sums.keySet()) {
            final StockLevel stored = ledger.level(sku);
            final long[] sum = sums.get(sku);
            assertEquals(List.of(stored.onHand(), stored.available(), stored.locked(), stored.version()),
                    List.of(sum[0], sum[1], sum[2], sum[3]), sku);
            assertLevels(lastLevels.get(sku), stored.onHand(), stored.available(), stored.locked(), stored.version());
        }
        assertTrue(ids.size() > 20, "the scenario moved stock often enough to mean something: " + ids.size());
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
    void recordsAreConnectJsonWithTheSchemaEmbeddedAndStructKeys() throws IOException {
        // When
        ledger.adjust("a1", "A", 10);

        // Then
        final KeyValue<byte[], byte[]> record = single(ledger.rawProjection(LedgerTopics.STOCK_LEVELS));
        final JsonNode key = JSON.readTree(record.key);
        assertEquals("struct", key.at("/schema/type").asText());
        assertEquals(StockLevels.SKU, key.at("/schema/fields/0/field").asText());
        assertEquals("A", key.at("/payload/sku").asText());
        final JsonNode value = JSON.readTree(record.value);
        assertEquals("struct", value.at("/schema/type").asText());
        final List<String> fields = new ArrayList<>();
        value.at("/schema/fields").forEach(f -> fields.add(f.get("field").asText()));
        assertEquals(List.of("sku", "on_hand", "available", "locked", "version", "updated_at"), fields);
        assertEquals(Timestamp.LOGICAL_NAME, value.at("/schema/fields/5/name").asText());
        assertEquals("int64", value.at("/schema/fields/5/type").asText());
        assertEquals(ledger.now().toEpochMilli(), value.at("/payload/updated_at").asLong());
        assertEquals(10, value.at("/payload/on_hand").asLong());
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
        return values(ledger.stockMovements()).stream().map(m -> m.getString(StockMovements.MOVEMENT_ID)).toList();
    }

    private void drainProjections() {
        ledger.stockLevels();
        ledger.stockMovements();
        ledger.orderStatuses();
    }

    private static void assertLevels(final Struct value, final long onHand, final long available,
                                     final long locked, final long version) {
        assertEquals(List.of(onHand, available, locked, version), List.of(value.getInt64(StockLevels.ON_HAND),
                value.getInt64(StockLevels.AVAILABLE), value.getInt64(StockLevels.LOCKED),
                value.getInt64(StockLevels.VERSION)), value.toString());
    }

    private static void assertMovement(final Struct movement, final String kind, final String orderId,
                                       final long onHandDelta, final long availableDelta, final long lockedDelta) {
        assertEquals(kind, movement.getString(StockMovements.KIND), movement.toString());
        assertEquals(orderId, movement.getString(StockMovements.ORDER_ID), movement.toString());
        assertEquals(List.of(onHandDelta, availableDelta, lockedDelta), List.of(
                movement.getInt64(StockMovements.ON_HAND_DELTA), movement.getInt64(StockMovements.AVAILABLE_DELTA),
                movement.getInt64(StockMovements.LOCKED_DELTA)), movement.toString());
    }

    private static List<String> statusesOf(final List<Struct> statuses) {
        return statuses.stream().map(s -> s.getString(OrderStatus.STATUS)).toList();
    }

    private static List<Struct> values(final List<KeyValue<Struct, Struct>> records) {
        return records.stream().map(r -> r.value).toList();
    }

    private static <T> T last(final List<T> items) {
        assertTrue(!items.isEmpty(), "no records");
        return items.get(items.size() - 1);
    }

    private static <T> T single(final List<T> items) {
        assertEquals(1, items.size(), items.toString());
        return items.get(0);
    }
}
