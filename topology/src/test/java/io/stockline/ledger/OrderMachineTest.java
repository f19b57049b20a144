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
import io.stockline.ledger.OrderCommand.LineResult;
import io.stockline.ledger.OrderCommand.PaymentResult;
import io.stockline.ledger.OrderCommand.PlaceOrder;
import io.stockline.ledger.StockCommand.Commit;
import io.stockline.ledger.StockCommand.Refund;
import io.stockline.ledger.StockCommand.Release;
import io.stockline.ledger.StockCommand.Reserve;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
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
        final Order order = switch (status) {
            case AWAITING_ORDER -> machine.payment(null, payment("pay-early", PaymentResult.CAPTURED), T_EARLY)
                    .order();
            case PENDING -> pending();
            case RESERVED -> reserved();
            case REJECTED -> {
                final Order half = machine.lineResult(pending(), reply(A, 2, true, 10), T_REPLY).order();
                yield machine.lineResult(half, reply(B, 3, false, 1), T_REPLY).order();
            }
            case CONFIRMED -> machine.payment(reserved(), payment("pay-1", PaymentResult.CAPTURED), T_REPLY)
                    .order();
            case CANCELLED -> machine.cancel(reserved(), cancel("cancel-1"), T_REPLY).order();
            case EXPIRED -> machine.expire(reserved(), DEADLINE).order();
            case REFUNDED -> {
                final Order confirmed = given(OrderStatus.CONFIRMED);
                yield machine.payment(confirmed, payment("pay-2", PaymentResult.REFUNDED), T_REPLY).order();
            }
            default -> throw new UnsupportedOperationException("the matrix does not reach " + status + " yet");
        };
        assertEquals(status, order.status(), "given");
        return order;
    }

    // ---------------------------------------------------------------- the status x command matrix

    enum Event {
        PLACE_SAME, PLACE_OTHER, CAPTURED, FAILED, REFUNDED, CANCEL, DUPLICATE_PAYMENT, DUPLICATE_CANCEL,
        EXPIRE_BEFORE_DEADLINE, EXPIRE_AT_DEADLINE, EXPIRE_AFTER_DEADLINE,
        ORPHAN_TIMEOUT_BEFORE_GRACE, ORPHAN_TIMEOUT_AFTER_GRACE
    }

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
        int heldDelta;

        Then stock(final StockCommand... commands) {
            stock = List.of(commands);
            return this;
        }

        /** Only status, reason and expiresAt are compared. */
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
            locked = Map.of();
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

    /** The matrix's rows for one status, named event by event: {@code given(status).then(expected, events...)}. */
    static final class Given {
        private final OrderStatus status;
        private final List<Arguments> rows = new ArrayList<>();

        private Given(final OrderStatus status) {
            this.status = status;
        }

        Given then(final Then then, final Event... events) {
            for (final Event event : events) {
                rows.add(Arguments.of(status, event, then));
            }
            return this;
        }

        Stream<Arguments> rows() {
            return rows.stream();
        }
    }

    static Given rows(final OrderStatus status) {
        return new Given(status);
    }

    /**
     * A settled order (rejected, cancelled, expired or refunded) refuses every
     * payment and cancellation, the capture with {@code onCapture}; redeliveries and timers change nothing.
     */
    static Given settled(final OrderStatus status, final RejectCode onCapture) {
        return rows(status)
                .then(unchanged(), Event.PLACE_SAME)
                .then(conflict(), Event.PLACE_OTHER)
                .then(refused(onCapture), Event.CAPTURED)
                .then(refused(RejectCode.ILLEGAL_TRANSITION), Event.FAILED, Event.REFUNDED, Event.CANCEL)
                .then(unchanged(), Event.DUPLICATE_PAYMENT, Event.DUPLICATE_CANCEL, Event.EXPIRE_BEFORE_DEADLINE,
                        Event.EXPIRE_AT_DEADLINE, Event.EXPIRE_AFTER_DEADLINE, Event.ORPHAN_TIMEOUT_BEFORE_GRACE,
                        Event.ORPHAN_TIMEOUT_AFTER_GRACE);
    }

    static Stream<Arguments> matrix() {
        final Then placedAfterPayment = to(OrderStatus.PENDING)
                .stock(new Reserve(ORDER, A, 2), new Reserve(ORDER, B, 3));
        // A one-line order: the stock side's answer is its decision, so the request carries what that needs.
        final Then placedOtherAfterPayment = to(OrderStatus.PENDING)
                .stock(new Reserve(ORDER, A, 5, new StockCommand.SoleLine(PLACED_AT, DEADLINE)));
        final Then orphaned = refused(RejectCode.ORPHAN_EVENT);
        orphaned.heldDelta = -1;
        final Then expired = to(OrderStatus.EXPIRED)
                .stock(new Release(ORDER, A, 2, ReleaseCause.EXPIRED), new Release(ORDER, B, 3, ReleaseCause.EXPIRED))
                .outcome(OrderStatus.EXPIRED, "not paid by " + Instant.ofEpochMilli(DEADLINE), null).unlocksAll();
        return Stream.of(
                rows(OrderStatus.AWAITING_ORDER)
                        .then(placedAfterPayment, Event.PLACE_SAME)
                        .then(placedOtherAfterPayment, Event.PLACE_OTHER)
                        .then(heldWithOrphanTimer(), Event.CAPTURED, Event.FAILED, Event.REFUNDED, Event.CANCEL)
                        .then(unchanged(), Event.DUPLICATE_PAYMENT, Event.DUPLICATE_CANCEL,
                                Event.EXPIRE_BEFORE_DEADLINE, Event.EXPIRE_AT_DEADLINE, Event.EXPIRE_AFTER_DEADLINE,
                                Event.ORPHAN_TIMEOUT_BEFORE_GRACE)
                        .then(orphaned, Event.ORPHAN_TIMEOUT_AFTER_GRACE),
                rows(OrderStatus.PENDING)
                        .then(unchanged(), Event.PLACE_SAME)
                        .then(conflict(), Event.PLACE_OTHER)
                        .then(held(), Event.CAPTURED, Event.FAILED, Event.REFUNDED, Event.CANCEL)
                        .then(unchanged(), Event.DUPLICATE_PAYMENT, Event.DUPLICATE_CANCEL,
                                Event.EXPIRE_BEFORE_DEADLINE, Event.EXPIRE_AT_DEADLINE, Event.EXPIRE_AFTER_DEADLINE,
                                Event.ORPHAN_TIMEOUT_BEFORE_GRACE, Event.ORPHAN_TIMEOUT_AFTER_GRACE),
                rows(OrderStatus.RESERVED)
                        .then(unchanged(), Event.PLACE_SAME)
                        .then(conflict(), Event.PLACE_OTHER)
                        .then(to(OrderStatus.CONFIRMED)
                                .stock(new Commit(ORDER, A, 2), new Commit(ORDER, B, 3))
                                .outcome(OrderStatus.CONFIRMED, null, null).clears(EXPIRY).unlocksAll(),
                                Event.CAPTURED)
                        .then(to(OrderStatus.CANCELLED)
                                .stock(new Release(ORDER, A, 2, ReleaseCause.PAYMENT_FAILED),
                                        new Release(ORDER, B, 3, ReleaseCause.PAYMENT_FAILED))
                                .outcome(OrderStatus.CANCELLED, "PAYMENT_FAILED", null).clears(EXPIRY).unlocksAll(),
                                Event.FAILED)
                        .then(refused(RejectCode.ILLEGAL_TRANSITION), Event.REFUNDED)
                        .then(to(OrderStatus.CANCELLED)
                                .stock(new Release(ORDER, A, 2, ReleaseCause.CANCELLED),
                                        new Release(ORDER, B, 3, ReleaseCause.CANCELLED))
                                .outcome(OrderStatus.CANCELLED, "CANCELLED: changed my mind", null).clears(EXPIRY)
                                .unlocksAll(),
                                Event.CANCEL)
                        .then(unchanged(), Event.DUPLICATE_PAYMENT, Event.DUPLICATE_CANCEL,
                                Event.EXPIRE_BEFORE_DEADLINE)
                        .then(expired, Event.EXPIRE_AT_DEADLINE, Event.EXPIRE_AFTER_DEADLINE)
                        .then(unchanged(), Event.ORPHAN_TIMEOUT_BEFORE_GRACE, Event.ORPHAN_TIMEOUT_AFTER_GRACE),
                settled(OrderStatus.REJECTED, RejectCode.LATE_PAYMENT),
                // Confirmed differs from the settled ones in two places: a capture is illegal, not late, and
                // a refund puts the goods back.
                rows(OrderStatus.CONFIRMED)
                        .then(unchanged(), Event.PLACE_SAME)
                        .then(conflict(), Event.PLACE_OTHER)
                        .then(refused(RejectCode.ILLEGAL_TRANSITION), Event.CAPTURED, Event.FAILED)
                        .then(to(OrderStatus.REFUNDED)
                                .stock(new Refund(ORDER, A, 2), new Refund(ORDER, B, 3))
                                .outcome(OrderStatus.REFUNDED, null, null),
                                Event.REFUNDED)
                        .then(refused(RejectCode.ILLEGAL_TRANSITION), Event.CANCEL)
                        .then(unchanged(), Event.DUPLICATE_PAYMENT, Event.DUPLICATE_CANCEL,
                                Event.EXPIRE_BEFORE_DEADLINE, Event.EXPIRE_AT_DEADLINE, Event.EXPIRE_AFTER_DEADLINE,
                                Event.ORPHAN_TIMEOUT_BEFORE_GRACE, Event.ORPHAN_TIMEOUT_AFTER_GRACE),
                settled(OrderStatus.CANCELLED, RejectCode.LATE_PAYMENT),
                settled(OrderStatus.EXPIRED, RejectCode.LATE_PAYMENT),
                settled(OrderStatus.REFUNDED, RejectCode.ILLEGAL_TRANSITION))
                .flatMap(Given::rows);
    }

    @Test
    void matrixCoversEveryStatusTimesEveryEvent() {
        final Set<String> seen = new HashSet<>();
        matrix().forEach(args -> assertTrue(seen.add(args.get()[0] + "/" + args.get()[1]), "twice: " + seen));
        assertEquals(OrderStatus.values().length * Event.values().length, seen.size());
    }

    @ParameterizedTest(name = "given {0}, when {1}, then {2}")
    @MethodSource("matrix")
    void statusTimesEvent(final OrderStatus status, final Event event, final Then then) {
        // Given
        Order before = given(status);
        final HeldOrPlaced input;
        // When
        final OrderStep step;
        switch (event) {
            case PLACE_SAME -> {
                final PlaceOrder again = place("placed-again", LINES, PLACED_AT, HOLD);
                input = new HeldOrPlaced(again, null);
                step = machine.place(before, again, T_EVENT);
            }
            case PLACE_OTHER -> {
                final PlaceOrder other = place("placed-other", OTHER_LINES, PLACED_AT, HOLD);
                input = new HeldOrPlaced(other, null);
                step = machine.place(before, other, T_EVENT);
            }
            case CAPTURED, FAILED, REFUNDED -> {
                final ApplyPayment payment = payment("pay-new", PaymentResult.valueOf(event.name()));
                input = new HeldOrPlaced(null, payment);
                step = machine.payment(before, payment, T_EVENT);
            }
            case CANCEL -> {
                final CancelOrder cancel = cancel("cancel-new");
                input = new HeldOrPlaced(null, cancel);
                step = machine.cancel(before, cancel, T_EVENT);
            }
            case DUPLICATE_PAYMENT -> {
                final ApplyPayment payment = payment("pay-dup", PaymentResult.CAPTURED);
                before = machine.payment(before, payment, T_EVENT).order();
                input = new HeldOrPlaced(null, payment);
                step = machine.payment(before, payment, T_EVENT + 1);
            }
            case DUPLICATE_CANCEL -> {
                final CancelOrder cancel = cancel("cancel-dup");
                before = machine.cancel(before, cancel, T_EVENT).order();
                input = new HeldOrPlaced(null, cancel);
                step = machine.cancel(before, cancel, T_EVENT + 1);
            }
            case EXPIRE_BEFORE_DEADLINE -> {
                input = null;
                step = machine.expire(before, DEADLINE - 1);
            }
            case EXPIRE_AT_DEADLINE -> {
                input = null;
                step = machine.expire(before, DEADLINE);
            }
            case EXPIRE_AFTER_DEADLINE -> {
                input = null;
                step = machine.expire(before, DEADLINE + 1);
            }
            case ORPHAN_TIMEOUT_BEFORE_GRACE -> {
                input = null;
                step = machine.orphanTimeout(before, T_EARLY + GRACE - 1);
            }
            case ORPHAN_TIMEOUT_AFTER_GRACE -> {
                input = null;
                step = machine.orphanTimeout(before, T_EARLY + GRACE);
            }
            default -> throw new AssertionError(event);
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
        assertEquals(then.outcomes.stream().map(OrderMachineTest::outcomeKey).toList(),
                step.outcomes().stream().map(OrderMachineTest::outcomeKey).toList(), "outcomes");
        for (final Outcome outcome : step.outcomes()) {
            assertEquals(ORDER, outcome.orderId());
            assertEquals(after.lines(), outcome.lines());
        }
        assertEquals(then.rejections, codes(step), "rejections");
        assertEquals(then.timersSet, step.timersToSet(), "timers set");
        assertEquals(then.timersCleared, step.timersToClear(), "timers cleared");
        assertEquals(then.locked == null ? before.locked() : then.locked, after.locked(), "locked");
        assertEquals(before.held().size() + then.heldDelta, after.held().size(), "held");
        if (input != null && input.event() != null) {
            thenARedeliveryChangesNothing(after, input.event());
        }
        if (input != null && input.place() != null && !then.rejections.isEmpty()) {
            assertSame(input.place().origin(), step.rejections().get(0).origin(), "dead letter keeps the input");
        }
    }

    private record HeldOrPlaced(PlaceOrder place, OrderCommand.HeldEvent event) {
    }

    private static List<Object> outcomeKey(final Outcome outcome) {
        return Arrays.asList(outcome.status(), outcome.reason(), outcome.expiresAt());
    }

    private void thenARedeliveryChangesNothing(final Order after, final OrderCommand.HeldEvent event) {
        final OrderStep again = event instanceof ApplyPayment payment
                ? machine.payment(after, payment, T_EVENT + 2)
                : machine.cancel(after, (CancelOrder) event, T_EVENT + 2);
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
}
