package io.stockline.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stockline.ledger.OrderCommand.ApplyPayment;
import io.stockline.ledger.OrderCommand.PaymentResult;
import io.stockline.ledger.OrderCommand.PlaceOrder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class RetentionTest {

    private static final long DAY = Duration.ofDays(1).toMillis();
    private static final long NOW = 100 * DAY;
    private static final Origin ORIGIN = new Origin("payments", 0, 7, "o-1", new byte[0]);
    private final Retention retention = new Retention(Duration.ofDays(30));

    @Test
    void anEventOlderThanTheRetentionIsRefusedAndOneJustInsideIsNot() {
        final Rejection stale = retention.refuseIfStale(payment(NOW - 30 * DAY), NOW);

        assertEquals(RejectCode.STALE_EVENT, stale.code());
        assertEquals(ORIGIN, stale.origin());
        assertTrue(stale.message().startsWith("event p-1 of "), stale.message());
        assertTrue(stale.message().contains(" is older than the retention of 30d: "), stale.message());
        assertNull(retention.refuseIfStale(payment(NOW - 30 * DAY + 1), NOW));
    }

    @Test
    void everyEventFromOutsideIsJudgedByItsOwnTimeAndTheLedgersOwnCommandsNever() {
        final long old = NOW - 31 * DAY;
        assertEquals(RejectCode.STALE_EVENT, retention.refuseIfStale(
                new PlaceOrder("e-1", "o-1", List.of(new Line("A", 1)), old, null, ORIGIN), NOW).code());
        assertEquals(RejectCode.STALE_EVENT, retention.refuseIfStale(
                new OrderCommand.CancelOrder("c-1", "o-1", "why", old, ORIGIN), NOW).code());
        assertEquals(RejectCode.STALE_EVENT, retention.refuseIfStale(
                new StockCommand.Adjust("a-1", "A", 5, "count", old, ORIGIN), NOW).code());
        assertEquals(RejectCode.STALE_EVENT, retention.refuseIfStale(
                new OrderCommand.ShipOrder("s-1", "o-1", null, old, ORIGIN), NOW).code());
        assertNull(retention.refuseIfStale(new OrderCommand.LineResult("o-1", "A", 1, true, 5), NOW));
        assertNull(retention.refuseIfStale(new StockCommand.Reserve("o-1", "A", 1, null), NOW));
    }

    @ParameterizedTest
    @EnumSource(value = OrderStatus.class, names = {"REJECTED", "CONFIRMED", "CANCELLED", "EXPIRED", "REFUNDED",
        "SHIPPED", "PARTIALLY_REFUNDED"})
    void aSettledOrderMayBeForgottenOnceItsLastChangeIsARetentionAgo(final OrderStatus status) {
        final Order settled = order(status, NOW - 40 * DAY, NOW - 30 * DAY, List.of());

        assertTrue(retention.mayForget(settled, NOW));
        assertFalse(retention.mayForget(settled, NOW - 1));
    }

    @ParameterizedTest
    @EnumSource(value = OrderStatus.class, names = {"PENDING", "RESERVED", "AMENDED"})
    void anOrderThatHoldsOrAwaitsStockIsNeverForgotten(final OrderStatus status) {
        assertFalse(retention.mayForget(order(status, 0, 0, List.of()), NOW));
    }

    /** Deducting on shipment, a paid order keeps its unshipped units locked: forgetting it would lock them for good. */
    @ParameterizedTest
    @EnumSource(value = OrderStatus.class, names = {"CONFIRMED", "SHIPPED", "PARTIALLY_REFUNDED"})
    void aPaidOrderWithUnitsStillLockedIsNeverForgotten(final OrderStatus status) {
        final Order waitingToShip = new Order("o-1", status, "e-1", List.of(new Line("A", 2)), 0, null, DAY, null, 0,
                Map.of("A", 1L), 0, null, List.of(), List.of("p-1"), Map.of("A", 1L));

        assertFalse(retention.mayForget(waitingToShip, NOW));
    }

    @Test
    void anOrderConfirmedDeductingOnShipmentIsKeptUntilItsLastUnitShips() {
        // Given an order confirmed while deducting on shipment, long ago
        final OrderMachine shipping = new OrderMachine(DAY, DAY, DeductOn.SHIPMENT);
        final Order pending = shipping.place(null, new PlaceOrder("e-1", "o-1", List.of(new Line("A", 2)), 0, null,
                ORIGIN), 0).order();
        final Order reserved = shipping.lineResult(pending, new OrderCommand.LineResult("o-1", "A", 2, true, 5), 1)
                .order();
        final Order confirmed = shipping.payment(reserved, payment(2), 2).order();
        final Order halfShipped = shipping.ship(confirmed, new OrderCommand.ShipOrder("s-1", "o-1",
                List.of(new Line("A", 1)), 3, ORIGIN), 3).order();

        // Then it is kept while a unit is left to ship, and may go a retention after the last one shipped
        assertFalse(retention.mayForget(confirmed, NOW));
        assertFalse(retention.mayForget(halfShipped, NOW));
        final Order shipped = shipping.ship(halfShipped, new OrderCommand.ShipOrder("s-2", "o-1", null, 4, ORIGIN),
                NOW - 30 * DAY).order();
        assertEquals(OrderStatus.SHIPPED, shipped.status());
        assertTrue(retention.mayForget(shipped, NOW));
        assertFalse(retention.mayForget(shipped, NOW - 1));
    }

    @Test
    void eventsStillWaitingForTheirOrderAreKeptAndOnesRefusedAsOrphansAreNot() {
        final Order.Held held = new Order.Held(payment(0), 0);

        assertFalse(retention.mayForget(order(OrderStatus.AWAITING_ORDER, 0, 0, List.of(held)), NOW));
        assertTrue(retention.mayForget(order(OrderStatus.AWAITING_ORDER, 0, 0, List.of()), NOW));
    }

    @Test
    void anOrderPlacedWithATimeAfterItsLastChangeIsKeptUntilThatTimeIsARetentionAgo() {
        // A producer's clock ahead of the ledger's: a redelivery of the order would not be stale yet.
        final Order ahead = order(OrderStatus.REJECTED, NOW - 29 * DAY, NOW - 31 * DAY, List.of());

        assertFalse(retention.mayForget(ahead, NOW));
    }

    @Test
    void anAdjustmentIdIsKeptFromTheLaterOfItsOwnTimeAndWhenItWasApplied() {
        final StockCommand.Adjust ahead = new StockCommand.Adjust("a-1", "A", 5, "count", NOW + DAY, ORIGIN);

        assertEquals(NOW + DAY, Retention.keptFrom(ahead, NOW));
        assertFalse(retention.mayForgetAdjustment(Retention.keptFrom(ahead, NOW), NOW + 30 * DAY));
        assertTrue(retention.mayForgetAdjustment(Retention.keptFrom(ahead, NOW), NOW + 31 * DAY));
    }

    @Test
    void aRetentionOfNothingIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Retention(Duration.ZERO));
    }

    private static ApplyPayment payment(final long at) {
        return new ApplyPayment("p-1", "o-1", PaymentResult.CAPTURED, at, ORIGIN);
    }

    private static Order order(final OrderStatus status, final long placedAt, final long updatedAt,
                               final List<Order.Held> held) {
        return new Order("o-1", status, "e-1", List.of(new Line("A", 1)), placedAt, null, placedAt + DAY, null,
                updatedAt, Map.of(), 0, null, held, List.of("p-1"));
    }
}
