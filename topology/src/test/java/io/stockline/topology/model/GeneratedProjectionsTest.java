package io.stockline.topology.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stockline.ledger.Order;
import io.stockline.ledger.StockLevel;
import io.stockline.schemas.OrderLine;
import io.stockline.schemas.OrderOutcome;
import io.stockline.schemas.StockMovement;
import io.stockline.topology.LedgerHarness;
import io.stockline.topology.MovementSums;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.junit.jupiter.api.Test;

/**
 * What the reporting tables are derived from, against the ledger's own stores, after thousands of generated
 * events of every kind: the last stock-movements record per SKU carries exactly the ledger's levels (the
 * {@code stock_levels} row), each SKU's movements add up to them, and the last outcome per order is where the
 * order stands (the {@code order_status} row). Same generator and seed property as {@link ModelBasedLedgerTest}.
 */
class GeneratedProjectionsTest {

    private static final long SEED = Long.getLong("stockline.seed", 20_261_122L);
    private static final int EVENTS = Integer.getInteger("stockline.projectionEvents", 5_000);
    private static final Timing TIMING = Timing.ofHarness();

    @Test
    void lastMovementPerSkuAndLastOutcomePerOrderAreTheLedgersStateAndMovementsSumToTheLevels() {
        // Given
        System.out.println("GeneratedProjectionsTest: -Dstockline.seed=" + SEED);
        final List<Step> scenario = new ScenarioGenerator(SEED, TIMING).generate(EVENTS);
        try (LedgerHarness ledger = new LedgerHarness()) {
            final Map<String, StockMovement> lastMovements = new HashMap<>();
            final Map<String, OrderOutcome> lastOutcomes = new HashMap<>();
            final MovementSums movementSums = new MovementSums();

            // When
            for (final Step step : scenario) {
                LockstepChecker.feed(ledger, step);
                ledger.outcomes().forEach(o -> lastOutcomes.put(o.getOrderId(), o));
                for (final KeyValue<String, StockMovement> record : ledger.stockMovements()) {
                    assertEquals(record.key, record.value.getSku());
                    movementSums.add(record.value);
                    lastMovements.put(record.key, record.value);
                }
            }

            // Then
            final Set<String> skus = new HashSet<>();
            try (KeyValueIterator<String, StockLevel> all = ledger.levels().all()) {
                while (all.hasNext()) {
                    final StockLevel level = all.next().value;
                    final StockMovement last = lastMovements.remove(level.sku());
                    assertEquals(List.of(level.onHand(), level.available(), level.locked(), level.version(),
                                    Instant.ofEpochMilli(level.updatedAt())),
                            List.of(last.getOnHandAfter(), last.getAvailableAfter(), last.getLockedAfter(),
                                    last.getVersion(), last.getOccurredAt()), level.sku());
                    assertEquals(List.of(level.onHand(), level.available(), level.locked(), level.version()),
                            movementSums.of(level.sku()), "movements of " + level.sku());
                    skus.add(level.sku());
                }
            }
            assertTrue(lastMovements.isEmpty() && skus.containsAll(movementSums.skus()),
                    "moved SKUs the ledger does not have");
            int decided = 0;
            try (KeyValueIterator<String, Order> all = ledger.orderStore().all()) {
                while (all.hasNext()) {
                    final Order order = all.next().value;
                    final OrderOutcome last = lastOutcomes.remove(order.orderId());
                    if (order.status().isDecided()) {
                        assertEquals(whereItStands(order), whereItStands(last), order.orderId());
                        decided++;
                    } else {
                        assertEquals(null, last, "an undecided order has no outcome: " + order.orderId());
                    }
                }
            }
            assertTrue(lastOutcomes.isEmpty(), "outcomes of orders the ledger does not have: " + lastOutcomes.keySet());
            assertTrue(skus.size() > 3 && decided > 100, skus.size() + " SKUs, " + decided + " decided orders");
        }
    }

    private static List<Object> whereItStands(final Order order) {
        return List.of(order.status().name(), String.valueOf(order.reason()), order.outcomeLines().size(),
                order.outcomeLines().stream().mapToLong(l -> l.quantity()).sum(), Instant.ofEpochMilli(order.placedAt()),
                String.valueOf(order.status().isReserved() ? Instant.ofEpochMilli(order.expiresAt()) : null));
    }

    private static List<Object> whereItStands(final OrderOutcome outcome) {
        return List.of(outcome.getStatus().name(), String.valueOf(outcome.getReason()), outcome.getLines().size(),
                outcome.getLines().stream().mapToLong(OrderLine::getQuantity).sum(), outcome.getPlacedAt(),
                String.valueOf(outcome.getExpiresAt()));
    }
}
