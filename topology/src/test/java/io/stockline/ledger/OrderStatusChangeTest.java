package io.stockline.ledger;

import io.stockline.schemas.EventTopic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stockline.ledger.OrderCommand.ApplyPayment;
import io.stockline.ledger.OrderCommand.LineResult;
import io.stockline.ledger.OrderCommand.PaymentResult;
import io.stockline.ledger.OrderCommand.PlaceOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which steps report a status change: those that decide an order or move it on, and no others. (Nothing reads
 * the change since the {@code order_status} table is derived from order-outcomes; it goes with the ledger
 * processor's {@code statusChanges} child.)
 */
class OrderStatusChangeTest {

    private static final long NOW = 10_000L;
    private static final Origin ORIGIN = new Origin(EventTopic.ORDERS.topicName(), 0, 1L, "o1", new byte[] {1});
    private static final PlaceOrder PLACE = new PlaceOrder("e1", "o1", List.of(new Line("A", 2)), NOW, 60_000L,
            ORIGIN);

    private final OrderMachine machine = new OrderMachine(900_000L, 300_000L);

    @Test
    void pendingOrderIsNotAStatusChange() {
        final OrderStep step = machine.place(null, PLACE, NOW);

        assertEquals(OrderStatus.PENDING, step.order().status());
        assertTrue(step.statusChange().isEmpty());
    }

    @Test
    void paymentWaitingForItsOrderIsNotAStatusChange() {
        final OrderStep step = machine.payment(null, capture("p1"), NOW);

        assertEquals(OrderStatus.AWAITING_ORDER, step.order().status());
        assertTrue(step.statusChange().isEmpty());
    }

    @Test
    void reservationAndEveryLaterMoveAreStatusChanges() {
        final Order pending = machine.place(null, PLACE, NOW).order();

        final OrderStep reserved = machine.lineResult(pending, new LineResult("o1", "A", 2, true, 5), NOW);
        final OrderStep confirmed = machine.payment(reserved.order(), capture("p1"), NOW + 1);

        assertEquals(OrderStatus.RESERVED, reserved.statusChange().orElseThrow().status());
        assertEquals(OrderStatus.CONFIRMED, confirmed.statusChange().orElseThrow().status());
        assertEquals(NOW + 1, confirmed.statusChange().orElseThrow().updatedAt());
    }

    @Test
    void refusedEventIsNotAStatusChange() {
        final Order pending = machine.place(null, PLACE, NOW).order();
        final Order reserved = machine.lineResult(pending, new LineResult("o1", "A", 2, true, 5), NOW).order();

        final OrderStep refund = machine.payment(reserved, new ApplyPayment("p9", "o1", PaymentResult.REFUNDED, NOW,
                ORIGIN), NOW);

        assertEquals(1, refund.rejections().size());
        assertTrue(refund.statusChange().isEmpty());
    }

    private static ApplyPayment capture(final String paymentId) {
        return new ApplyPayment(paymentId, "o1", PaymentResult.CAPTURED, NOW, ORIGIN);
    }
}
