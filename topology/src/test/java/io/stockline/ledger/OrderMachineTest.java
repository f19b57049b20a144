package io.stockline.ledger;

import io.stockline.schemas.EventTopic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stockline.ledger.OrderCommand.ApplyPayment;
import io.stockline.ledger.OrderCommand.CancelOrder;
import io.stockline.ledger.OrderCommand.HeldEvent;
import io.stockline.ledger.OrderCommand.LineResult;
import io.stockline.ledger.OrderCommand.PaymentResult;
import io.stockline.ledger.OrderCommand.PlaceOrder;
import io.stockline.ledger.OrderCommand.ShipOrder;
import io.stockline.ledger.StockCommand.Commit;
import io.stockline.ledger.StockCommand.Refund;
import io.stockline.ledger.StockCommand.Release;
import io.stockline.ledger.StockCommand.Reserve;
import io.stockline.ledger.StockCommand.Ship;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The order state machine: every status (reached only through the machine's own methods) against every
 * command, then the rules that need more than one step to show.
 */
class OrderMachineTest {

    static final long DEFAULT_HOLD = 30_000L;
    static final long GRACE = 5_000L;

    static final String ORDER = "order-1";
    static final String A = "sku-a";
    static final String B = "sku-b";
    static final String C = "sku-c";

    static final long PLACED_AT = 1_000_000L;
    static final long HOLD = 60_000L;
    static final long DEADLINE = PLACED_AT + HOLD;
    static final long T_PLACE = PLACED_AT + 10;
    static final long T_REPLY = PLACED_AT + 20;
    /** When the event under test arrives: after everything in "given", before the deadline and the grace. */
    static final long T_EVENT = PLACED_AT + 1_000;
    /** When the held event of an AWAITING_ORDER order arrived. */
    static final long T_EARLY = PLACED_AT;

    /** A1 + B3 + A1: summed, the order is A2, B3. */
    static final List<Line> LINES = List.of(new Line(A, 1), new Line(B, 3), new Line(A, 1));
    static final List<Line> SUMMED = List.of(new Line(A, 2), new Line(B, 3));
    static final List<Line> OTHER_LINES = List.of(new Line(A, 5));

    static final Timer EXPIRY = new Timer(DEADLINE, Timer.Kind.EXPIRY, ORDER);

    private final OrderMachine machine = new OrderMachine(DEFAULT_HOLD, GRACE);
    /** The ledger deducting on shipment: a captured payment leaves the units allocated until they ship. */
    private final OrderMachine shipping = new OrderMachine(DEFAULT_HOLD, GRACE, DeductOn.SHIPMENT);

    private static long offsets;

    static Origin origin(final String topic) {
        return new Origin(topic, 0, offsets++, ORDER, new byte[0]);
    }

    static PlaceOrder place(final String eventId, final List<Line> lines, final long placedAt, final Long hold) {
        return new PlaceOrder(eventId, ORDER, lines, placedAt, hold, origin(EventTopic.ORDERS.topicName()));
    }

    static PlaceOrder place() {
        return place("placed-1", LINES, PLACED_AT, HOLD);
    }

    static ApplyPayment payment(final String id, final PaymentResult result) {
        return new ApplyPayment(id, ORDER, result, 0, origin(EventTopic.PAYMENTS.topicName()));
    }

    static CancelOrder cancel(final String id) {
        return new CancelOrder(id, ORDER, "changed my mind", 0, origin(EventTopic.CANCELLATIONS.topicName()));
    }

    /** A cancellation of these lines only. */
    static CancelOrder cancelLines(final String id, final Line... lines) {
        return new CancelOrder(id, ORDER, "changed my mind", 0, origin(EventTopic.CANCELLATIONS.topicName()),
                List.of(lines));
    }

    /** A refund of these lines, or of everything the order still has when none are named. */
    static ApplyPayment refund(final String id, final boolean restock, final Line... lines) {
        return new ApplyPayment(id, ORDER, PaymentResult.REFUNDED, 0, origin(EventTopic.PAYMENTS.topicName()),
                lines.length == 0 ? null : List.of(lines), restock);
    }

    /** A shipment of these lines, or of everything still to ship when none are named. */
    static ShipOrder ship(final String id, final Line... lines) {
        return new ShipOrder(id, ORDER, lines.length == 0 ? null : List.of(lines), 0,
                origin(EventTopic.ORDERS.topicName()));
    }

    static LineResult reply(final String sku, final long quantity, final boolean reserved, final long available) {
        return new LineResult(ORDER, sku, quantity, reserved, available);
    }

    static List<RejectCode> codes(final OrderStep step) {
        return step.rejections().stream().map(Rejection::code).toList();
    }

    static List<StockCommand> sorted(final List<? extends StockCommand> commands) {
        return commands.stream().<StockCommand>map(c -> c).sorted(Comparator.comparing(Object::toString)).toList();
    }

    /** A step about an order the ledger does not have: it stays unknown, and nothing is sent. */
    static void assertStillUnknown(final OrderStep step) {
        assertNull(step.order());
        assertNothingSent(step);
    }

    static void assertNothingSent(final OrderStep step) {
        assertEquals(List.of(), step.stockCommands(), "stock commands");
        assertEquals(List.of(), step.outcomes(), "outcomes");
        assertEquals(List.of(), step.rejections(), "rejections");
        assertEquals(List.of(), step.timersToSet(), "timers to set");
        assertEquals(List.of(), step.timersToClear(), "timers to clear");
    }

    static void assertOutcome(final Outcome outcome, final OrderStatus status, final String reason,
                              final Long expiresAt, final long at) {
        assertEquals(new Outcome(ORDER, status, reason, outcome.lines(), outcome.placedAt(), expiresAt, at), outcome);
    }

    // ---------------------------------------------------------------- getting an order into each status

    Order pending() {
        return machine.place(null, place(), T_PLACE).order();
    }

    Order reserved() {
        final Order half = machine.lineResult(pending(), reply(A, 2, true, 10), T_REPLY).order();
        return machine.lineResult(half, reply(B, 3, true, 10), T_REPLY).order();
    }

    Order given(final OrderStatus status) {
        return given(machine, status);
    }

    /**
     * An order in {@code status}, reached through {@code by}'s own methods. The paid ones start from A2, B3:
     * AMENDED has let go of A1 (A1, B3 reserved); SHIPPED (deducting on shipment only) has shipped A1; and
     * PARTIALLY_REFUNDED has had B1 refunded.
     */
    Order given(final OrderMachine by, final OrderStatus status) {
        final Order order = switch (status) {
            case AWAITING_ORDER -> by.payment(null, payment("pay-early", PaymentResult.CAPTURED), T_EARLY).order();
            case PENDING -> pending();
            case RESERVED -> reserved();
            case REJECTED -> {
                final Order half = by.lineResult(pending(), reply(A, 2, true, 10), T_REPLY).order();
                yield by.lineResult(half, reply(B, 3, false, 1), T_REPLY).order();
            }
            case CONFIRMED -> by.payment(reserved(), payment("pay-1", PaymentResult.CAPTURED), T_REPLY).order();
            case CANCELLED -> by.cancel(reserved(), cancel("cancel-1"), T_REPLY).order();
            case EXPIRED -> by.expire(reserved(), DEADLINE).order();
            case REFUNDED -> by.payment(given(by, OrderStatus.CONFIRMED), payment("pay-2", PaymentResult.REFUNDED),
                    T_REPLY).order();
            case AMENDED -> by.cancel(reserved(), cancelLines("cancel-1", new Line(A, 1)), T_REPLY).order();
            case SHIPPED -> by.ship(given(by, OrderStatus.CONFIRMED), ship("ship-1", new Line(A, 1)), T_REPLY)
                    .order();
            case PARTIALLY_REFUNDED -> by.payment(given(by, OrderStatus.CONFIRMED),
                    refund("pay-2", true, new Line(B, 1)), T_REPLY).order();
        };
        assertEquals(status, order.status(), "given");
        return order;
    }

    // ---------------------------------------------------------------- the status x command matrix

    enum Event {
        PLACE_SAME, PLACE_OTHER, CAPTURED, FAILED, REFUNDED, CANCEL, DUPLICATE_PAYMENT, DUPLICATE_CANCEL,
        EXPIRE_BEFORE_DEADLINE, EXPIRE_AT_DEADLINE, EXPIRE_AFTER_DEADLINE,
        ORPHAN_TIMEOUT_BEFORE_GRACE, ORPHAN_TIMEOUT_AFTER_GRACE,
        /** Let go of B1: within what every reserved status holds. */
        CANCEL_LINES,
        /** Let go of A3: more than any status has reserved. */
        CANCEL_LINES_TOO_MANY,
        /** A2 returned and restocked. */
        REFUND_LINES,
        /** A2 returned damaged. */
        REFUND_DAMAGED,
        /** A3 returned: more than any status has paid for. */
        REFUND_TOO_MANY,
        /** Everything still to ship. */
        SHIP,
        /** B1 shipped. */
        SHIP_LINES,
        /** B1 shipped, delivered twice. */
        DUPLICATE_SHIP
    }

    /**
     * Where deducting on shipment changes anything: a capture, and everything after it. The matrix runs these
     * statuses in both modes, the others deducting on payment (SHIPPED is reached only deducting on shipment).
     */
    static final Set<OrderStatus> SHIPMENT_MODE_STATUSES = EnumSet.of(OrderStatus.RESERVED, OrderStatus.AMENDED,
            OrderStatus.CONFIRMED, OrderStatus.SHIPPED, OrderStatus.PARTIALLY_REFUNDED);

    /** What a row expects. Unset parts mean: as the order was before. */
    static final class Then {
        OrderStatus status;
        boolean sameInstance;
        String rememberedEventId;
        List<StockCommand> stock = List.of();
        List<Outcome> outcomes = List.of();
        List<RejectCode> rejections = List.of();
        List<Timer> timersSet = List.of();
        List<Timer> timersCleared = List.of();
        Map<String, Long> locked;
        Map<String, Long> sold;
        int heldDelta;

        Then stock(final StockCommand... commands) {
            stock = List.of(commands);
            return this;
        }

        /**
         * An outcome: status, reason and expiresAt are compared, and its lines with where the order stands after
         * the step ({@link #outcomeLines}).
         */
        Then outcome(final OrderStatus outcomeStatus, final String reason, final Long expiresAt) {
            outcomes = List.of(new Outcome(ORDER, outcomeStatus, reason, List.of(), null, expiresAt, 0));
            return this;
        }

        Then sets(final Timer timer) {
            timersSet = List.of(timer);
            return this;
        }

        Then clears(final Timer timer) {
            timersCleared = List.of(timer);
            return this;
        }

        Then unlocksAll() {
            return locked(List.of());
        }

        Then locked(final List<Line> lines) {
            locked = units(lines);
            return this;
        }

        Then sold(final List<Line> lines) {
            sold = units(lines);
            return this;
        }

        @Override
        public String toString() {
            final List<String> parts = new ArrayList<>();
            parts.add(status == null ? "same status" : status.name());
            if (sameInstance) {
                parts.add("same instance");
            }
            stock.forEach(c -> parts.add(c.getClass().getSimpleName() + " " + c.sku()));
            outcomes.forEach(o -> parts.add("outcome " + o.status()));
            rejections.forEach(r -> parts.add(r.name()));
            timersSet.forEach(t -> parts.add("set " + t.kind()));
            timersCleared.forEach(t -> parts.add("clear " + t.kind()));
            if (heldDelta != 0) {
                parts.add("held " + (heldDelta > 0 ? "+" : "") + heldDelta);
            }
            return String.join(", ", parts);
        }
    }

    static Map<String, Long> units(final List<Line> lines) {
        final Map<String, Long> bySku = new LinkedHashMap<>();
        lines.forEach(line -> bySku.put(line.sku(), line.quantity()));
        return bySku;
    }

    static List<Line> lines(final Object... skuThenQuantity) {
        final List<Line> lines = new ArrayList<>();
        for (int i = 0; i < skuThenQuantity.length; i += 2) {
            lines.add(new Line((String) skuThenQuantity[i], ((Number) skuThenQuantity[i + 1]).longValue()));
        }
        return lines;
    }

    static Then to(final OrderStatus status) {
        final Then then = new Then();
        then.status = status;
        return then;
    }

    static Then unchanged() {
        final Then then = new Then();
        then.sameInstance = true;
        return then;
    }

    /** Refused, and only its event id is remembered, so that a redelivery is not refused twice. */
    static Then conflict() {
        final Then then = refused(RejectCode.ORDER_ID_CONFLICT);
        then.rememberedEventId = "placed-other";
        return then;
    }

    static Then refused(final RejectCode code) {
        final Then then = new Then();
        then.rejections = List.of(code);
        return then;
    }

    static Then held() {
        final Then then = new Then();
        then.heldDelta = 1;
        return then;
    }

    static Then heldWithOrphanTimer() {
        return held().sets(new Timer(T_EVENT + GRACE, Timer.Kind.ORPHAN, ORDER));
    }

    /** The matrix's rows for one status in one mode, named event by event. */
    static final class Given {
        private final DeductOn mode;
        private final OrderStatus status;
        private final List<Arguments> rows = new ArrayList<>();

        private Given(final DeductOn mode, final OrderStatus status) {
            this.mode = mode;
            this.status = status;
        }

        Given then(final Then then, final Event... events) {
            for (final Event event : events) {
                rows.add(Arguments.of(mode, status, event, then));
            }
            return this;
        }

        Stream<Arguments> rows() {
            return rows.stream();
        }
    }

    static Given rows(final OrderStatus status) {
        return rows(DeductOn.PAYMENT, status);
    }

    static Given rows(final DeductOn mode, final OrderStatus status) {
        return new Given(mode, status);
    }

    /**
     * A settled order (rejected, cancelled, expired or refunded) refuses every payment, cancellation and
     * shipment, the capture with {@code onCapture}; redeliveries and timers change nothing.
     */
    static Given settled(final OrderStatus status, final RejectCode onCapture) {
        return rows(status)
                .then(unchanged(), Event.PLACE_SAME)
                .then(conflict(), Event.PLACE_OTHER)
                .then(refused(onCapture), Event.CAPTURED)
                .then(refused(RejectCode.ILLEGAL_TRANSITION), Event.FAILED, Event.REFUNDED, Event.CANCEL,
                        Event.CANCEL_LINES, Event.CANCEL_LINES_TOO_MANY, Event.REFUND_LINES, Event.REFUND_DAMAGED,
                        Event.REFUND_TOO_MANY, Event.SHIP, Event.SHIP_LINES)
                .then(unchanged(), Event.DUPLICATE_PAYMENT, Event.DUPLICATE_CANCEL, Event.DUPLICATE_SHIP,
                        Event.EXPIRE_BEFORE_DEADLINE, Event.EXPIRE_AT_DEADLINE, Event.EXPIRE_AFTER_DEADLINE,
                        Event.ORPHAN_TIMEOUT_BEFORE_GRACE, Event.ORPHAN_TIMEOUT_AFTER_GRACE);
    }

    /**
     * An order holding {@code reserved} (RESERVED or AMENDED): it can be paid, failed, cancelled in whole or in
     * part, or expire, and every one of those acts on what it still holds; refunds and shipments are refused.
     *
     * @param leftAfterCancellingB1 what it still holds after {@link Event#CANCEL_LINES}
     */
    static Given reservedRows(final DeductOn mode, final OrderStatus status, final List<Line> reserved,
                              final List<Line> leftAfterCancellingB1) {
        final Then captured = mode == DeductOn.PAYMENT
                ? to(OrderStatus.CONFIRMED).stock(reserved.stream()
                        .map(line -> new Commit(ORDER, line.sku(), line.quantity())).toArray(StockCommand[]::new))
                        .unlocksAll().sold(reserved)
                // Deducting on shipment, the units stay locked, allocated to the order, and nothing is sold yet.
                : to(OrderStatus.CONFIRMED);
        return rows(mode, status)
                .then(unchanged(), Event.PLACE_SAME)
                .then(conflict(), Event.PLACE_OTHER)
                .then(captured.outcome(OrderStatus.CONFIRMED, null, null).clears(EXPIRY), Event.CAPTURED)
                .then(to(OrderStatus.CANCELLED)
                        .stock(releases(reserved, ReleaseCause.PAYMENT_FAILED))
                        .outcome(OrderStatus.CANCELLED, "PAYMENT_FAILED", null).clears(EXPIRY)
                        .unlocksAll(),
                        Event.FAILED)
                .then(refused(RejectCode.ILLEGAL_TRANSITION), Event.REFUNDED, Event.REFUND_LINES,
                        Event.REFUND_DAMAGED, Event.REFUND_TOO_MANY, Event.SHIP, Event.SHIP_LINES)
                .then(to(OrderStatus.CANCELLED)
                        .stock(releases(reserved, ReleaseCause.CANCELLED))
                        .outcome(OrderStatus.CANCELLED, "CANCELLED: changed my mind", null).clears(EXPIRY)
                        .unlocksAll(),
                        Event.CANCEL)
                .then(to(OrderStatus.AMENDED)
                        .stock(new Release(ORDER, B, 1, ReleaseCause.CANCELLED, "cancel-new"))
                        .outcome(OrderStatus.AMENDED, "CANCELLED: changed my mind", DEADLINE)
                        .locked(leftAfterCancellingB1),
                        Event.CANCEL_LINES)
                .then(refused(RejectCode.CANCEL_EXCEEDS_RESERVED), Event.CANCEL_LINES_TOO_MANY)
                .then(unchanged(), Event.DUPLICATE_PAYMENT, Event.DUPLICATE_CANCEL, Event.DUPLICATE_SHIP,
                        Event.EXPIRE_BEFORE_DEADLINE)
                .then(to(OrderStatus.EXPIRED)
                        .stock(releases(reserved, ReleaseCause.EXPIRED))
                        .outcome(OrderStatus.EXPIRED, "not paid by " + Instant.ofEpochMilli(DEADLINE), null)
                        .unlocksAll(),
                        Event.EXPIRE_AT_DEADLINE, Event.EXPIRE_AFTER_DEADLINE)
                .then(unchanged(), Event.ORPHAN_TIMEOUT_BEFORE_GRACE, Event.ORPHAN_TIMEOUT_AFTER_GRACE);
    }

    static StockCommand[] releases(final List<Line> lines, final ReleaseCause cause) {
        return lines.stream().map(line -> new Release(ORDER, line.sku(), line.quantity(), cause))
                .toArray(StockCommand[]::new);
    }

    /**
     * A paid order: it refuses captures, failures and cancellations, and any refund asking for more than it was
     * paid for. The rows of its refunds and shipments are the caller's.
     */
    static Given paidRows(final DeductOn mode, final OrderStatus status) {
        return rows(mode, status)
                .then(unchanged(), Event.PLACE_SAME)
                .then(conflict(), Event.PLACE_OTHER)
                .then(refused(RejectCode.ILLEGAL_TRANSITION), Event.CAPTURED, Event.FAILED, Event.CANCEL,
                        Event.CANCEL_LINES, Event.CANCEL_LINES_TOO_MANY)
                .then(refused(RejectCode.RETURN_EXCEEDS_SOLD), Event.REFUND_TOO_MANY)
                .then(unchanged(), Event.DUPLICATE_PAYMENT, Event.DUPLICATE_CANCEL, Event.DUPLICATE_SHIP,
                        Event.EXPIRE_BEFORE_DEADLINE, Event.EXPIRE_AT_DEADLINE, Event.EXPIRE_AFTER_DEADLINE,
                        Event.ORPHAN_TIMEOUT_BEFORE_GRACE, Event.ORPHAN_TIMEOUT_AFTER_GRACE);
    }

    static Stream<Arguments> matrix() {
        final Then placedAfterPayment = to(OrderStatus.PENDING)
                .stock(new Reserve(ORDER, A, 2), new Reserve(ORDER, B, 3));
        // A one-line order: the stock side's answer is its decision, so the request carries what that needs.
        final Then placedOtherAfterPayment = to(OrderStatus.PENDING)
                .stock(new Reserve(ORDER, A, 5, new StockCommand.SoleLine(PLACED_AT, DEADLINE)));
        final Then orphaned = refused(RejectCode.ORPHAN_EVENT);
        orphaned.heldDelta = -1;
        final Event[] heldEvents = {Event.CAPTURED, Event.FAILED, Event.REFUNDED, Event.CANCEL, Event.CANCEL_LINES,
            Event.CANCEL_LINES_TOO_MANY, Event.REFUND_LINES, Event.REFUND_DAMAGED, Event.REFUND_TOO_MANY, Event.SHIP,
            Event.SHIP_LINES};
        final Then refusedShipment = refused(RejectCode.SHIPMENT_EXCEEDS_ALLOCATED);
        final String damagedA2 = "returned damaged, not restocked: 2 x sku-a";
        return Stream.of(
                rows(OrderStatus.AWAITING_ORDER)
                        .then(placedAfterPayment, Event.PLACE_SAME)
                        .then(placedOtherAfterPayment, Event.PLACE_OTHER)
                        .then(heldWithOrphanTimer(), heldEvents)
                        .then(unchanged(), Event.DUPLICATE_PAYMENT, Event.DUPLICATE_CANCEL, Event.DUPLICATE_SHIP,
                                Event.EXPIRE_BEFORE_DEADLINE, Event.EXPIRE_AT_DEADLINE, Event.EXPIRE_AFTER_DEADLINE,
                                Event.ORPHAN_TIMEOUT_BEFORE_GRACE)
                        .then(orphaned, Event.ORPHAN_TIMEOUT_AFTER_GRACE),
                rows(OrderStatus.PENDING)
                        .then(unchanged(), Event.PLACE_SAME)
                        .then(conflict(), Event.PLACE_OTHER)
                        .then(held(), heldEvents)
                        .then(unchanged(), Event.DUPLICATE_PAYMENT, Event.DUPLICATE_CANCEL, Event.DUPLICATE_SHIP,
                                Event.EXPIRE_BEFORE_DEADLINE, Event.EXPIRE_AT_DEADLINE, Event.EXPIRE_AFTER_DEADLINE,
                                Event.ORPHAN_TIMEOUT_BEFORE_GRACE, Event.ORPHAN_TIMEOUT_AFTER_GRACE),
                reservedRows(DeductOn.PAYMENT, OrderStatus.RESERVED, SUMMED, lines(A, 2, B, 2)),
                reservedRows(DeductOn.SHIPMENT, OrderStatus.RESERVED, SUMMED, lines(A, 2, B, 2)),
                reservedRows(DeductOn.PAYMENT, OrderStatus.AMENDED, lines(A, 1, B, 3), lines(A, 1, B, 2)),
                reservedRows(DeductOn.SHIPMENT, OrderStatus.AMENDED, lines(A, 1, B, 3), lines(A, 1, B, 2)),
                settled(OrderStatus.REJECTED, RejectCode.LATE_PAYMENT),
                // Deducting on payment, a confirmed order has sold A2, B3: a refund takes sold units back (or
                // leaves them out, damaged), and there is nothing to ship.
                paidRows(DeductOn.PAYMENT, OrderStatus.CONFIRMED)
                        .then(to(OrderStatus.REFUNDED)
                                .stock(new Refund(ORDER, A, 2), new Refund(ORDER, B, 3))
                                .outcome(OrderStatus.REFUNDED, null, null).sold(List.of()),
                                Event.REFUNDED)
                        .then(to(OrderStatus.PARTIALLY_REFUNDED)
                                .stock(new Refund(ORDER, A, 2, "pay-new"))
                                .outcome(OrderStatus.PARTIALLY_REFUNDED, null, null)
                                .sold(lines(B, 3)),
                                Event.REFUND_LINES)
                        .then(to(OrderStatus.PARTIALLY_REFUNDED)
                                .outcome(OrderStatus.PARTIALLY_REFUNDED, damagedA2, null)
                                .sold(lines(B, 3)),
                                Event.REFUND_DAMAGED)
                        .then(refusedShipment, Event.SHIP, Event.SHIP_LINES),
                // Deducting on shipment, a confirmed order has A2, B3 allocated and nothing sold yet.
                paidRows(DeductOn.SHIPMENT, OrderStatus.CONFIRMED)
                        .then(to(OrderStatus.REFUNDED)
                                .stock(releases(SUMMED, ReleaseCause.REFUNDED))
                                .outcome(OrderStatus.REFUNDED, null, null).unlocksAll(),
                                Event.REFUNDED)
                        // Unshipped units go back to available, damaged or not.
                        .then(to(OrderStatus.PARTIALLY_REFUNDED)
                                .stock(new Release(ORDER, A, 2, ReleaseCause.REFUNDED, "pay-new"))
                                .outcome(OrderStatus.PARTIALLY_REFUNDED, null, null)
                                .locked(lines(B, 3)),
                                Event.REFUND_LINES, Event.REFUND_DAMAGED)
                        .then(to(OrderStatus.SHIPPED)
                                .stock(new Ship(ORDER, A, 2, "ship-new"), new Ship(ORDER, B, 3, "ship-new"))
                                .outcome(OrderStatus.SHIPPED, null, null).unlocksAll().sold(SUMMED),
                                Event.SHIP)
                        .then(to(OrderStatus.SHIPPED)
                                .stock(new Ship(ORDER, B, 1, "ship-new"))
                                .outcome(OrderStatus.SHIPPED, "still to ship: 2 x sku-a, 2 x sku-b", null)
                                .locked(lines(A, 2, B, 2)).sold(lines(B, 1)),
                                Event.SHIP_LINES),
                // A1 shipped, A1 and B3 still allocated.
                paidRows(DeductOn.SHIPMENT, OrderStatus.SHIPPED)
                        .then(to(OrderStatus.REFUNDED)
                                .stock(new Release(ORDER, A, 1, ReleaseCause.REFUNDED),
                                        new Release(ORDER, B, 3, ReleaseCause.REFUNDED), new Refund(ORDER, A, 1))
                                .outcome(OrderStatus.REFUNDED, null, null).unlocksAll().sold(List.of()),
                                Event.REFUNDED)
                        // A2 back: the unshipped A1 released, the shipped A1 returned.
                        .then(to(OrderStatus.PARTIALLY_REFUNDED)
                                .stock(new Release(ORDER, A, 1, ReleaseCause.REFUNDED, "pay-new"),
                                        new Refund(ORDER, A, 1, "pay-new"))
                                .outcome(OrderStatus.PARTIALLY_REFUNDED, null, null)
                                .locked(lines(B, 3)).sold(List.of()),
                                Event.REFUND_LINES)
                        .then(to(OrderStatus.PARTIALLY_REFUNDED)
                                .stock(new Release(ORDER, A, 1, ReleaseCause.REFUNDED, "pay-new"))
                                .outcome(OrderStatus.PARTIALLY_REFUNDED,
                                        "returned damaged, not restocked: 1 x sku-a", null)
                                .locked(lines(B, 3)).sold(List.of()),
                                Event.REFUND_DAMAGED)
                        .then(to(OrderStatus.SHIPPED)
                                .stock(new Ship(ORDER, A, 1, "ship-new"), new Ship(ORDER, B, 3, "ship-new"))
                                .outcome(OrderStatus.SHIPPED, null, null)
                                .unlocksAll().sold(SUMMED),
                                Event.SHIP)
                        .then(to(OrderStatus.SHIPPED)
                                .stock(new Ship(ORDER, B, 1, "ship-new"))
                                .outcome(OrderStatus.SHIPPED, "still to ship: 1 x sku-a, 2 x sku-b", null)
                                .locked(lines(A, 1, B, 2)).sold(lines(A, 1, B, 1)),
                                Event.SHIP_LINES),
                // B1 refunded: A2, B2 sold.
                paidRows(DeductOn.PAYMENT, OrderStatus.PARTIALLY_REFUNDED)
                        .then(to(OrderStatus.REFUNDED)
                                .stock(new Refund(ORDER, A, 2), new Refund(ORDER, B, 2))
                                .outcome(OrderStatus.REFUNDED, null, null).sold(List.of()),
                                Event.REFUNDED)
                        .then(to(OrderStatus.PARTIALLY_REFUNDED)
                                .stock(new Refund(ORDER, A, 2, "pay-new"))
                                .outcome(OrderStatus.PARTIALLY_REFUNDED, null, null)
                                .sold(lines(B, 2)),
                                Event.REFUND_LINES)
                        .then(to(OrderStatus.PARTIALLY_REFUNDED)
                                .outcome(OrderStatus.PARTIALLY_REFUNDED, damagedA2, null)
                                .sold(lines(B, 2)),
                                Event.REFUND_DAMAGED)
                        .then(refusedShipment, Event.SHIP, Event.SHIP_LINES),
                // B1 refunded before shipping: A2, B2 still allocated.
                paidRows(DeductOn.SHIPMENT, OrderStatus.PARTIALLY_REFUNDED)
                        .then(to(OrderStatus.REFUNDED)
                                .stock(releases(lines(A, 2, B, 2), ReleaseCause.REFUNDED))
                                .outcome(OrderStatus.REFUNDED, null, null).unlocksAll(),
                                Event.REFUNDED)
                        .then(to(OrderStatus.PARTIALLY_REFUNDED)
                                .stock(new Release(ORDER, A, 2, ReleaseCause.REFUNDED, "pay-new"))
                                .outcome(OrderStatus.PARTIALLY_REFUNDED, null, null)
                                .locked(lines(B, 2)),
                                Event.REFUND_LINES, Event.REFUND_DAMAGED)
                        .then(to(OrderStatus.SHIPPED)
                                .stock(new Ship(ORDER, A, 2, "ship-new"), new Ship(ORDER, B, 2, "ship-new"))
                                .outcome(OrderStatus.SHIPPED, null, null)
                                .unlocksAll().sold(lines(A, 2, B, 2)),
                                Event.SHIP)
                        .then(to(OrderStatus.SHIPPED)
                                .stock(new Ship(ORDER, B, 1, "ship-new"))
                                .outcome(OrderStatus.SHIPPED, "still to ship: 2 x sku-a, 1 x sku-b", null)
                                .locked(lines(A, 2, B, 1)).sold(lines(B, 1)),
                                Event.SHIP_LINES),
                settled(OrderStatus.CANCELLED, RejectCode.LATE_PAYMENT),
                settled(OrderStatus.EXPIRED, RejectCode.LATE_PAYMENT),
                settled(OrderStatus.REFUNDED, RejectCode.ILLEGAL_TRANSITION))
                .flatMap(Given::rows);
    }

    @Test
    void matrixCoversEveryStatusTimesEveryEvent() {
        final Set<List<Object>> seen = new HashSet<>();
        matrix().forEach(args -> assertTrue(seen.add(List.of(args.get()[0], args.get()[1], args.get()[2])),
                "twice: " + Arrays.toString(args.get())));
        for (final OrderStatus status : OrderStatus.values()) {
            for (final Event event : Event.values()) {
                assertEquals(status != OrderStatus.SHIPPED, seen.contains(List.of(DeductOn.PAYMENT, status, event)),
                        "deducting on payment: " + status + "/" + event);
                assertEquals(SHIPMENT_MODE_STATUSES.contains(status),
                        seen.contains(List.of(DeductOn.SHIPMENT, status, event)),
                        "deducting on shipment: " + status + "/" + event);
            }
        }
        assertEquals((OrderStatus.values().length - 1 + SHIPMENT_MODE_STATUSES.size()) * Event.values().length,
                seen.size());
    }

    @ParameterizedTest(name = "deducting on {0}, given {1}, when {2}, then {3}")
    @MethodSource("matrix")
    void statusTimesEvent(final DeductOn mode, final OrderStatus status, final Event event, final Then then) {
        // Given
        final OrderMachine by = mode == DeductOn.PAYMENT ? machine : shipping;
        Order before = given(by, status);
        final HeldOrPlaced input;
        // When
        final OrderStep step;
        switch (event) {
            case PLACE_SAME -> {
                final PlaceOrder again = place("placed-again", LINES, PLACED_AT, HOLD);
                input = new HeldOrPlaced(again, null);
                step = by.place(before, again, T_EVENT);
            }
            case PLACE_OTHER -> {
                final PlaceOrder other = place("placed-other", OTHER_LINES, PLACED_AT, HOLD);
                input = new HeldOrPlaced(other, null);
                step = by.place(before, other, T_EVENT);
            }
            case DUPLICATE_PAYMENT, DUPLICATE_CANCEL, DUPLICATE_SHIP -> {
                final HeldEvent duplicate = heldEvent(event);
                before = arrive(by, before, duplicate, T_EVENT).order();
                input = new HeldOrPlaced(null, duplicate);
                step = arrive(by, before, duplicate, T_EVENT + 1);
            }
            case EXPIRE_BEFORE_DEADLINE -> {
                input = null;
                step = by.expire(before, DEADLINE - 1);
            }
            case EXPIRE_AT_DEADLINE -> {
                input = null;
                step = by.expire(before, DEADLINE);
            }
            case EXPIRE_AFTER_DEADLINE -> {
                input = null;
                step = by.expire(before, DEADLINE + 1);
            }
            case ORPHAN_TIMEOUT_BEFORE_GRACE -> {
                input = null;
                step = by.orphanTimeout(before, T_EARLY + GRACE - 1);
            }
            case ORPHAN_TIMEOUT_AFTER_GRACE -> {
                input = null;
                step = by.orphanTimeout(before, T_EARLY + GRACE);
            }
            default -> {
                final HeldEvent held = heldEvent(event);
                input = new HeldOrPlaced(null, held);
                step = arrive(by, before, held, T_EVENT);
            }
        }

        // Then
        final Order after = step.order();
        assertEquals(then.status == null ? before.status() : then.status, after.status(), "status");
        if (then.sameInstance) {
            assertSame(before, after, "a step that changes nothing returns the very same order");
        }
        if (then.rememberedEventId != null) {
            assertEquals(before.seeing(then.rememberedEventId), after, "only the event id is remembered");
        }
        assertEquals(sorted(then.stock), sorted(step.stockCommands()), "stock commands");
        final Map<String, Long> lockedAfter = then.locked == null ? before.locked() : then.locked;
        final Map<String, Long> soldAfter = then.sold == null ? before.sold() : then.sold;
        assertEquals(then.outcomes.stream().map(o -> Arrays.<Object>asList(o.status(), o.reason(), o.expiresAt(),
                                outcomeLines(o.status(), lockedAfter, soldAfter))).toList(),
                step.outcomes().stream().map(OrderMachineTest::outcomeKey).toList(),
                "outcomes (status, reason, expiresAt, where the order stands)");
        for (final Outcome outcome : step.outcomes()) {
            assertEquals(ORDER, outcome.orderId());
            assertEquals(PLACED_AT, outcome.placedAt());
        }
        assertEquals(then.rejections, codes(step), "rejections");
        assertEquals(then.timersSet, step.timersToSet(), "timers set");
        assertEquals(then.timersCleared, step.timersToClear(), "timers cleared");
        assertEquals(then.locked == null ? before.locked() : then.locked, after.locked(), "locked");
        assertEquals(then.sold == null ? before.sold() : then.sold, after.sold(), "sold");
        assertEquals(by.timersOf(after).contains(EXPIRY), after.status().isReserved(), "expiry timer while reserved");
        assertEquals(before.held().size() + then.heldDelta, after.held().size(), "held");
        if (input != null && input.event() != null) {
            thenARedeliveryChangesNothing(by, after, input.event());
        }
        if (input != null && input.place() != null && !then.rejections.isEmpty()) {
            assertSame(input.place().origin(), step.rejections().get(0).origin(), "dead letter keeps the input");
        }
    }

    /** The payment, cancellation or shipment an event of the matrix stands for. */
    static HeldEvent heldEvent(final Event event) {
        return switch (event) {
            case CAPTURED, FAILED, REFUNDED -> payment("pay-new", PaymentResult.valueOf(event.name()));
            case CANCEL -> cancel("cancel-new");
            case DUPLICATE_PAYMENT -> payment("pay-dup", PaymentResult.CAPTURED);
            case DUPLICATE_CANCEL -> cancel("cancel-dup");
            case CANCEL_LINES -> cancelLines("cancel-new", new Line(B, 1));
            case CANCEL_LINES_TOO_MANY -> cancelLines("cancel-new", new Line(A, 3));
            case REFUND_LINES -> refund("pay-new", true, new Line(A, 2));
            case REFUND_DAMAGED -> refund("pay-new", false, new Line(A, 2));
            case REFUND_TOO_MANY -> refund("pay-new", true, new Line(A, 3));
            case SHIP -> ship("ship-new");
            case SHIP_LINES -> ship("ship-new", new Line(B, 1));
            case DUPLICATE_SHIP -> ship("ship-dup", new Line(B, 1));
            default -> throw new IllegalArgumentException(event + " is not a payment, cancellation or shipment");
        };
    }

    /** Hands a payment, cancellation or shipment to the machine's method for it. */
    static OrderStep arrive(final OrderMachine by, final Order order, final HeldEvent event, final long now) {
        if (event instanceof ApplyPayment payment) {
            return by.payment(order, payment, now);
        }
        if (event instanceof ShipOrder shipment) {
            return by.ship(order, shipment, now);
        }
        return by.cancel(order, (CancelOrder) event, now);
    }

    private record HeldOrPlaced(PlaceOrder place, OrderCommand.HeldEvent event) {
    }

    /**
     * An outcome's lines: while the order still has units, what it holds or sold, in the order of its lines;
     * otherwise the lines it was placed with.
     */
    static List<Line> outcomeLines(final OrderStatus status, final Map<String, Long> locked,
                                   final Map<String, Long> sold) {
        if (status != OrderStatus.AMENDED && status != OrderStatus.CONFIRMED && status != OrderStatus.SHIPPED
                && status != OrderStatus.PARTIALLY_REFUNDED) {
            return SUMMED;
        }
        final List<Line> lines = new ArrayList<>();
        for (final Line line : SUMMED) {
            final long quantity = locked.getOrDefault(line.sku(), 0L) + sold.getOrDefault(line.sku(), 0L);
            if (quantity > 0) {
                lines.add(new Line(line.sku(), quantity));
            }
        }
        return lines;
    }

    private static List<Object> outcomeKey(final Outcome outcome) {
        return Arrays.asList(outcome.status(), outcome.reason(), outcome.expiresAt(), outcome.lines());
    }

    private void thenARedeliveryChangesNothing(final OrderMachine by, final Order after, final HeldEvent event) {
        final OrderStep again = arrive(by, after, event, T_EVENT + 2);
        assertSame(after, again.order(), "redelivery of " + event.eventId());
        assertNothingSent(again);
    }

    // ---------------------------------------------------------------- placing

    @Nested
    class Placing {

        @Test
        void sumsLinesOfTheSameSkuIntoOneReservePerSkuInFirstAppearanceOrder() {
            // Given an unknown order with repeated SKUs
            final PlaceOrder order = place("p", List.of(new Line(B, 1), new Line(A, 2), new Line(B, 3),
                    new Line(C, 1), new Line(A, 4)), PLACED_AT, HOLD);

            // When
            final OrderStep step = machine.place(null, order, T_PLACE);

            // Then
            assertEquals(List.of(new Reserve(ORDER, B, 4), new Reserve(ORDER, A, 6), new Reserve(ORDER, C, 1)),
                    step.stockCommands());
            assertEquals(List.of(new Line(B, 4), new Line(A, 6), new Line(C, 1)), step.order().lines());
            assertEquals(OrderStatus.PENDING, step.order().status());
            assertEquals(3, step.order().awaitingReplies());
            assertEquals(6, step.order().quantityOf(A));
            assertEquals(List.of(), step.outcomes());
            assertEquals(List.of(), step.rejections());
            assertEquals(List.of(), step.timersToSet());
        }

        @Test
        void expiresAfterTheOrdersOwnHold() {
            final OrderStep step = machine.place(null, place(), T_PLACE);

            assertEquals(DEADLINE, step.order().expiresAt());
            assertEquals(HOLD, step.order().holdMillis());
            assertEquals("placed-1", step.order().placedEventId());
        }

        @Test
        void expiresAfterTheDefaultHoldWhenTheOrderAsksForNone() {
            final OrderStep step = machine.place(null, place("p", LINES, PLACED_AT, null), T_PLACE);

            assertEquals(PLACED_AT + DEFAULT_HOLD, step.order().expiresAt());
            assertNull(step.order().holdMillis());
        }

        @Test
        void hugeHoldSaturatesExpiryInsteadOfWrappingIntoThePast() {
            // Given an order that asks to be held forever
            final PlaceOrder forever = place("p", List.of(new Line(A, 1)), PLACED_AT, Long.MAX_VALUE);

            // When it arrives and is reserved
            final OrderStep placed = machine.place(null, forever, T_PLACE);
            final OrderStep reserved = machine.lineResult(placed.order(), reply(A, 1, true, 1), T_REPLY);

            // Then it is held until the end of time, not rejected as already expired
            assertEquals(OrderStatus.PENDING, placed.order().status());
            assertEquals(Long.MAX_VALUE, placed.order().expiresAt());
            assertOutcome(reserved.outcomes().get(0), OrderStatus.RESERVED, null, Long.MAX_VALUE, T_REPLY);
            assertEquals(List.of(new Timer(Long.MAX_VALUE, Timer.Kind.EXPIRY, ORDER)), reserved.timersToSet());
            assertSame(reserved.order(), machine.expire(reserved.order(), Long.MAX_VALUE - 1).order());
        }

        @Test
        void placedAtNearTheEndOfTimeSaturatesExpiry() {
            final OrderStep step = machine.place(null, place("p", LINES, Long.MAX_VALUE - 10, HOLD), T_PLACE);

            assertEquals(Long.MAX_VALUE, step.order().expiresAt());
            assertEquals(OrderStatus.PENDING, step.order().status());
        }

        @Test
        void hugeNegativeHoldSaturatesToThePastAndRejects() {
            // -1000 + Long.MIN_VALUE would wrap around to a deadline far in the future
            final OrderStep step = machine.place(null, place("p", LINES, -1_000L, Long.MIN_VALUE), T_PLACE);

            assertEquals(Long.MIN_VALUE, step.order().expiresAt());
            assertEquals(OrderStatus.REJECTED, step.order().status());
            assertEquals(List.of(), step.stockCommands());
        }

        @Test
        void rejectsOrderWhoseDeadlinePassedBeforeItArrived() {
            // Given a deadline of exactly now
            final PlaceOrder late = place("p", LINES, PLACED_AT, HOLD);

            // When
            final OrderStep step = machine.place(null, late, DEADLINE);

            // Then
            assertEquals(OrderStatus.REJECTED, step.order().status());
            assertEquals(List.of(), step.stockCommands());
            assertEquals(1, step.outcomes().size());
            final Outcome outcome = step.outcomes().get(0);
            assertOutcome(outcome, OrderStatus.REJECTED, outcome.reason(), null, DEADLINE);
            assertTrue(outcome.reason().contains("hold deadline"), outcome.reason());
            assertEquals(SUMMED, outcome.lines());
            assertEquals(List.of(), step.timersToSet());
            assertEquals(List.of(), step.rejections());
        }

        @Test
        void acceptsOrderArrivingOneMillisecondBeforeItsDeadline() {
            final OrderStep step = machine.place(null, place(), DEADLINE - 1);

            assertEquals(OrderStatus.PENDING, step.order().status());
            assertEquals(2, step.stockCommands().size());
        }

        @Test
        void rejectsOrderWithNegativeHold() {
            final OrderStep step = machine.place(null, place("p", LINES, PLACED_AT, -1L), PLACED_AT - 1);

            assertEquals(OrderStatus.REJECTED, step.order().status());
            assertEquals(List.of(), step.stockCommands());
        }

        @Test
        void samePlacementWithAnotherEventIdAndDifferentlySplitLinesChangesNothing() {
            // Given
            final Order pending = pending();
            final PlaceOrder sameSums = place("placed-other-id", List.of(new Line(A, 2), new Line(B, 3)),
                    PLACED_AT, HOLD);

            // When
            final OrderStep step = machine.place(pending, sameSums, T_EVENT);

            // Then
            assertSame(pending, step.order());
            assertNothingSent(step);
        }

        @Test
        void conflictsWhenPlacedAtDiffers() {
            assertConflict(place("p", LINES, PLACED_AT + 1, HOLD));
        }

        @Test
        void conflictsWhenHoldDiffers() {
            assertConflict(place("p", LINES, PLACED_AT, HOLD + 1));
        }

        @Test
        void defaultHoldAndTheSameHoldSpelledOutAreTheSameContent() {
            final Order pending = machine.place(null, place("p", LINES, PLACED_AT, null), T_PLACE).order();

            final OrderStep step = machine.place(pending, place("q", LINES, PLACED_AT, DEFAULT_HOLD), T_EVENT);

            assertSame(pending, step.order());
            assertNothingSent(step);
        }

        @Test
        void conflictingPlacementDeliveredAgainIsRefusedOnlyOnce() {
            final Order pending = pending();
            final PlaceOrder other = place("p", LINES, PLACED_AT + 1, HOLD);
            final Order refusedOnce = machine.place(pending, other, T_EVENT).order();

            final OrderStep again = machine.place(refusedOnce, other, T_EVENT + 1);

            assertSame(refusedOnce, again.order());
            assertNothingSent(again);
        }

        @Test
        void conflictsWhenAQuantityDiffers() {
            assertConflict(place("p", List.of(new Line(A, 2), new Line(B, 4)), PLACED_AT, HOLD));
        }

        @Test
        void conflictsWhenASkuIsAdded() {
            assertConflict(place("p", List.of(new Line(A, 2), new Line(B, 3), new Line(C, 1)), PLACED_AT, HOLD));
        }

        private void assertConflict(final PlaceOrder other) {
            // Given
            final Order pending = pending();

            // When
            final OrderStep step = machine.place(pending, other, T_EVENT);

            // Then
            assertEquals(pending.seeing(other.eventId()), step.order());
            assertEquals(List.of(RejectCode.ORDER_ID_CONFLICT), codes(step));
            assertSame(other.origin(), step.rejections().get(0).origin());
            assertEquals(List.of(), step.stockCommands());
            assertEquals(List.of(), step.outcomes());
        }
    }

    // ---------------------------------------------------------------- the stock side's answers

    @Nested
    class Reserving {

        Order pendingOf(final List<Line> lines) {
            return machine.place(null, place("p", lines, PLACED_AT, HOLD), T_PLACE).order();
        }

        /** An order of A2, B3 and C4, and the stock side's first two answers to it. */
        Order threeLinesAnswered(final LineResult first, final LineResult second) {
            return answer(pendingOf(List.of(new Line(A, 2), new Line(B, 3), new Line(C, 4))), first, second);
        }

        /** What rejecting the three-line order releases when A and C were locked, sorted. */
        List<StockCommand> releasesOfAAndC() {
            return sorted(List.of(new Release(ORDER, A, 2, ReleaseCause.PARTIAL_REJECTION),
                    new Release(ORDER, C, 4, ReleaseCause.PARTIAL_REJECTION)));
        }

        Order answer(final Order pending, final LineResult... replies) {
            Order order = pending;
            for (final LineResult r : replies) {
                order = machine.lineResult(order, r, T_REPLY).order();
            }
            return order;
        }

        @Test
        void waitsForEverySkuBeforeDeciding() {
            // Given
            final Order pending = pending();

            // When one of two SKUs answers
            final OrderStep step = machine.lineResult(pending, reply(A, 2, true, 10), T_REPLY);

            // Then
            assertEquals(OrderStatus.PENDING, step.order().status());
            assertEquals(Map.of(A, 2L), step.order().locked());
            assertEquals(1, step.order().awaitingReplies());
            assertNothingSent(step);
        }

        @Test
        void reservesWhenEverySkuFits() {
            // Given
            final Order half = machine.lineResult(pending(), reply(B, 3, true, 3), T_REPLY).order();

            // When
            final OrderStep step = machine.lineResult(half, reply(A, 2, true, 2), T_REPLY + 1);

            // Then
            assertEquals(OrderStatus.RESERVED, step.order().status());
            assertEquals(Map.of(A, 2L, B, 3L), step.order().locked());
            assertEquals(1, step.outcomes().size());
            assertOutcome(step.outcomes().get(0), OrderStatus.RESERVED, null, DEADLINE, T_REPLY + 1);
            assertEquals(SUMMED, step.outcomes().get(0).lines());
            assertEquals(List.of(EXPIRY), step.timersToSet());
            assertEquals(List.of(), step.timersToClear());
            assertEquals(List.of(), step.stockCommands());
            assertEquals(List.of(), step.rejections());
        }

        @Test
        void rejectsWholeOrderWhenOneLineIsShort() {
            // Given A and C were locked
            final Order pending = threeLinesAnswered(reply(A, 2, true, 2), reply(C, 4, true, 9));

            // When B is short
            final OrderStep step = machine.lineResult(pending, reply(B, 3, false, 1), T_REPLY + 1);

            // Then
            assertEquals(OrderStatus.REJECTED, step.order().status());
            assertOutcome(step.outcomes().get(0), OrderStatus.REJECTED,
                    "insufficient stock for sku sku-b: requested 3, available 1", null, T_REPLY + 1);
            assertEquals(1, step.outcomes().size());
            assertEquals(releasesOfAAndC(), sorted(step.stockCommands()));
            assertEquals(Map.of(), step.order().locked());
            assertEquals(List.of(), step.timersToSet());
            assertEquals(List.of(), step.rejections());
        }

        @Test
        void partialRejectionReleasesOnlySkusThatWereLockedEvenWhenTheShortOneAnsweredFirst() {
            // Given B said short first
            final Order pending = threeLinesAnswered(reply(B, 3, false, 0), reply(A, 2, true, 2));

            // When the last SKU fits
            final OrderStep step = machine.lineResult(pending, reply(C, 4, true, 4), T_REPLY);

            // Then
            assertEquals(OrderStatus.REJECTED, step.order().status());
            assertEquals(releasesOfAAndC(), sorted(step.stockCommands()));
        }

        @Test
        void rejectsWithoutReleasingAnythingWhenNoSkuWasLocked() {
            final Order pending = answer(pending(), reply(A, 2, false, 1));

            final OrderStep step = machine.lineResult(pending, reply(B, 3, false, 0), T_REPLY);

            assertEquals(OrderStatus.REJECTED, step.order().status());
            assertEquals(List.of(), step.stockCommands());
            assertEquals("insufficient stock for sku sku-a: requested 2, available 1",
                    step.outcomes().get(0).reason());
        }

        @Test
        void reasonNamesTheFirstShortSkuToAnswer() {
            final List<Line> lines = List.of(new Line(A, 1), new Line(B, 2), new Line(C, 3));

            final Order bFirst = answer(pendingOf(lines), reply(B, 2, false, 1), reply(C, 3, false, 2),
                    reply(A, 1, true, 1));
            final Order cFirst = answer(pendingOf(lines), reply(C, 3, false, 2), reply(B, 2, false, 1),
                    reply(A, 1, true, 1));

            assertEquals("insufficient stock for sku sku-b: requested 2, available 1", bFirst.reason());
            assertEquals("insufficient stock for sku sku-c: requested 3, available 2", cFirst.reason());
        }

        @Test
        void singleLineOrderIsDecidedByItsOnlyReply() {
            final Order pending = pendingOf(List.of(new Line(C, 7)));

            final OrderStep step = machine.lineResult(pending, reply(C, 7, true, 7), T_REPLY);

            assertEquals(OrderStatus.RESERVED, step.order().status());
            assertEquals(Map.of(C, 7L), step.order().locked());
        }

        @Test
        void lineResultForAnOrderThatIsNotPendingIsABug() {
            final Order reserved = reserved();

            assertThrows(IllegalStateException.class,
                    () -> machine.lineResult(reserved, reply(A, 2, true, 10), T_EVENT));
            assertThrows(IllegalStateException.class,
                    () -> machine.lineResult(null, reply(A, 2, true, 10), T_EVENT));
        }
    }

    // ---------------------------------------------------------------- events held while PENDING

    @Nested
    class HeldWhilePending {

        /** A fits, then B fits or not: the step of B's reply, which decides the order and replays what it held. */
        OrderStep decide(final Order pending, final boolean bFits) {
            final OrderStep first = machine.lineResult(pending, reply(A, 2, true, 10), T_REPLY);
            return machine.lineResult(first.order(), reply(B, 3, bFits, bFits ? 10 : 1), T_REPLY);
        }

        /** The step's outcomes have these statuses, in this order, and the order ends in the last. */
        void assertOutcomes(final OrderStep step, final OrderStatus... statuses) {
            assertEquals(List.of(statuses), step.outcomes().stream().map(Outcome::status).toList());
            assertEquals(statuses[statuses.length - 1], step.order().status());
        }

        Order holdCapture(final Order pending) {
            return machine.payment(pending, payment("p", PaymentResult.CAPTURED), T_REPLY).order();
        }

        Order holdCancel(final Order pending) {
            return machine.cancel(pending, cancel("c"), T_REPLY).order();
        }

        @Test
        void eventsHeldWhilePendingSetNoOrphanTimer() {
            final OrderStep step = machine.cancel(pending(), cancel("c"), T_REPLY);

            assertEquals(OrderStatus.PENDING, step.order().status());
            assertEquals(List.of(), step.timersToSet());
            assertEquals(1, step.order().held().size());
            assertEquals(T_REPLY, step.order().held().get(0).arrivedAt());
        }

        @Test
        void heldCancelThenCaptureAreReplayedInArrivalOrder() {
            // Given a cancellation, then a capture, both while pending
            final Order pending = holdCapture(holdCancel(pending()));

            // When every SKU fits
            final OrderStep step = decide(pending, true);

            // Then reserved, then cancelled, then the capture is late
            assertOutcomes(step, OrderStatus.RESERVED, OrderStatus.CANCELLED);
            assertEquals(DEADLINE, step.outcomes().get(0).expiresAt());
            assertEquals("CANCELLED: changed my mind", step.outcomes().get(1).reason());
            assertEquals(sorted(List.of(new Release(ORDER, A, 2, ReleaseCause.CANCELLED),
                    new Release(ORDER, B, 3, ReleaseCause.CANCELLED))), sorted(step.stockCommands()));
            assertEquals(List.of(RejectCode.LATE_PAYMENT), codes(step));
            assertEquals(List.of(), step.order().held());
            assertEquals(Map.of(), step.order().locked());
        }

        @Test
        void heldCaptureThenCancelAreReplayedInArrivalOrder() {
            // Given a capture, then a cancellation, both while pending
            final Order pending = holdCancel(holdCapture(pending()));

            // When every SKU fits
            final OrderStep step = decide(pending, true);

            // Then reserved, then confirmed, then the cancellation is refused
            assertOutcomes(step, OrderStatus.RESERVED, OrderStatus.CONFIRMED);
            assertEquals(sorted(List.of(new Commit(ORDER, A, 2), new Commit(ORDER, B, 3))),
                    sorted(step.stockCommands()));
            assertEquals(List.of(RejectCode.ILLEGAL_TRANSITION), codes(step));
            assertEquals(List.of(), step.order().held());
        }

        @Test
        void heldFailedPaymentCancelsTheOrderRightAfterItIsReserved() {
            final Order pending = machine.payment(pending(), payment("p", PaymentResult.FAILED), T_REPLY).order();

            final OrderStep step = decide(pending, true);
            final Order decided = step.order();

            assertEquals(OrderStatus.CANCELLED, decided.status());
            assertEquals("PAYMENT_FAILED", decided.reason());
            assertEquals(sorted(List.of(new Release(ORDER, A, 2, ReleaseCause.PAYMENT_FAILED),
                    new Release(ORDER, B, 3, ReleaseCause.PAYMENT_FAILED))), sorted(step.stockCommands()));
        }

        @Test
        void heldEventsAreReplayedAgainstARejectedOrder() {
            // Given
            final Order pending = holdCancel(holdCapture(pending()));

            // When B is short
            final OrderStep step = decide(pending, false);

            // Then
            assertOutcomes(step, OrderStatus.REJECTED);
            assertEquals(List.of(new Release(ORDER, A, 2, ReleaseCause.PARTIAL_REJECTION)), step.stockCommands());
            assertEquals(List.of(RejectCode.LATE_PAYMENT, RejectCode.ILLEGAL_TRANSITION), codes(step));
            assertEquals(List.of(), step.order().held());
        }

        @Test
        void heldEventRedeliveredAfterItWasReplayedIsIgnored() {
            // Given a capture held while pending and replayed on reservation
            final ApplyPayment capture = payment("p", PaymentResult.CAPTURED);
            final Order pending = machine.payment(pending(), capture, T_REPLY).order();
            final Order confirmed = decide(pending, true).order();
            assertEquals(OrderStatus.CONFIRMED, confirmed.status());

            // When it is redelivered
            final OrderStep step = machine.payment(confirmed, capture, T_EVENT);

            // Then
            assertSame(confirmed, step.order());
            assertNothingSent(step);
        }
    }

    // ---------------------------------------------------------------- events before their order

    @Nested
    class BeforeTheOrder {

        /** The order arrives at {@code at}, after {@code early} came one by one from T_EARLY on, 1 ms apart. */
        OrderStep placedAfter(final long at, final OrderCommand.HeldEvent... early) {
            Order awaiting = null;
            long arrived = T_EARLY;
            for (final OrderCommand.HeldEvent event : early) {
                awaiting = event instanceof ApplyPayment payment ? machine.payment(awaiting, payment, arrived).order()
                        : machine.cancel(awaiting, (CancelOrder) event, arrived).order();
                arrived++;
            }
            return machine.place(awaiting, place(), at);
        }

        @Test
        void paymentForAnUnknownOrderIsHeldWithAnOrphanTimer() {
            final ApplyPayment capture = payment("p", PaymentResult.CAPTURED);

            final OrderStep step = machine.payment(null, capture, T_EARLY);

            assertEquals(OrderStatus.AWAITING_ORDER, step.order().status());
            assertEquals(ORDER, step.order().orderId());
            assertEquals(List.of(new Order.Held(capture, T_EARLY)), step.order().held());
            assertEquals(List.of(new Timer(T_EARLY + GRACE, Timer.Kind.ORPHAN, ORDER)), step.timersToSet());
            assertEquals(List.of(), step.outcomes());
            assertEquals(List.of(), step.rejections());
            assertEquals(List.of(), step.stockCommands());
            assertFalse(step.order().status().isDecided());
        }

        @Test
        void cancellationBeforeTheOrderCancelsItOnArrivalWithoutReserving() {
            // Given a cancellation, when the order arrives
            final OrderStep step = placedAfter(T_PLACE, cancel("c"));

            // Then
            assertEquals(OrderStatus.CANCELLED, step.order().status());
            assertEquals(1, step.outcomes().size());
            assertOutcome(step.outcomes().get(0), OrderStatus.CANCELLED, "CANCELLED: changed my mind", null,
                    T_PLACE);
            assertEquals(SUMMED, step.outcomes().get(0).lines());
            assertEquals(List.of(), step.stockCommands());
            assertEquals(List.of(), step.rejections());
            assertEquals(List.of(), step.timersToSet());
            assertEquals(List.of(), step.order().held());
            assertEquals(Map.of(), step.order().locked());
        }

        @Test
        void cancellationFirstThenCaptureMakesTheCaptureLate() {
            final OrderStep step = placedAfter(T_PLACE, cancel("c"), payment("p", PaymentResult.CAPTURED));

            assertEquals(OrderStatus.CANCELLED, step.order().status());
            assertEquals(List.of(OrderStatus.CANCELLED), step.outcomes().stream().map(Outcome::status).toList());
            assertEquals(List.of(RejectCode.LATE_PAYMENT), codes(step));
            assertEquals(List.of(), step.stockCommands());
            assertEquals(List.of(), step.order().held());
        }

        @Test
        void captureHeldBeforeTheCancellationIsStillReplayedAgainstCancelled() {
            final OrderStep step = placedAfter(T_PLACE, payment("p", PaymentResult.CAPTURED), cancel("c"));

            assertEquals(OrderStatus.CANCELLED, step.order().status());
            assertEquals(List.of(RejectCode.LATE_PAYMENT), codes(step));
            assertEquals(List.of(), step.stockCommands());
        }

        @Test
        void secondHeldCancellationIsAnIllegalTransition() {
            final OrderStep step = placedAfter(T_PLACE, cancel("c1"), cancel("c2"));

            assertEquals(OrderStatus.CANCELLED, step.order().status());
            assertEquals(List.of(RejectCode.ILLEGAL_TRANSITION), codes(step));
        }

        /** The spec does not order the two rules; the machine checks the cancellation first. */
        @Test
        void heldCancellationTakesPrecedenceOverAPassedDeadline() {
            final OrderStep step = placedAfter(DEADLINE + 1, cancel("c"));

            assertEquals(OrderStatus.CANCELLED, step.order().status());
            assertEquals(List.of(), step.stockCommands());
        }

        @Test
        void heldCaptureForAnOrderWhoseDeadlinePassedIsLate() {
            final OrderStep step = placedAfter(DEADLINE, payment("p", PaymentResult.CAPTURED));

            assertEquals(OrderStatus.REJECTED, step.order().status());
            assertEquals(List.of(OrderStatus.REJECTED), step.outcomes().stream().map(Outcome::status).toList());
            assertEquals(List.of(RejectCode.LATE_PAYMENT), codes(step));
            assertEquals(List.of(), step.stockCommands());
        }

        @Test
        void heldCaptureWaitsThroughPendingAndConfirmsOnReservation() {
            // Given a capture before the order, then the order
            final OrderStep placed = placedAfter(T_PLACE, payment("p", PaymentResult.CAPTURED));
            assertEquals(OrderStatus.PENDING, placed.order().status());
            assertEquals(1, placed.order().held().size());

            // When every SKU fits
            final Order half = machine.lineResult(placed.order(), reply(A, 2, true, 2), T_REPLY).order();
            final OrderStep step = machine.lineResult(half, reply(B, 3, true, 3), T_REPLY);

            // Then
            assertEquals(OrderStatus.CONFIRMED, step.order().status());
            assertEquals(sorted(List.of(new Commit(ORDER, A, 2), new Commit(ORDER, B, 3))),
                    sorted(step.stockCommands()));
            assertEquals(List.of(OrderStatus.RESERVED, OrderStatus.CONFIRMED),
                    step.outcomes().stream().map(Outcome::status).toList());
        }

        @Test
        void duplicateOfAHeldEventIsIgnoredWithoutAnotherTimer() {
            final ApplyPayment capture = payment("p", PaymentResult.CAPTURED);
            final Order awaiting = machine.payment(null, capture, T_EARLY).order();

            final OrderStep step = machine.payment(awaiting, capture, T_EARLY + 100);

            assertSame(awaiting, step.order());
            assertNothingSent(step);
        }
    }

    // ---------------------------------------------------------------- orphan timeouts

    @Nested
    class OrphanTimeouts {

        final ApplyPayment early = payment("p1", PaymentResult.CAPTURED);
        final CancelOrder later = cancel("c2");

        Order awaitingTwo() {
            final Order one = machine.payment(null, early, T_EARLY).order();
            return machine.cancel(one, later, T_EARLY + 2_000).order();
        }

        @Test
        void refusesOnlyHeldEventsWhoseGraceIsOver() {
            // Given
            final Order awaiting = awaitingTwo();

            // When the first one's grace is exactly over
            final OrderStep step = machine.orphanTimeout(awaiting, T_EARLY + GRACE);

            // Then
            assertEquals(List.of(RejectCode.ORPHAN_EVENT), codes(step));
            assertSame(early.origin(), step.rejections().get(0).origin());
            assertEquals(List.of(new Order.Held(later, T_EARLY + 2_000)), step.order().held());
            assertEquals(OrderStatus.AWAITING_ORDER, step.order().status());
            assertEquals(List.of(), step.outcomes());
            assertEquals(List.of(), step.timersToSet());
        }

        @Test
        void refusesEveryHeldEventOnceAllGracesAreOver() {
            final OrderStep step = machine.orphanTimeout(awaitingTwo(), T_EARLY + 2_000 + GRACE);

            assertEquals(List.of(RejectCode.ORPHAN_EVENT, RejectCode.ORPHAN_EVENT), codes(step));
            assertEquals(List.of(), step.order().held());
        }

        @Test
        void changesNothingBeforeAnyGraceIsOver() {
            final Order awaiting = awaitingTwo();

            final OrderStep step = machine.orphanTimeout(awaiting, T_EARLY + GRACE - 1);

            assertSame(awaiting, step.order());
            assertNothingSent(step);
        }

        @Test
        void changesNothingForAnUnknownOrder() {
            final OrderStep step = machine.orphanTimeout(null, T_EVENT);

            assertStillUnknown(step);
        }

        @Test
        void orderArrivingAfterItsEventsWereOrphanedIsPlacedAsNew() {
            // Given both held events were refused
            final Order emptied = machine.orphanTimeout(awaitingTwo(), T_EARLY + 2_000 + GRACE).order();

            // When the order arrives
            final OrderStep step = machine.place(emptied, place(), T_EARLY + 2_000 + GRACE);

            // Then it is reserved normally, and the cancellation no longer applies
            assertEquals(OrderStatus.PENDING, step.order().status());
            assertEquals(2, step.stockCommands().size());
        }

        @Test
        void orphanedEventRedeliveredLaterIsIgnoredAsSeen() {
            final Order emptied = machine.orphanTimeout(awaitingTwo(), T_EARLY + 2_000 + GRACE).order();

            final OrderStep step = machine.payment(emptied, early, T_EVENT + GRACE * 2);

            assertSame(emptied, step.order());
            assertNothingSent(step);
        }
    }

    // ---------------------------------------------------------------- expiry

    @Nested
    class Expiry {

        @Test
        void expireOfAnUnknownOrderChangesNothing() {
            final OrderStep step = machine.expire(null, DEADLINE);

            assertStillUnknown(step);
        }

        @Test
        void expiryReleasesExactlyWhatWasLockedAndForgetsIt() {
            final OrderStep step = machine.expire(reserved(), DEADLINE);

            assertEquals(Map.of(), step.order().locked());
            assertEquals(sorted(List.of(new Release(ORDER, A, 2, ReleaseCause.EXPIRED),
                    new Release(ORDER, B, 3, ReleaseCause.EXPIRED))), sorted(step.stockCommands()));
            assertOutcome(step.outcomes().get(0), OrderStatus.EXPIRED, step.order().reason(), null, DEADLINE);
        }

        @Test
        void expiringTwiceReleasesOnce() {
            final Order expired = machine.expire(reserved(), DEADLINE).order();

            final OrderStep step = machine.expire(expired, DEADLINE + 1);

            assertSame(expired, step.order());
            assertNothingSent(step);
        }
    }

    // ---------------------------------------------------------------- timers settled within one step

    @Nested
    class SettledInOneStep {

        /**
         * A held capture replayed on reservation settles the order in the same step that reserves it. Were
         * the expiry timer both set and cleared, the processor would keep it, leaking one store key per
         * order (forever with a saturated deadline).
         */
        @Test
        void heldCaptureSettlingTheOrderOnReservationLeavesNoExpiryTimerSet() {
            // Given a capture that arrived while the order was pending
            final Order pending = machine.payment(pending(), payment("p", PaymentResult.CAPTURED), T_REPLY).order();
            final Order half = machine.lineResult(pending, reply(A, 2, true, 2), T_REPLY).order();

            // When the last SKU fits, which reserves the order and replays the capture
            final OrderStep step = machine.lineResult(half, reply(B, 3, true, 3), T_REPLY);

            // Then the order is confirmed and no expiry timer is left to be set
            assertEquals(OrderStatus.CONFIRMED, step.order().status());
            final List<Timer> leftSet = step.timersToSet().stream()
                    .filter(t -> t.kind() == Timer.Kind.EXPIRY).toList();
            assertEquals(List.of(), leftSet, "EXPIRY timer set for an order that is already " + step.order().status()
                    + " (timers cleared in the same step: " + step.timersToClear() + ")");
        }
    }

    // ---------------------------------------------------------------- rollback ids

    /** A one-line order's decision is published by the stock side; the order side records it only. */
    @Nested
    class OneLineOrders {

        private final List<Line> oneLine = List.of(new Line(A, 2), new Line(A, 1));

        private Order pendingOneLine() {
            return machine.place(null, place("placed-1", oneLine, PLACED_AT, HOLD), T_PLACE).order();
        }

        @Test
        void aOneLineOrderAsksTheStockSideToDecideWithItsExpiry() {
            final OrderStep step = machine.place(null, place("placed-1", oneLine, PLACED_AT, HOLD), T_PLACE);

            assertEquals(List.of(new Reserve(ORDER, A, 3, new StockCommand.SoleLine(PLACED_AT, DEADLINE))),
                    step.stockCommands());
        }

        @Test
        void aMultiLineOrderLeavesTheDecisionToTheOrderSide() {
            final OrderStep step = machine.place(null, place(), T_PLACE);

            assertTrue(step.stockCommands().stream().allMatch(c -> ((Reserve) c).soleLine() == null));
        }

        @Test
        void aPublishedReservationIsRecordedWithoutASecondOutcome() {
            final OrderStep step = machine.lineResult(pendingOneLine(),
                    new LineResult(ORDER, A, 3, true, 10, true), T_REPLY);

            assertEquals(OrderStatus.RESERVED, step.order().status());
            assertEquals(List.of(), step.outcomes());
            assertEquals(List.of(new Timer(DEADLINE, Timer.Kind.EXPIRY, ORDER)), step.timersToSet());
            assertEquals(Map.of(A, 3L), step.order().locked());
        }

        @Test
        void aPublishedRejectionIsRecordedWithTheSameReasonAndNoSecondOutcome() {
            final OrderStep step = machine.lineResult(pendingOneLine(),
                    new LineResult(ORDER, A, 3, false, 1, true), T_REPLY);

            assertEquals(OrderStatus.REJECTED, step.order().status());
            assertEquals(Outcome.shortage(A, 3, 1), step.order().reason());
            assertEquals(List.of(), step.outcomes());
            assertEquals(List.of(), step.stockCommands());
        }

        @Test
        void aPaymentHeldWhilePendingStillConfirmsAfterAPublishedReservation() {
            final Order pending = machine.payment(pendingOneLine(), payment("p", PaymentResult.CAPTURED), T_REPLY)
                    .order();

            final OrderStep step = machine.lineResult(pending, new LineResult(ORDER, A, 3, true, 10, true), T_REPLY);

            assertEquals(List.of(OrderStatus.CONFIRMED), step.outcomes().stream().map(Outcome::status).toList());
            assertEquals(List.of(new Commit(ORDER, A, 3)), step.stockCommands());
            assertEquals(List.of(), step.timersToSet(), "an expiry set and cleared in one step is not kept");
        }
    }

    @Nested
    class RollbackIds {

        @Test
        void sameReleaseAlwaysGetsTheSameId() {
            assertEquals(Rollback.idFor(ORDER, A, ReleaseCause.EXPIRED),
                    Rollback.idFor(ORDER, A, ReleaseCause.EXPIRED));
            assertEquals(Rollback.idFor(ORDER, A, ReleaseCause.EXPIRED),
                    Rollback.of(ORDER, A, 9, ReleaseCause.EXPIRED, 123).rollbackId());
        }

        @Test
        void idIsAUuid() {
            final String id = Rollback.idFor(ORDER, A, ReleaseCause.CANCELLED);

            assertEquals(id, UUID.fromString(id).toString());
        }

        @Test
        void idsAreDistinctPerOrderSkuAndCause() {
            final Set<String> ids = new HashSet<>();
            final List<String> orders = List.of("o1", "o2", "o1-", "o");
            final List<String> skus = List.of("s1", "s2", "1-s", "s");
            for (final String order : orders) {
                for (final String sku : skus) {
                    for (final ReleaseCause cause : EnumSet.allOf(ReleaseCause.class)) {
                        assertTrue(ids.add(Rollback.idFor(order, sku, cause)), order + "/" + sku + "/" + cause);
                    }
                }
            }
            assertEquals(orders.size() * skus.size() * ReleaseCause.values().length, ids.size());
        }

        @Test
        void splittingOrderIdAndSkuDifferentlyGivesDifferentIds() {
            assertNotEquals(Rollback.idFor("ab", "c", ReleaseCause.EXPIRED),
                    Rollback.idFor("a", "bc", ReleaseCause.EXPIRED));
        }
    }

    /**
     * What is known of a SKU without asking (one the order's own task holds, or one marked sold out): an order
     * with a line that does not fit it is rejected at once, and nothing is locked or released.
     */
    @Nested
    class KnownAvailability {

        @Test
        void rejectsAtOnceNamingTheShortSkuAndLocksNothing() {
            final OrderStep step = machine.place(null, place(), T_PLACE, sku -> sku.equals(B) ? 2L : null);

            assertEquals(OrderStatus.REJECTED, step.order().status());
            assertEquals(List.of(), step.stockCommands());
            assertEquals(1, step.outcomes().size());
            assertOutcome(step.outcomes().get(0), OrderStatus.REJECTED, Outcome.shortage(B, 3, 2), null, T_PLACE);
            assertEquals(Map.of(), step.order().locked());
        }

        @Test
        void asksTheStockSideWhenEveryKnownLineFits() {
            final OrderStep step = machine.place(null, place(), T_PLACE, sku -> sku.equals(A) ? 2L : null);

            assertEquals(OrderStatus.PENDING, step.order().status());
            assertEquals(sorted(List.of(new Reserve(ORDER, A, 2), new Reserve(ORDER, B, 3))),
                    sorted(step.stockCommands()));
        }

        @Test
        void aCancellationThatCameFirstStillWinsOverWhatIsKnown() {
            final Order waiting = machine.cancel(null, cancel("cancel-early"), T_EARLY).order();

            final OrderStep step = machine.place(waiting, place(), T_PLACE, sku -> 0L);

            assertEquals(OrderStatus.CANCELLED, step.order().status());
        }

        @Test
        void aHeldPaymentIsRefusedAsLateOnceTheOrderIsRejected() {
            final Order waiting = machine.payment(null, payment("pay-early", PaymentResult.CAPTURED), T_EARLY).order();

            final OrderStep step = machine.place(waiting, place(), T_PLACE, sku -> sku.equals(A) ? 0L : null);

            assertEquals(OrderStatus.REJECTED, step.order().status());
            assertEquals(List.of(RejectCode.LATE_PAYMENT), codes(step));
        }
    }

    // ---------------------------------------------------------------- per-line cancellations, shipments, returns

    /** The step of the last reply to a pending order of A2, B3 when both fit, which replays what it held. */
    OrderStep bothFit(final OrderMachine by, final Order pending) {
        final Order half = by.lineResult(pending, reply(A, 2, true, 10), T_REPLY).order();
        return by.lineResult(half, reply(B, 3, true, 10), T_REPLY);
    }

    static List<OrderStatus> statusesOf(final OrderStep step) {
        return step.outcomes().stream().map(Outcome::status).toList();
    }

    @Nested
    class CancellingLines {

        /** A2, B3 reserved, then A1 let go of by cancellation "c1". */
        Order amended() {
            return machine.cancel(reserved(), cancelLines("c1", new Line(A, 1)), T_REPLY).order();
        }

        @Test
        void aPartialCancelReleasesThoseUnitsAndKeepsTheRestReservedUntilTheSameDeadline() {
            // When A1 of A2, B3 is let go of
            final OrderStep step = machine.cancel(reserved(), cancelLines("c1", new Line(A, 1)), T_EVENT);

            // Then
            assertEquals(OrderStatus.AMENDED, step.order().status());
            assertEquals(List.of(new Release(ORDER, A, 1, ReleaseCause.CANCELLED, "c1")), step.stockCommands());
            assertEquals(units(lines(A, 1, B, 3)), step.order().locked());
            assertEquals(SUMMED, step.order().lines(), "the order's own lines are what it was placed with");
            assertEquals(List.of(new Outcome(ORDER, OrderStatus.AMENDED, "CANCELLED: changed my mind",
                    lines(A, 1, B, 3), PLACED_AT, DEADLINE, T_EVENT)), step.outcomes());
            assertEquals(List.of(), step.timersToSet());
            assertEquals(List.of(), step.timersToClear());
            assertEquals(List.of(EXPIRY), machine.timersOf(step.order()));
        }

        @Test
        void aPartialCancelThenAFullCancelReleasesWhatIsLeft() {
            // Given
            final Order amended = amended();

            // When the rest is cancelled
            final OrderStep step = machine.cancel(amended, cancel("c2"), T_EVENT);

            // Then the second release of A is the order's whole one, told apart from the first by its step
            assertEquals(OrderStatus.CANCELLED, step.order().status());
            assertEquals(sorted(List.of(releases(lines(A, 1, B, 3), ReleaseCause.CANCELLED))),
                    sorted(step.stockCommands()));
            assertEquals(SUMMED, step.outcomes().get(0).lines(), "an order that ends holding nothing: as placed");
            assertEquals(List.of(EXPIRY), step.timersToClear());
            assertEquals(Map.of(), step.order().locked());
        }

        @Test
        void cancellingEveryLineCancelsTheOrderAndClearsItsExpiry() {
            final OrderStep step = machine.cancel(reserved(),
                    cancelLines("c", new Line(B, 3), new Line(A, 1), new Line(A, 1)), T_EVENT);

            assertEquals(OrderStatus.CANCELLED, step.order().status());
            assertEquals(sorted(List.of(new Release(ORDER, A, 2, ReleaseCause.CANCELLED, "c"),
                    new Release(ORDER, B, 3, ReleaseCause.CANCELLED, "c"))), sorted(step.stockCommands()));
            assertEquals(List.of(new Outcome(ORDER, OrderStatus.CANCELLED, "CANCELLED: changed my mind", SUMMED,
                    PLACED_AT, null, T_EVENT)), step.outcomes());
            assertEquals(List.of(EXPIRY), step.timersToClear());
            assertEquals(List.of(), machine.timersOf(step.order()));
            assertEquals(Map.of(), step.order().locked());
        }

        @Test
        void cancellingTheLastReservedLinesOfAnAmendedOrderCancelsIt() {
            final OrderStep step = machine.cancel(amended(), cancelLines("c2", new Line(A, 1), new Line(B, 3)),
                    T_EVENT);

            assertEquals(OrderStatus.CANCELLED, step.order().status());
            assertEquals(sorted(List.of(new Release(ORDER, A, 1, ReleaseCause.CANCELLED, "c2"),
                    new Release(ORDER, B, 3, ReleaseCause.CANCELLED, "c2"))), sorted(step.stockCommands()));
            assertEquals(List.of(EXPIRY), step.timersToClear());
        }

        @Test
        void aCaptureAfterAPartialCancelCommitsOnlyWhatRemains() {
            final OrderStep step = machine.payment(amended(), payment("p", PaymentResult.CAPTURED), T_EVENT);

            assertEquals(OrderStatus.CONFIRMED, step.order().status());
            assertEquals(sorted(List.of(new Commit(ORDER, A, 1), new Commit(ORDER, B, 3))),
                    sorted(step.stockCommands()));
            assertEquals(lines(A, 1, B, 3), step.outcomes().get(0).lines());
            assertEquals(units(lines(A, 1, B, 3)), step.order().sold());
            assertEquals(List.of(EXPIRY), step.timersToClear());
        }

        @Test
        void expiryAfterAPartialCancelReleasesOnlyWhatRemains() {
            final OrderStep step = machine.expire(amended(), DEADLINE);

            assertEquals(OrderStatus.EXPIRED, step.order().status());
            assertEquals(sorted(List.of(releases(lines(A, 1, B, 3), ReleaseCause.EXPIRED))),
                    sorted(step.stockCommands()));
            assertEquals(SUMMED, step.outcomes().get(0).lines(), "an order that ends holding nothing: as placed");
            assertEquals(Map.of(), step.order().locked());
        }

        @Test
        void oneLineAskingForMoreThanIsReservedRefusesTheWholeCancellation() {
            // Given
            final Order reserved = reserved();
            final CancelOrder tooMuch = cancelLines("c", new Line(A, 1), new Line(B, 4));

            // When
            final OrderStep step = machine.cancel(reserved, tooMuch, T_EVENT);

            // Then nothing is released, not even A1, which would have fitted
            assertEquals(reserved.seeing("c"), step.order());
            assertEquals(List.of(RejectCode.CANCEL_EXCEEDS_RESERVED), codes(step));
            assertSame(tooMuch.origin(), step.rejections().get(0).origin());
            assertTrue(step.rejections().get(0).message().contains("4 of sku sku-b where 3 are reserved"),
                    step.rejections().get(0).message());
            assertEquals(List.of(), step.stockCommands());
            assertEquals(List.of(), step.outcomes());
        }

        @Test
        void linesOfOneSkuAreSummedBeforeTheyAreChecked() {
            assertEquals(List.of(RejectCode.CANCEL_EXCEEDS_RESERVED), codes(machine.cancel(reserved(),
                    cancelLines("c", new Line(A, 1), new Line(A, 2)), T_EVENT)));
            assertEquals(List.of(RejectCode.CANCEL_EXCEEDS_RESERVED), codes(machine.cancel(amended(),
                    cancelLines("c2", new Line(A, 2)), T_EVENT)), "A1 of A2 was let go of already");
        }

        @Test
        void aPartialCancelHeldWhilePendingIsReplayedOnceTheOrderIsReserved() {
            // Given B1 let go of while the order is pending
            final Order pending = machine.cancel(pending(), cancelLines("c", new Line(B, 1)), T_REPLY).order();
            assertEquals(OrderStatus.PENDING, pending.status());

            // When every SKU fits
            final OrderStep step = bothFit(machine, pending);

            // Then reserved, then amended, still waiting for its deadline
            assertEquals(List.of(OrderStatus.RESERVED, OrderStatus.AMENDED), statusesOf(step));
            assertEquals(List.of(new Release(ORDER, B, 1, ReleaseCause.CANCELLED, "c")), step.stockCommands());
            assertEquals(units(lines(A, 2, B, 2)), step.order().locked());
            assertEquals(List.of(EXPIRY), step.timersToSet());
            assertEquals(List.of(), step.order().held());
        }

        @Test
        void aPartialCancelOfEverythingHeldWhilePendingLeavesNoExpiryTimerSet() {
            final Order pending = machine.cancel(pending(), cancelLines("c", new Line(A, 2), new Line(B, 3)),
                    T_REPLY).order();

            final OrderStep step = bothFit(machine, pending);

            assertEquals(List.of(OrderStatus.RESERVED, OrderStatus.CANCELLED), statusesOf(step));
            assertEquals(List.of(), step.timersToSet());
            assertEquals(List.of(), step.timersToClear());
        }

        @Test
        void aPartialCancelBeforeTheOrderWaitsForItsReservation() {
            // Given B1 let go of before the order came
            final Order awaiting = machine.cancel(null, cancelLines("c", new Line(B, 1)), T_EARLY).order();

            // When the order comes, it is reserved in full first
            final OrderStep placed = machine.place(awaiting, place(), T_PLACE);
            assertEquals(OrderStatus.PENDING, placed.order().status());
            assertEquals(List.of(new Reserve(ORDER, A, 2), new Reserve(ORDER, B, 3)), placed.stockCommands());
            assertEquals(1, placed.order().held().size());

            // Then the cancellation applies to the reservation
            final OrderStep step = bothFit(machine, placed.order());
            assertEquals(OrderStatus.AMENDED, step.order().status());
            assertEquals(List.of(new Release(ORDER, B, 1, ReleaseCause.CANCELLED, "c")), step.stockCommands());
        }

        @Test
        void aFullCancelBeforeTheOrderStillCancelsItWithoutReservingThoughAPartialOneCameFirst() {
            // Given a partial, then a full cancellation before the order
            final Order partly = machine.cancel(null, cancelLines("c1", new Line(B, 1)), T_EARLY).order();
            final Order awaiting = machine.cancel(partly, cancel("c2"), T_EARLY + 1).order();

            // When the order comes
            final OrderStep step = machine.place(awaiting, place(), T_PLACE);

            // Then it is cancelled outright, and the partial cancellation finds nothing reserved
            assertEquals(OrderStatus.CANCELLED, step.order().status());
            assertEquals(List.of(), step.stockCommands());
            assertEquals(List.of(OrderStatus.CANCELLED), statusesOf(step));
            assertEquals(List.of(RejectCode.ILLEGAL_TRANSITION), codes(step));
            assertEquals(List.of(), step.order().held());
            assertEquals(List.of(), step.timersToSet());
        }
    }

    @Nested
    class DeductingOnShipment {

        Order confirmed() {
            return shipping.payment(reserved(), payment("pay-1", PaymentResult.CAPTURED), T_REPLY).order();
        }

        @Test
        void aCaptureConfirmsTheOrderAndLeavesItsUnitsLocked() {
            final OrderStep step = shipping.payment(reserved(), payment("pay-1", PaymentResult.CAPTURED), T_EVENT);

            assertEquals(OrderStatus.CONFIRMED, step.order().status());
            assertEquals(List.of(), step.stockCommands());
            assertEquals(units(SUMMED), step.order().locked());
            assertEquals(Map.of(), step.order().sold());
            assertEquals(List.of(new Outcome(ORDER, OrderStatus.CONFIRMED, null, SUMMED, PLACED_AT, null, T_EVENT)),
                    step.outcomes());
            assertEquals(List.of(EXPIRY), step.timersToClear());
            assertEquals(List.of(), shipping.timersOf(step.order()), "a paid order no longer expires");
        }

        @Test
        void aPartialShipmentThenTheRestTakeTheUnitsOffHand() {
            // When A1, B1 ship
            final OrderStep first = shipping.ship(confirmed(), ship("s1", new Line(A, 1), new Line(B, 1)), T_EVENT);

            // Then
            assertEquals(OrderStatus.SHIPPED, first.order().status());
            assertEquals("still to ship: 1 x sku-a, 2 x sku-b", first.order().reason());
            assertEquals(List.of(new Ship(ORDER, A, 1, "s1"), new Ship(ORDER, B, 1, "s1")), first.stockCommands());
            assertEquals(List.of(new Outcome(ORDER, OrderStatus.SHIPPED, "still to ship: 1 x sku-a, 2 x sku-b",
                    SUMMED, PLACED_AT, null, T_EVENT)), first.outcomes(), "what the order has, shipped or not");
            assertEquals(units(lines(A, 1, B, 2)), first.order().locked());
            assertEquals(units(lines(A, 1, B, 1)), first.order().sold());

            // When the rest ships
            final OrderStep rest = shipping.ship(first.order(), ship("s2"), T_EVENT + 1);

            // Then
            assertEquals(OrderStatus.SHIPPED, rest.order().status());
            assertNull(rest.order().reason());
            assertEquals(List.of(new Ship(ORDER, A, 1, "s2"), new Ship(ORDER, B, 2, "s2")), rest.stockCommands());
            assertEquals(SUMMED, rest.outcomes().get(0).lines());
            assertEquals(Map.of(), rest.order().locked());
            assertEquals(units(SUMMED), rest.order().sold());

            // And nothing is left to ship
            final OrderStep more = shipping.ship(rest.order(), ship("s3"), T_EVENT + 2);
            assertEquals(List.of(RejectCode.SHIPMENT_EXCEEDS_ALLOCATED), codes(more));
            assertEquals(List.of(), more.stockCommands());
        }

        @Test
        void oneLineAskingForMoreThanIsAllocatedRefusesTheWholeShipment() {
            final Order shipped = shipping.ship(confirmed(), ship("s1", new Line(A, 1)), T_EVENT).order();

            final OrderStep step = shipping.ship(shipped, ship("s2", new Line(B, 1), new Line(A, 2)), T_EVENT + 1);

            assertEquals(shipped.seeing("s2"), step.order());
            assertEquals(List.of(RejectCode.SHIPMENT_EXCEEDS_ALLOCATED), codes(step));
            assertTrue(step.rejections().get(0).message().contains("2 of sku sku-a where 1 are allocated"),
                    step.rejections().get(0).message());
            assertEquals(List.of(), step.stockCommands());
        }

        @Test
        void aShipmentBeforeThePaymentIsIllegal() {
            final OrderStep step = shipping.ship(reserved(), ship("s"), T_EVENT);

            assertEquals(List.of(RejectCode.ILLEGAL_TRANSITION), codes(step));
            assertEquals(OrderStatus.RESERVED, step.order().status());
            assertEquals(List.of(), step.stockCommands());
        }

        @Test
        void aRefundBeforeShipmentReleasesTheUnitsAsRefunded() {
            final OrderStep step = shipping.payment(confirmed(), refund("r", true), T_EVENT);

            assertEquals(OrderStatus.REFUNDED, step.order().status());
            assertEquals(sorted(List.of(releases(SUMMED, ReleaseCause.REFUNDED))), sorted(step.stockCommands()));
            assertTrue(step.stockCommands().stream().map(Release.class::cast).allMatch(r -> r.step() == null),
                    "a whole refund keeps the ids of the order's whole release");
            assertEquals(Map.of(), step.order().locked());
            assertEquals(Map.of(), step.order().sold());
        }

        @Test
        void aRefundAfterAPartialShipmentReleasesTheUnshippedAndReturnsTheShipped() {
            // Given A1 shipped
            final Order shipped = shipping.ship(confirmed(), ship("s1", new Line(A, 1)), T_EVENT).order();

            // When the whole order is refunded
            final OrderStep step = shipping.payment(shipped, refund("r", true), T_EVENT + 1);

            // Then
            assertEquals(OrderStatus.REFUNDED, step.order().status());
            assertEquals(sorted(List.of(new Release(ORDER, A, 1, ReleaseCause.REFUNDED),
                    new Release(ORDER, B, 3, ReleaseCause.REFUNDED), new Refund(ORDER, A, 1))),
                    sorted(step.stockCommands()));
            assertEquals(SUMMED, step.outcomes().get(0).lines());
            assertEquals(Map.of(), step.order().locked());
            assertEquals(Map.of(), step.order().sold());
        }

        @Test
        void aCaptureAndAShipmentHeldWhilePendingConfirmThenShipOnceReserved() {
            final Order withCapture = shipping.payment(pending(), payment("p", PaymentResult.CAPTURED), T_REPLY)
                    .order();
            final Order pending = shipping.ship(withCapture, ship("s"), T_REPLY).order();

            final OrderStep step = bothFit(shipping, pending);

            assertEquals(List.of(OrderStatus.RESERVED, OrderStatus.CONFIRMED, OrderStatus.SHIPPED), statusesOf(step));
            assertEquals(List.of(new Ship(ORDER, A, 2, "s"), new Ship(ORDER, B, 3, "s")), step.stockCommands());
            assertEquals(List.of(), step.timersToSet());
        }
    }

    @Nested
    class DeductingOnPayment {

        @Test
        void aShipmentFindsNothingAllocatedAndIsRefused() {
            final Order confirmed = given(OrderStatus.CONFIRMED);
            final ShipOrder shipment = ship("s", new Line(A, 1));

            final OrderStep step = machine.ship(confirmed, shipment, T_EVENT);

            assertEquals(confirmed.seeing("s"), step.order());
            assertEquals(List.of(RejectCode.SHIPMENT_EXCEEDS_ALLOCATED), codes(step));
            assertSame(shipment.origin(), step.rejections().get(0).origin());
            assertEquals(List.of(), step.stockCommands());
            assertEquals(List.of(), step.outcomes());
        }
    }

    @Nested
    class Returns {

        final Order confirmed = given(OrderStatus.CONFIRMED);

        @Test
        void partialReturnsThatAddUpToEverythingRefundTheOrder() {
            // When A1, then B3, then A1 come back
            final OrderStep first = machine.payment(confirmed, refund("r1", true, new Line(A, 1)), T_EVENT);
            final OrderStep second = machine.payment(first.order(), refund("r2", true, new Line(B, 3)), T_EVENT + 1);
            final OrderStep third = machine.payment(second.order(), refund("r3", true, new Line(A, 1)), T_EVENT + 2);

            // Then
            assertEquals(List.of(OrderStatus.PARTIALLY_REFUNDED, OrderStatus.PARTIALLY_REFUNDED, OrderStatus.REFUNDED),
                    Stream.of(first, second, third).map(s -> s.order().status()).toList());
            assertEquals(List.of(new Refund(ORDER, A, 1, "r1"), new Refund(ORDER, B, 3, "r2"),
                    new Refund(ORDER, A, 1, "r3")),
                    Stream.of(first, second, third).flatMap(s -> s.stockCommands().stream()).toList());
            assertEquals(List.of(lines(A, 1, B, 3), lines(A, 1), SUMMED),
                    Stream.of(first, second, third).map(s -> s.outcomes().get(0).lines()).toList(),
                    "what the order still has after each, then as placed");
            assertEquals(Map.of(), third.order().sold());
            assertEquals(List.of(RejectCode.ILLEGAL_TRANSITION),
                    codes(machine.payment(third.order(), refund("r4", true, new Line(A, 1)), T_EVENT + 3)));
        }

        @Test
        void aReturnNeverExceedsWhatWasSoldOfItsLine() {
            assertEquals(List.of(RejectCode.RETURN_EXCEEDS_SOLD),
                    codes(machine.payment(confirmed, refund("r0", true, new Line(A, 3)), T_EVENT)));
            assertEquals(List.of(RejectCode.RETURN_EXCEEDS_SOLD),
                    codes(machine.payment(confirmed, refund("r0", true, new Line(A, 2), new Line(A, 1)), T_EVENT)),
                    "lines of one SKU are summed");
            assertEquals(List.of(RejectCode.RETURN_EXCEEDS_SOLD),
                    codes(machine.payment(confirmed, refund("r0", true, new Line(C, 1)), T_EVENT)),
                    "a SKU the order never had");
        }

        @Test
        void aReturnNeverExceedsWhatIsLeftOfItsLineAfterEarlierReturns() {
            // Given A1 of A2 came back
            final Order once = machine.payment(confirmed, refund("r1", true, new Line(A, 1)), T_EVENT).order();

            // When A2 is asked back, with B1 that would fit
            final ApplyPayment tooMuch = refund("r2", true, new Line(B, 1), new Line(A, 2));
            final OrderStep step = machine.payment(once, tooMuch, T_EVENT + 1);

            // Then the whole refund is refused
            assertEquals(once.seeing("r2"), step.order());
            assertEquals(List.of(RejectCode.RETURN_EXCEEDS_SOLD), codes(step));
            assertSame(tooMuch.origin(), step.rejections().get(0).origin());
            assertTrue(step.rejections().get(0).message().contains("2 of sku sku-a where 1 are paid and not yet"
                    + " refunded"), step.rejections().get(0).message());
            assertEquals(List.of(), step.stockCommands());
            assertEquals(List.of(), step.outcomes());

            // And the A1 that is left can still come back
            assertEquals(List.of(new Refund(ORDER, A, 1, "r3")),
                    machine.payment(once, refund("r3", true, new Line(A, 1)), T_EVENT + 2).stockCommands());
        }

        @Test
        void aDamagedReturnSendsNoStockCommandAndSaysSo() {
            final OrderStep step = machine.payment(confirmed, refund("r", false, new Line(B, 2)), T_EVENT);

            assertEquals(OrderStatus.PARTIALLY_REFUNDED, step.order().status());
            assertEquals(List.of(), step.stockCommands());
            assertEquals("returned damaged, not restocked: 2 x sku-b", step.order().reason());
            assertEquals(List.of(new Outcome(ORDER, OrderStatus.PARTIALLY_REFUNDED,
                    "returned damaged, not restocked: 2 x sku-b", lines(A, 2, B, 1), PLACED_AT, null, T_EVENT)),
                    step.outcomes());
            assertEquals(units(lines(A, 2, B, 1)), step.order().sold());
        }

        @Test
        void aWholeDamagedRefundRefundsTheOrderWithoutRestocking() {
            final OrderStep step = machine.payment(confirmed, refund("r", false), T_EVENT);

            assertEquals(OrderStatus.REFUNDED, step.order().status());
            assertEquals(List.of(), step.stockCommands());
            assertEquals("returned damaged, not restocked: 2 x sku-a, 3 x sku-b", step.order().reason());
        }

        @Test
        void aWholeRefundAfterAPartialOneRefundsWhatIsLeftWithTheWholeRefundsIds() {
            final Order once = machine.payment(confirmed, refund("r1", true, new Line(A, 1)), T_EVENT).order();

            final OrderStep step = machine.payment(once, refund("r2", true), T_EVENT + 1);

            assertEquals(OrderStatus.REFUNDED, step.order().status());
            assertEquals(List.of(new Refund(ORDER, A, 1), new Refund(ORDER, B, 3)), step.stockCommands());
            assertEquals(SUMMED, step.outcomes().get(0).lines(), "refunded, the order has nothing: its lines as placed");
        }
    }

    /** Every new event, taken in and then delivered again under the same id: the second time changes nothing. */
    @Nested
    class Redeliveries {

        static Stream<Arguments> takenIn() {
            return Stream.of(
                    Arguments.of(DeductOn.PAYMENT, OrderStatus.RESERVED, Event.CANCEL_LINES),
                    Arguments.of(DeductOn.PAYMENT, OrderStatus.AMENDED, Event.CANCEL_LINES),
                    Arguments.of(DeductOn.PAYMENT, OrderStatus.RESERVED, Event.CANCEL_LINES_TOO_MANY),
                    Arguments.of(DeductOn.PAYMENT, OrderStatus.CONFIRMED, Event.REFUND_LINES),
                    Arguments.of(DeductOn.PAYMENT, OrderStatus.CONFIRMED, Event.REFUND_DAMAGED),
                    Arguments.of(DeductOn.PAYMENT, OrderStatus.PARTIALLY_REFUNDED, Event.REFUND_LINES),
                    Arguments.of(DeductOn.PAYMENT, OrderStatus.CONFIRMED, Event.REFUND_TOO_MANY),
                    Arguments.of(DeductOn.PAYMENT, OrderStatus.CONFIRMED, Event.SHIP),
                    Arguments.of(DeductOn.SHIPMENT, OrderStatus.CONFIRMED, Event.SHIP),
                    Arguments.of(DeductOn.SHIPMENT, OrderStatus.CONFIRMED, Event.SHIP_LINES),
                    Arguments.of(DeductOn.SHIPMENT, OrderStatus.SHIPPED, Event.REFUND_LINES),
                    Arguments.of(DeductOn.SHIPMENT, OrderStatus.SHIPPED, Event.REFUND_DAMAGED));
        }

        @ParameterizedTest(name = "deducting on {0}, given {1}, {2} delivered twice")
        @MethodSource("takenIn")
        void aSecondDeliveryChangesNothing(final DeductOn mode, final OrderStatus status, final Event event) {
            // Given the event was taken in
            final OrderMachine by = mode == DeductOn.PAYMENT ? machine : shipping;
            final Order after = arrive(by, given(by, status), heldEvent(event), T_EVENT).order();

            // When it comes again, as a new record with the same id
            final OrderStep again = arrive(by, after, heldEvent(event), T_EVENT + 1);

            // Then
            assertSame(after, again.order());
            assertNothingSent(again);
        }

        @Test
        void theIdDecidesNotTheLines() {
            final Order amended = machine.cancel(reserved(), cancelLines("c", new Line(B, 1)), T_EVENT).order();

            final OrderStep again = machine.cancel(amended, cancelLines("c", new Line(A, 1)), T_EVENT + 1);

            assertSame(amended, again.order());
            assertNothingSent(again);
        }

        @Test
        void aPerLineEventHeldWhilePendingIsTakenInOnceWhetherItComesAgainBeforeOrAfterTheReplay() {
            // Given B1 let go of while pending, delivered twice before the reservation
            final Order pending = machine.cancel(pending(), cancelLines("c", new Line(B, 1)), T_REPLY).order();
            final OrderStep twiceWhilePending = machine.cancel(pending, cancelLines("c", new Line(B, 1)), T_REPLY);
            assertSame(pending, twiceWhilePending.order());
            assertNothingSent(twiceWhilePending);

            // When the order is reserved, and the cancellation comes a third time
            final Order amended = bothFit(machine, pending).order();
            final OrderStep afterReplay = machine.cancel(amended, cancelLines("c", new Line(B, 1)), T_EVENT);

            // Then B1 was let go of once
            assertEquals(units(lines(A, 2, B, 2)), amended.locked());
            assertSame(amended, afterReplay.order());
            assertNothingSent(afterReplay);
        }
    }
}
