package io.stockline.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class TimerQueueTest {

    private static final long GRACE = 300_000;
    private static final Origin ORIGIN = new Origin("orders", 0, 0, "o-1", new byte[0]);
    private final OrderMachine machine = new OrderMachine(900_000, GRACE);

    @Test
    void takesOnlyWhatIsDueSoonestFirstAndAtMostTheLimit() {
        final TimerQueue queue = new TimerQueue();
        queue.set(new Timer(30, Timer.Kind.EXPIRY, "c"));
        queue.set(new Timer(10, Timer.Kind.EXPIRY, "a"));
        queue.set(new Timer(20, Timer.Kind.ORPHAN, "b"));
        queue.set(new Timer(99, Timer.Kind.EXPIRY, "later"));

        assertEquals(List.of(new Timer(10, Timer.Kind.EXPIRY, "a"), new Timer(20, Timer.Kind.ORPHAN, "b")),
                queue.takeDue(30, 2));
        assertEquals(List.of(new Timer(30, Timer.Kind.EXPIRY, "c")), queue.takeDue(30, 10));
        assertEquals(List.of(), queue.takeDue(98, 10));
        assertEquals(List.of(new Timer(99, Timer.Kind.EXPIRY, "later")), queue.takeDue(Long.MAX_VALUE, 10));
    }

    @Test
    void aClearedTimerNeverFires() {
        final TimerQueue queue = new TimerQueue();
        queue.set(new Timer(10, Timer.Kind.EXPIRY, "a"));
        queue.clear(new Timer(10, Timer.Kind.EXPIRY, "a"));

        assertEquals(List.of(), queue.takeDue(100, 10));
    }

    @Test
    void theTimersOfAnOrderAreTheOnesItsStepsSetAndDidNotClear() {
        // Given an order reserved through the machine, and early events held for an order not yet placed
        final OrderCommand.PlaceOrder place = new OrderCommand.PlaceOrder("e-1", "o-1",
                List.of(new Line("MUG", 1)), 1_000, 5_000L, ORIGIN);
        final OrderStep placed = machine.place(null, place, 1_000, sku -> 10L);
        final OrderStep reserved = machine.lineResult(placed.order(),
                new OrderCommand.LineResult("o-1", "MUG", 1, true, 10, false), 1_001);
        final OrderStep early = machine.payment(null, payment("p-1", "o-2"), 2_000);
        final OrderStep earlier = machine.cancel(early.order(), cancel("c-1", "o-2"), 3_000);

        // Then timersOf names exactly what those steps set
        assertEquals(reserved.timersToSet(), machine.timersOf(reserved.order()));
        assertEquals(List.of(new Timer(2_000 + GRACE, Timer.Kind.ORPHAN, "o-2"),
                new Timer(3_000 + GRACE, Timer.Kind.ORPHAN, "o-2")), machine.timersOf(earlier.order()));
        assertEquals(List.of(early.timersToSet().get(0), earlier.timersToSet().get(0)),
                machine.timersOf(earlier.order()));
        assertEquals(List.of(), machine.timersOf(placed.order()), "a PENDING order waits on no timer");
    }

    private static OrderCommand.ApplyPayment payment(final String paymentId, final String orderId) {
        return new OrderCommand.ApplyPayment(paymentId, orderId, OrderCommand.PaymentResult.CAPTURED, 0, ORIGIN);
    }

    private static OrderCommand.CancelOrder cancel(final String cancelId, final String orderId) {
        return new OrderCommand.CancelOrder(cancelId, orderId, "changed mind", 0, ORIGIN);
    }
}
