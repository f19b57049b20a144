package io.stockline.topology.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stockline.ledger.Order;
import io.stockline.ledger.StockLevel;
import io.stockline.schemas.OrderLine;
import io.stockline.schemas.OrderPlaced;
import io.stockline.topology.LedgerHarness;
import io.stockline.topology.projection.Projections;
import io.stockline.topology.projection.Projections.OrderStatus;
import io.stockline.topology.projection.Projections.StockLevels;
import io.stockline.topology.projection.Projections.StockMovements;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.junit.jupiter.api.Test;

/**
 * The projections against the ledger's own stores, after thousands of generated events of every kind:
 * what a sink would end up with (the last record per key) is exactly the ledger's state, and each SKU's
 * movements add up to its levels. Same generator and seed property as {@link ModelBasedLedgerTest}.
 */
class GeneratedProjectionsTest {

    private static final long SEED = Long.getLong("stockline.seed", 20_261_122L);
    private static final int EVENTS = Integer.getInteger("stockline.projectionEvents", 5_000);
    private static final Timing TIMING = Timing.ofHarness();

    @Test
    void lastProjectedRecordPerKeyIsTheLedgersStateAndMovementsSumToTheLevels() {
        // Given
        System.out.println("GeneratedProjectionsTest: -Dstockline.seed=" + SEED);
        final List<Step> scenario = new ScenarioGenerator(SEED, TIMING).generate(EVENTS);
        try (LedgerHarness ledger = new LedgerHarness()) {
            final Map<String, Struct> levels = new HashMap<>();
            final Map<String, Struct> statuses = new HashMap<>();
            final Map<String, long[]> movementSums = new HashMap<>();
            final Set<String> movementIds = new HashSet<>();

            // When
            for (final Step step : scenario) {
                feed(ledger, step);
                ledger.stockLevels().forEach(r -> levels.put(r.key.getString(StockLevels.SKU), r.value));
                ledger.orderStatuses().forEach(r -> statuses.put(r.key.getString(OrderStatus.ORDER_ID), r.value));
                for (final KeyValue<Struct, Struct> record : ledger.stockMovements()) {
                    addMovement(record.value, movementSums, movementIds);
                }
            }

            // Then
            int skus = 0;
            try (KeyValueIterator<String, StockLevel> all = ledger.levels().all()) {
                while (all.hasNext()) {
                    final StockLevel level = all.next().value;
                    assertEquals(Projections.stockLevel(level), levels.remove(level.sku()), level.sku());
                    final long[] sums = movementSums.remove(level.sku());
                    assertEquals(List.of(level.onHand(), level.available(), level.locked(), level.version()),
                            List.of(sums[0], sums[1], sums[2], sums[3]), "movements of " + level.sku());
                    skus++;
                }
            }
            assertTrue(levels.isEmpty() && movementSums.isEmpty(), "projected SKUs the ledger does not have");
            int decided = 0;
            try (KeyValueIterator<String, Order> all = ledger.orderStore().all()) {
                while (all.hasNext()) {
                    final Order order = all.next().value;
                    final Struct projected = statuses.remove(order.orderId());
                    if (order.status().isDecided()) {
                        assertEquals(Projections.orderStatus(order), projected, order.orderId());
                        decided++;
                    } else {
                        assertEquals(null, projected, "an undecided order is not projected: " + order.orderId());
                    }
                }
            }
            assertTrue(statuses.isEmpty(), "projected orders the ledger does not have: " + statuses.keySet());
            assertTrue(skus > 3 && decided > 100, skus + " SKUs, " + decided + " decided orders");
        }
    }

    private static void addMovement(final Struct movement, final Map<String, long[]> sums, final Set<String> ids) {
        assertTrue(ids.add(movement.getString(StockMovements.MOVEMENT_ID)), "movement id twice: " + movement);
        final long[] sum = sums.computeIfAbsent(movement.getString(StockMovements.SKU), k -> new long[4]);
        sum[0] += movement.getInt64(StockMovements.ON_HAND_DELTA);
        sum[1] += movement.getInt64(StockMovements.AVAILABLE_DELTA);
        sum[2] += movement.getInt64(StockMovements.LOCKED_DELTA);
        sum[3]++;
        assertEquals(sum[3], movement.getInt64(StockMovements.VERSION), movement.toString());
    }

    private static void feed(final LedgerHarness ledger, final Step step) {
        if (step instanceof Step.Adjust adjust) {
            ledger.adjust(adjust.adjustmentId(), adjust.sku(), adjust.delta());
        } else if (step instanceof Step.Place place) {
            final List<OrderLine> lines = place.lines().stream()
                    .map(l -> new OrderLine(l.sku(), l.quantity())).toList();
            ledger.place(OrderPlaced.newBuilder().setEventId(place.eventId()).setOrderId(place.orderId())
                    .setLines(lines).setPlacedAt(Instant.ofEpochMilli(place.placedAt()))
                    .setHoldMillis(place.holdMillis()).setCustomerId(place.customerId()).build());
        } else if (step instanceof Step.Pay pay) {
            ledger.pay(pay.paymentId(), pay.orderId(), pay.outcome());
        } else if (step instanceof Step.Cancel cancel) {
            ledger.cancel(cancel.cancelId(), cancel.orderId(), "generated");
        } else {
            ledger.advance(Duration.ofMillis(((Step.Advance) step).millis()));
        }
    }
}
