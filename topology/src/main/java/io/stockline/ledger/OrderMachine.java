package io.stockline.ledger;

import io.stockline.ledger.OrderCommand.ApplyPayment;
import io.stockline.ledger.OrderCommand.CancelOrder;
import io.stockline.ledger.OrderCommand.HeldEvent;
import io.stockline.ledger.OrderCommand.LineResult;
import io.stockline.ledger.OrderCommand.PlaceOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The order state machine: pure, no Kafka. Each method takes the order as stored (null when unknown),
 * the command and the wall-clock time, and returns the new state with everything to send.
 *
 * <p>An order locks its SKUs through the stock side, one reserve request per SKU; it is PENDING until all
 * have answered, then RESERVED (all fitted) or REJECTED (any was short; the ones that fitted are
 * released as PARTIAL_REJECTION). Payments and cancellations that arrive before the order, or while it
 * is PENDING, are held and replayed once the order is decided.
 */
public final class OrderMachine {

    private final long defaultHoldMillis;
    private final long orphanGraceMillis;

    public OrderMachine(final long defaultHoldMillis, final long orphanGraceMillis) {
        this.defaultHoldMillis = defaultHoldMillis;
        this.orphanGraceMillis = orphanGraceMillis;
    }

    public OrderStep place(final Order current, final PlaceOrder place, final long now) {
        return place(current, place, now, sku -> null);
    }

    /**
     * @param knownAvailable what is known to be available of a SKU without asking the stock side (null when
     *                       it must be asked): an order with a line that does not fit what is known is
     *                       rejected at once, naming the first such SKU, and nothing is locked or released
     */
    public OrderStep place(final Order current, final PlaceOrder place, final long now,
                           final Function<String, Long> knownAvailable) {
        final Effects fx = new Effects();
        final long expiry = expiryOf(place);
        if (current != null && current.status() != OrderStatus.AWAITING_ORDER) {
            if (sameContent(current, place, expiry) || current.hasSeen(place.eventId())) {
                return fx.done(current);
            }
            // Remembered, so that a redelivery of the refused event is not refused a second time.
            return fx.done(current.seeing(place.eventId()), new Rejection(RejectCode.ORDER_ID_CONFLICT, "order "
                    + place.orderId() + " was already placed with other content (event " + current.placedEventId()
                    + ")", place.origin()));
        }
        final Order waiting = current == null ? Order.awaiting(place.orderId(), now) : current;
        final Order pending = waiting.placed(place, Line.summed(place.lines()), expiry, now);
        final CancelOrder earlyCancel = firstHeldCancel(waiting);
        if (earlyCancel != null) {
            final Order cancelled = pending.withHeld(without(waiting.held(), earlyCancel))
                    .withStatus(OrderStatus.CANCELLED, cancelReason(earlyCancel), now);
            return fx.done(replayHeld(fx.outcome(cancelled, now), fx, now));
        }
        if (expiry <= now) {
            final Order rejected = pending.withStatus(OrderStatus.REJECTED,
                    "hold deadline " + Instant.ofEpochMilli(expiry) + " had passed when the order arrived", now);
            return fx.done(replayHeld(fx.outcome(rejected, now), fx, now));
        }
        for (final Line line : pending.lines()) {
            final Long available = knownAvailable.apply(line.sku());
            if (available != null && available < line.quantity()) {
                final Order rejected = pending.withStatus(OrderStatus.REJECTED,
                        Outcome.shortage(line.sku(), line.quantity(), available), now);
                return fx.done(replayHeld(fx.outcome(rejected, now), fx, now));
            }
        }
        final StockCommand.SoleLine soleLine = pending.lines().size() == 1
                ? new StockCommand.SoleLine(pending.placedAt(), pending.expiresAt()) : null;
        for (final Line line : pending.lines()) {
            fx.stock.add(new StockCommand.Reserve(pending.orderId(), line.sku(), line.quantity(), soleLine));
        }
        return fx.done(pending);
    }

    public OrderStep lineResult(final Order current, final LineResult result, final long now) {
        final Effects fx = new Effects();
        if (current == null || current.status() != OrderStatus.PENDING) {
            throw new IllegalStateException("line result for order " + result.orderId() + " which is "
                    + (current == null ? "unknown" : current.status()));
        }
        final Order answered = current.withReply(result.sku(), result.quantity(), result.reserved(),
                Outcome.shortage(result.sku(), result.quantity(), result.available()));
        if (answered.awaitingReplies() > 0) {
            return fx.done(answered);
        }
        // A one-line order's decision went out from the stock side already: recorded here, not sent again.
        final boolean published = result.decisionPublished();
        if (answered.shortage() == null) {
            fx.timersToSet.add(new Timer(answered.expiresAt(), Timer.Kind.EXPIRY, answered.orderId()));
            final Order reserved = fx.decision(answered.withStatus(OrderStatus.RESERVED, null, now), published, now);
            return fx.done(replayHeld(reserved, fx, now));
        }
        final Order rejected = release(answered, ReleaseCause.PARTIAL_REJECTION, fx)
                .withStatus(OrderStatus.REJECTED, answered.shortage(), now);
        return fx.done(replayHeld(fx.decision(rejected, published, now), fx, now));
    }

    public OrderStep payment(final Order current, final ApplyPayment payment, final long now) {
        return arrive(current, payment, now);
    }

    public OrderStep cancel(final Order current, final CancelOrder cancel, final long now) {
        return arrive(current, cancel, now);
    }

    /**
     * The timers an order in this state waits on: its hold's end while RESERVED, each held event's grace
     * while the order has not arrived. Exactly the timers the steps that led here set and did not clear.
     */
    public List<Timer> timersOf(final Order order) {
        if (order.status() == OrderStatus.RESERVED) {
            return List.of(expiryTimer(order));
        }
        if (order.status() == OrderStatus.AWAITING_ORDER) {
            return order.held().stream().map(held -> orphanTimer(order.orderId(), held.arrivedAt())).toList();
        }
        return List.of();
    }

    /** The expiry timer fired: a still-RESERVED order past its deadline lets its stock go. */
    public OrderStep expire(final Order current, final long now) {
        final Effects fx = new Effects();
        if (current == null || current.status() != OrderStatus.RESERVED || current.expiresAt() > now) {
            return fx.done(current);
        }
        final Order expired = release(current, ReleaseCause.EXPIRED, fx)
                .withStatus(OrderStatus.EXPIRED, "not paid by " + Instant.ofEpochMilli(current.expiresAt()), now);
        return fx.done(fx.outcome(expired, now));
    }

    /** The orphan timer fired: held events whose grace is over, and whose order never came, are refused. */
    public OrderStep orphanTimeout(final Order current, final long now) {
        final Effects fx = new Effects();
        if (current == null || current.status() != OrderStatus.AWAITING_ORDER) {
            return fx.done(current);
        }
        final List<Order.Held> stillWaiting = new ArrayList<>();
        for (final Order.Held held : current.held()) {
            if (held.arrivedAt() + orphanGraceMillis <= now) {
                fx.rejections.add(new Rejection(RejectCode.ORPHAN_EVENT, "no order " + current.orderId()
                        + " arrived within " + orphanGraceMillis + " ms of event " + held.event().eventId(),
                        held.event().origin()));
            } else {
                stillWaiting.add(held);
            }
        }
        return fx.done(stillWaiting.size() == current.held().size() ? current : current.withHeld(stillWaiting));
    }

    private OrderStep arrive(final Order current, final HeldEvent event, final long now) {
        final Effects fx = new Effects();
        if (current != null && current.hasSeen(event.eventId())) {
            return fx.done(current);
        }
        if (current == null || current.status() == OrderStatus.AWAITING_ORDER) {
            final Order waiting = current == null ? Order.awaiting(orderIdOf(event), now) : current;
            fx.timersToSet.add(orphanTimer(waiting.orderId(), now));
            return fx.done(waiting.holding(event, now));
        }
        if (current.status() == OrderStatus.PENDING) {
            return fx.done(current.holding(event, now));
        }
        return fx.done(apply(current.seeing(event.eventId()), event, fx, now));
    }

    /** Applies a payment or cancellation to a decided order. */
    private Order apply(final Order order, final HeldEvent event, final Effects fx, final long now) {
        if (event instanceof CancelOrder cancel) {
            return applyCancel(order, cancel, fx, now);
        }
        return applyPayment(order, (ApplyPayment) event, fx, now);
    }

    private Order applyCancel(final Order order, final CancelOrder cancel, final Effects fx, final long now) {
        if (order.status() != OrderStatus.RESERVED) {
            return fx.refuse(order, RejectCode.ILLEGAL_TRANSITION, cancel, "cannot cancel");
        }
        fx.clearTimer(expiryTimer(order));
        final Order cancelled = release(order, ReleaseCause.CANCELLED, fx)
                .withStatus(OrderStatus.CANCELLED, cancelReason(cancel), now);
        return fx.outcome(cancelled, now);
    }

    private Order applyPayment(final Order order, final ApplyPayment payment, final Effects fx, final long now) {
        return switch (payment.result()) {
            case CAPTURED -> capture(order, payment, fx, now);
            case FAILED -> failPayment(order, payment, fx, now);
            case REFUNDED -> refund(order, payment, fx, now);
        };
    }

    private Order capture(final Order order, final ApplyPayment payment, final Effects fx, final long now) {
        if (order.status() == OrderStatus.CANCELLED || order.status() == OrderStatus.EXPIRED
                || order.status() == OrderStatus.REJECTED) {
            return fx.refuse(order, RejectCode.LATE_PAYMENT, payment,
                    "captured payment came too late (the payment side must refund it) for");
        }
        if (order.status() != OrderStatus.RESERVED) {
            return fx.refuse(order, RejectCode.ILLEGAL_TRANSITION, payment, "cannot capture a payment for");
        }
        fx.clearTimer(expiryTimer(order));
        order.locked().forEach((sku, quantity) ->
                fx.stock.add(new StockCommand.Commit(order.orderId(), sku, quantity)));
        return fx.outcome(order.withLocked(Map.of()).withStatus(OrderStatus.CONFIRMED, null, now), now);
    }

    private Order failPayment(final Order order, final ApplyPayment payment, final Effects fx, final long now) {
        if (order.status() != OrderStatus.RESERVED) {
            return fx.refuse(order, RejectCode.ILLEGAL_TRANSITION, payment, "failed payment cannot cancel");
        }
        fx.clearTimer(expiryTimer(order));
        final Order cancelled = release(order, ReleaseCause.PAYMENT_FAILED, fx)
                .withStatus(OrderStatus.CANCELLED, ReleaseCause.PAYMENT_FAILED.name(), now);
        return fx.outcome(cancelled, now);
    }

    private Order refund(final Order order, final ApplyPayment payment, final Effects fx, final long now) {
        if (order.status() != OrderStatus.CONFIRMED) {
            return fx.refuse(order, RejectCode.ILLEGAL_TRANSITION, payment, "cannot refund");
        }
        for (final Line line : order.lines()) {
            fx.stock.add(new StockCommand.Refund(order.orderId(), line.sku(), line.quantity()));
        }
        return fx.outcome(order.withStatus(OrderStatus.REFUNDED, null, now), now);
    }

    /** Sends every locked SKU back to available and forgets the locks. */
    private static Order release(final Order order, final ReleaseCause cause, final Effects fx) {
        order.locked().forEach((sku, quantity) ->
                fx.stock.add(new StockCommand.Release(order.orderId(), sku, quantity, cause)));
        return order.withLocked(Map.of());
    }

    /** Once an order is decided, the events that waited for it are applied in the order they came. */
    private Order replayHeld(final Order decided, final Effects fx, final long now) {
        Order order = decided.withHeld(List.of());
        for (final Order.Held held : decided.held()) {
            order = apply(order, held.event(), fx, now);
        }
        return order;
    }

    /** The same order, however its lines are listed and whether its hold is the default or spelled out. */
    private static boolean sameContent(final Order order, final PlaceOrder place, final long expiry) {
        return quantityBySku(order.lines()).equals(quantityBySku(Line.summed(place.lines())))
                && order.placedAt() == place.placedAt() && order.expiresAt() == expiry;
    }

    private long expiryOf(final PlaceOrder place) {
        return saturatedAdd(place.placedAt(), place.holdMillis() == null ? defaultHoldMillis : place.holdMillis());
    }

    private static Map<String, Long> quantityBySku(final List<Line> lines) {
        return lines.stream().collect(java.util.stream.Collectors.toMap(Line::sku, Line::quantity));
    }

    private static CancelOrder firstHeldCancel(final Order order) {
        return order.held().stream().map(Order.Held::event).filter(CancelOrder.class::isInstance)
                .map(CancelOrder.class::cast).findFirst().orElse(null);
    }

    private static List<Order.Held> without(final List<Order.Held> held, final HeldEvent event) {
        return held.stream().filter(h -> h.event() != event).toList();
    }

    private static String cancelReason(final CancelOrder cancel) {
        return ReleaseCause.CANCELLED.name() + ": " + cancel.reason();
    }

    private static Timer expiryTimer(final Order order) {
        return new Timer(order.expiresAt(), Timer.Kind.EXPIRY, order.orderId());
    }

    /** A held event's grace period, from when it arrived: the one timer {@link #arrive} sets per event. */
    private Timer orphanTimer(final String orderId, final long arrivedAt) {
        return new Timer(arrivedAt + orphanGraceMillis, Timer.Kind.ORPHAN, orderId);
    }

    private static String orderIdOf(final HeldEvent event) {
        return ((OrderCommand) event).orderId();
    }

    private static long saturatedAdd(final long a, final long b) {
        final long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? (b > 0 ? Long.MAX_VALUE : Long.MIN_VALUE) : sum;
    }

    /** Collects what a step sends out. */
    private static final class Effects {
        private final List<StockCommand> stock = new ArrayList<>();
        private final List<Outcome> outcomes = new ArrayList<>();
        private final List<Rejection> rejections = new ArrayList<>();
        private final List<Timer> timersToSet = new ArrayList<>();
        private final List<Timer> timersToClear = new ArrayList<>();

        /** A timer set earlier in this same step (reserved, then settled by a held event) is simply not set. */
        void clearTimer(final Timer timer) {
            if (!timersToSet.remove(timer)) {
                timersToClear.add(timer);
            }
        }

        /** The order's decision: an outcome, unless the stock side published it already. */
        Order decision(final Order order, final boolean published, final long now) {
            if (published) {
                return order;
            }
            return outcome(order, now);
        }

        Order outcome(final Order order, final long now) {
            final Long expiresAt = order.status() == OrderStatus.RESERVED ? order.expiresAt() : null;
            outcomes.add(new Outcome(order.orderId(), order.status(), order.reason(), order.lines(), order.placedAt(),
                    expiresAt, now));
            return order;
        }

        Order refuse(final Order order, final RejectCode code, final HeldEvent event, final String what) {
            rejections.add(new Rejection(code, what + " order " + order.orderId() + ", which is " + order.status()
                    + " (event " + event.eventId() + ")", event.origin()));
            return order;
        }

        OrderStep done(final Order order, final Rejection rejection) {
            if (rejection != null) {
                rejections.add(rejection);
            }
            return done(order);
        }

        OrderStep done(final Order order) {
            return new OrderStep(order, stock, outcomes, rejections, timersToSet, timersToClear);
        }
    }
}
