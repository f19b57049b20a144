package io.stockline.topology;

import static io.stockline.topology.LedgerHarness.keyOn;
import static io.stockline.topology.LedgerHarness.line;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stockline.ledger.StockLevel;
import io.stockline.schemas.OrderOutcome;
import io.stockline.schemas.OrderStatus;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Where a command is applied. The test driver runs one task, on partition 0 of {@link LedgerHarness#PARTITIONS}:
 * a key hashing to 0 is this task's own, any other belongs to another task and must go through its command
 * topic (which the driver feeds back in, as the owner would read it).
 */
class LocalityTest {

    private final LedgerHarness ledger = new LedgerHarness();

    @AfterEach
    void close() {
        ledger.close();
    }

    @Test
    void anOrderWhoseSkuLivesInItsOwnTaskIsDecidedWithoutACommandRecord() {
        // Given an order and a SKU this task owns, when the order asks for 2
        final Placed placed = placeOrder(0, 0, 2);

        // Then it is reserved in one step: nothing went through a command topic
        assertEquals(List.of(OrderStatus.RESERVED), statuses(ledger.outcomes()));
        assertEquals(List.of(), ledger.commandKeys(LedgerTopics.SKU_COMMANDS));
        assertEquals(List.of(), ledger.commandKeys(LedgerTopics.ORDER_COMMANDS));
        assertEquals(3, ledger.level(placed.sku()).available());
    }

    @Test
    void anOrderAsksTheTaskThatOwnsItsSkuThroughTheSkuCommandsTopic() {
        // Given a SKU of another task
        final String sku = keyOn(3, "sku");
        final String order = keyOn(0, "order");
        ledger.adjust("a1", sku, 5);
        ledger.commandKeys(LedgerTopics.SKU_COMMANDS);

        // When
        ledger.place(order, line(sku, 2));

        // Then the reserve request went to the SKU's task (here the driver's one task stands in for it, and so
        // answers the order, which hashes to 0, without a topic)
        assertEquals(List.of(sku), ledger.commandKeys(LedgerTopics.SKU_COMMANDS));
        assertEquals(List.of(OrderStatus.RESERVED), statuses(ledger.outcomes()));
    }

    @Test
    void anEventOnAPartitionItsKeyDoesNotHashToGoesToTheTaskThatOwnsIt() {
        // Given an order id that hashes to another partition than the one it was produced to, when it is placed
        final Placed placed = placeOrder(4, 0, 1);

        // Then it is re-routed to its owner through the order commands topic, and decided there
        assertEquals(placed.order(), ledger.commandKeys(LedgerTopics.ORDER_COMMANDS).get(0));
        assertEquals(List.of(OrderStatus.RESERVED), statuses(ledger.outcomes()));
    }

    @Test
    void aSkuOfAnotherTaskThatSaidItHasNothingLeftIsNotAskedAgainUntilTheRecheck() {
        // Given a SKU of another task whose last unit the first order takes
        final String sku = keyOn(2, "sku");
        ledger.adjust("a1", sku, 1);
        ledger.place(keyOn(0, "first"), line(sku, 1));
        ledger.commandKeys(LedgerTopics.SKU_COMMANDS);
        ledger.outcomes();

        // When another order comes within the recheck
        ledger.place(keyOn(0, "second"), line(sku, 1));

        // Then it is rejected without a request to the SKU's task, naming the SKU as having none
        assertEquals(List.of(), ledger.commandKeys(LedgerTopics.SKU_COMMANDS));
        final OrderOutcome rejected = single(ledger.outcomes());
        assertEquals(OrderStatus.REJECTED, rejected.getStatus());
        assertEquals("insufficient stock for sku " + sku + ": requested 1, available 0", rejected.getReason());
        assertEquals(List.of(), ledger.rollbacks());

        // When the SKU is restocked: still marked until the recheck has passed
        ledger.adjust("a2", sku, 5);
        ledger.place(keyOn(0, "third"), line(sku, 1));
        assertEquals(OrderStatus.REJECTED, single(ledger.outcomes()).getStatus());
        assertEquals(List.of(sku), ledger.commandKeys(LedgerTopics.SKU_COMMANDS), "only the restock");

        // Then once it has, the next order asks, is reserved, and the mark is gone for the ones after it
        ledger.advance(LedgerConfig.DEFAULT_SOLD_OUT_RECHECK);
        ledger.place(keyOn(0, "fourth"), line(sku, 1));
        ledger.place(keyOn(0, "fifth"), line(sku, 1));
        assertEquals(List.of(sku, sku), ledger.commandKeys(LedgerTopics.SKU_COMMANDS));
        assertEquals(List.of(OrderStatus.RESERVED, OrderStatus.RESERVED), statuses(ledger.outcomes()));
        final StockLevel level = ledger.level(sku);
        assertEquals(List.of(6L, 3L, 3L), List.of(level.onHand(), level.available(), level.locked()));
    }

    @Test
    void aLineThatCannotFitInItsOwnTaskRejectsTheOrderBeforeAnythingIsLocked() {
        // Given two SKUs of this task, one with enough and one short
        final String plenty = keyOn(0, "plenty");
        final String scarce = keyOn(0, "scarce");
        ledger.adjust("a1", plenty, 10);
        ledger.adjust("a2", scarce, 1);

        // When an order asks for more of the scarce one than there is
        ledger.place(keyOn(0, "order"), line(plenty, 2), line(scarce, 2));

        // Then it is rejected, nothing was locked on the way and so nothing is rolled back
        assertEquals(List.of(OrderStatus.REJECTED), statuses(ledger.outcomes()));
        assertEquals(List.of(), ledger.rollbacks());
        assertEquals(10, ledger.level(plenty).available());
        assertEquals(1L, ledger.level(plenty).version());
    }

    /** An order and the one SKU it asks for, each a key that hashes to the partition the test chose. */
    private record Placed(String order, String sku) {
    }

    /** 5 units of a SKU on {@code skuPartition}, then an order on {@code orderPartition} for {@code quantity}. */
    private Placed placeOrder(final int orderPartition, final int skuPartition, final long quantity) {
        final Placed placed = new Placed(keyOn(orderPartition, "order"), keyOn(skuPartition, "sku"));
        ledger.adjust("a1", placed.sku(), 5);
        ledger.place(placed.order(), line(placed.sku(), quantity));
        return placed;
    }

    private static List<OrderStatus> statuses(final List<OrderOutcome> outcomes) {
        return outcomes.stream().map(OrderOutcome::getStatus).toList();
    }

    private static OrderOutcome single(final List<OrderOutcome> outcomes) {
        assertEquals(1, outcomes.size(), outcomes.toString());
        return outcomes.get(0);
    }
}
