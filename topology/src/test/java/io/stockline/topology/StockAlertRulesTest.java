package io.stockline.topology;

import static io.stockline.topology.LedgerHarness.HOLD;
import static io.stockline.topology.LedgerHarness.keyOn;
import static io.stockline.topology.LedgerHarness.line;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.stockline.ledger.StockLevel;
import io.stockline.schemas.DeadLetter;
import io.stockline.schemas.DeadLetterCode;
import io.stockline.schemas.EventTopic;
import io.stockline.schemas.MovementKind;
import io.stockline.schemas.PaymentOutcome;
import io.stockline.schemas.StockAdjusted;
import io.stockline.schemas.StockAlert;
import io.stockline.schemas.StockAlertKind;
import io.stockline.schemas.StockMovement;
import io.stockline.schemas.serde.SchemaVersions;
import io.stockline.testkit.SingleObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** One test per rule of the low-stock threshold and the stock alerts, through the whole topology. */
class StockAlertRulesTest {

    private final LedgerHarness ledger = new LedgerHarness();

    @AfterEach
    void close() {
        ledger.close();
    }

    @Test
    void anAdjustmentOfZeroWithAThresholdOnlySetsTheThreshold() {
        // Given 10 units
        ledger.adjust("a1", "A", 10);
        ledger.stockMovements();
        ledger.stockAlerts();

        // When a threshold of 5 is set with a delta of 0
        ledger.adjust("t1", "A", 0, 5);

        // Then it is stored with the level, as one more version, and its movement moves nothing
        assertEquals(new StockLevel("A", 10, 10, 0, 2, ledger.now().toEpochMilli(), 5L), ledger.level("A"));
        final StockMovement movement = single(ledger.stockMovements()).value;
        assertEquals(MovementKind.ADJUSTMENT, movement.getKind());
        assertEquals("t1", movement.getAdjustmentId());
        assertEquals(List.of(0L, 0L, 0L, 2L), List.of(movement.getOnHandDelta(), movement.getAvailableDelta(),
                movement.getLockedDelta(), movement.getVersion()));
        assertEquals(List.of(), ledger.stockAlerts(), "10 is above 5: nothing crossed");
        assertEquals(List.of(), ledger.deadLetters());
    }

    @Test
    void aThresholdSetAtOrAboveTheLevelIsALowStockCrossingOnce() {
        // Given 3 units
        ledger.adjust("a1", "A", 3);
        ledger.stockAlerts();

        // When a threshold of 5 is set, then changed to 4, still above the level
        ledger.adjust("t1", "A", 0, 5);
        ledger.adjust("t2", "A", 0, 4);

        // Then the first crossed it, the second crossed nothing
        assertEquals(List.of(alert("A", StockAlertKind.LOW_STOCK, 3, 5L)), alertsAt(ledger.stockAlerts()));
    }

    @Test
    void anOrderThatTakesTheLevelDownToTheThresholdIsLowStockOnce() {
        // Given 10 units with a threshold of 5
        ledger.adjust("a1", "A", 10, 5);
        ledger.stockAlerts();

        // When one order takes it to 5 and another to 4
        ledger.place("o1", line("A", 5));
        ledger.place("o2", line("A", 1));

        // Then only the first crossed
        assertEquals(List.of(alert("A", StockAlertKind.LOW_STOCK, 5, 5L)), alertsAt(ledger.stockAlerts()));
    }

    /** The SKU on partition 0 lives in the order's task; on 3 it lives in another and answers through a topic. */
    @ParameterizedTest(name = "sku on partition {0}")
    @ValueSource(ints = {0, 3})
    void anOrderThatTakesTheLastUnitIsSoldOutAndItsExpiryBackInStock(final int skuPartition) {
        // Given the last 2 units of a SKU, and an order in task 0
        final String sku = keyOn(skuPartition, "sku");
        ledger.adjust("a1", sku, 2);
        ledger.stockAlerts();

        // When an order takes both, and its hold runs out unpaid
        ledger.place(keyOn(0, "order"), line(sku, 2));
        final List<KeyValue<String, StockAlert>> whenReserved = ledger.stockAlerts();
        final StockAlert soldOut = alert(sku, StockAlertKind.SOLD_OUT, 0, null);
        ledger.advance(HOLD.plus(Duration.ofSeconds(1)));

        // Then the reserve sold it out and the expiry's release brought it back, each once, keyed by the SKU
        assertEquals(List.of(KeyValue.pair(sku, soldOut)), whenReserved);
        assertEquals(List.of(KeyValue.pair(sku, alert(sku, StockAlertKind.BACK_IN_STOCK, 2, null))),
                ledger.stockAlerts());
    }

    @Test
    void aRestockFromNoneToAtOrBelowTheThresholdIsBackInStockThenLowStock() {
        // Given a SKU sold out with a threshold of 5
        ledger.adjust("a1", "A", 2, 5);
        ledger.adjust("a2", "A", -2);
        ledger.stockAlerts();

        // When 3 arrive, then 10 more
        ledger.adjust("a3", "A", 3);
        ledger.adjust("a4", "A", 10);

        // Then the first is back in stock and low, in that order; the second crosses nothing
        assertEquals(List.of(alert("A", StockAlertKind.BACK_IN_STOCK, 3, 5L), alert("A", StockAlertKind.LOW_STOCK, 3,
                5L)), alertsAt(ledger.stockAlerts()));
    }

    @Test
    void aRestockFromNonePastTheThresholdIsOnlyBackInStock() {
        ledger.adjust("a1", "A", 0, 5);

        ledger.adjust("a2", "A", 6);

        assertEquals(List.of(alert("A", StockAlertKind.BACK_IN_STOCK, 6, 5L)), alertsAt(ledger.stockAlerts()));
    }

    @Test
    void changesThatCrossNothingRaiseNoAlert() {
        // Given 10 units with a threshold of 3
        ledger.adjust("a1", "A", 10, 3);
        ledger.stockAlerts();

        // When an order locks 2 and is paid, 4 more arrive, and an adjustment is redelivered
        ledger.place("o1", line("A", 2));
        ledger.pay("p1", "o1", PaymentOutcome.CAPTURED);
        ledger.adjust("a2", "A", 4);
        ledger.adjust("a2", "A", 4);

        // Then nothing crossed
        assertEquals(List.of(), ledger.stockAlerts());
        assertEquals(new StockLevel("A", 12, 12, 0, 4, ledger.now().toEpochMilli(), 3L), ledger.level("A"));
    }

    @Test
    void aNegativeThresholdIsADeadLetterAndChangesNothing() {
        ledger.adjust("a1", "A", 4);

        ledger.adjust("t1", "A", 0, -1);

        final DeadLetter deadLetter = single(ledger.deadLetters());
        assertEquals(DeadLetterCode.INVALID_QUANTITY, deadLetter.getCode());
        assertEquals("a low-stock threshold is 0 to " + ContractRules.MAX_ADJUSTMENT + ", got -1",
                deadLetter.getMessage());
        assertNull(ledger.level("A").lowStockThreshold());
        assertEquals(1, ledger.level("A").version());
    }

    @Test
    void aStockAdjustedOfTheFirstVersionStillMeansAChangeOfDeltaThatKeepsTheThreshold() {
        // Given 10 units with a threshold of 5
        ledger.adjust("a1", "A", 10, 5);
        ledger.stockAlerts();

        // When an adjustment of -6 written with version 1 of StockAdjusted arrives
        final Schema v1 = SchemaVersions.of(StockAdjusted.class).get(1);
        final GenericRecord old = new GenericData.Record(v1);
        old.put("adjustmentId", "a2");
        old.put("sku", "A");
        old.put("delta", -6L);
        old.put("reason", "recount");
        old.put("at", ledger.now().toEpochMilli());
        ledger.pipeRaw(EventTopic.STOCK_ADJUSTMENTS, "A".getBytes(StandardCharsets.UTF_8), SingleObject.frame(v1, old));

        // Then it is applied as it always was, the threshold stays, and the level crossed it
        assertEquals(List.of(), ledger.deadLetters());
        assertEquals(new StockLevel("A", 4, 4, 0, 2, ledger.now().toEpochMilli(), 5L), ledger.level("A"));
        assertEquals(List.of(alert("A", StockAlertKind.LOW_STOCK, 4, 5L)), alertsAt(ledger.stockAlerts()));
    }

    /** An alert as the ledger publishes it at the harness's current time. */
    private StockAlert alert(final String sku, final StockAlertKind kind, final long available, final Long threshold) {
        return new StockAlert(sku, null, kind, available, threshold, ledger.now());
    }

    /** The alerts' values, each checked to be keyed by its SKU. */
    private static List<StockAlert> alertsAt(final List<KeyValue<String, StockAlert>> records) {
        records.forEach(r -> assertEquals(r.value.getSku(), r.key, "keyed by sku"));
        return records.stream().map(r -> r.value).toList();
    }

    private static <T> T single(final List<T> items) {
        assertEquals(1, items.size(), items.toString());
        return items.get(0);
    }
}
