package io.stockline.ledger;

import io.stockline.ledger.OrderCommand.ApplyPayment;
import io.stockline.ledger.OrderCommand.CancelOrder;
import io.stockline.ledger.OrderCommand.HeldEvent;
import io.stockline.ledger.OrderCommand.LineResult;
import io.stockline.ledger.OrderCommand.PlaceOrder;
import io.stockline.ledger.OrderCommand.ShipOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The order state machine: pure, no Kafka. Each method takes the order as stored (null when unknown),
 * the command and the wall-clock time, and returns the new state with everything to send.
 *
 * <p>An order locks its SKUs through the stock side, one reserve request per SKU; it is PENDING until all
 * have answered, then RESERVED (all fitted) or REJECTED (any was short; the ones that fitted are
 * released as PARTIAL_REJECTION). Payments, cancellations and shipments that arrive before the order, or
 * while it is PENDING, are held and replayed once the order is decided.
 *
 * <p>After that an order's units are in one of two maps: {@code locked} (on hand, held for the order) and
 * {@code sold} (taken off hand). A cancellation naming lines releases some locked units (AMENDED); a
 * captured payment takes the locked units off hand, or with {@link DeductOn#SHIPMENT} leaves them allocated
 * until a shipment takes them; a refund naming lines releases unshipped units and takes back sold ones.
 */
public final class OrderMachine {

    private final long defaultHoldMillis;
    private final long orphanGraceMillis;
    private final DeductOn deductOn;

    public OrderMachine(final long defaultHoldMillis, final long orphanGraceMillis) {
        this(defaultHoldMillis, orphanGraceMillis, DeductOn.PAYMENT);
    }

    public OrderMachine(final long defaultHoldMillis, final long orphanGraceMillis, final DeductOn deductOn) {
        this.defaultHoldMillis = defaultHoldMillis;
        this.orphanGraceMillis = orphanGraceMillis;
        this.deductOn = deductOn;
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
            // A pinned line is the stock side's to judge: what is known is the SKU's total, not the location's.
            final Long available = line.location() == null ? knownAvailable.apply(line.sku()) : null;
            if (available != null && available < line.quantity()) {
                final Order rejected = pending.withStatus(OrderStatus.REJECTED,
                        Outcome.shortage(line.sku(), line.quantity(), available), now);
                return fx.done(replayHeld(fx.outcome(rejected, now), fx, now));
            }
        }
        final StockCommand.SoleLine soleLine = pending.lines().size() == 1
                ? new StockCommand.SoleLine(pending.placedAt(), pending.expiresAt()) : null;
        for (final Line line : pending.lines()) {
            fx.stock.add(new StockCommand.Reserve(pending.orderId(), line.sku(), line.quantity(), soleLine,
                    line.location()));
        }
        return fx.done(pending);
    }

    public OrderStep lineResult(final Order current, final LineResult result, final long now) {
        final Effects fx = new Effects();
        if (current == null || current.status() != OrderStatus.PENDING) {
            throw new IllegalStateException("line result for order " + result.orderId() + " which is "
                    + (current == null ? "unknown" : current.status()));
        }
        final Order answered = current.withReply(result);
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

    public OrderStep ship(final Order current, final ShipOrder ship, final long now) {
        return arrive(current, ship, now);
    }

    /**
     * The timers an order in this state waits on: its hold's end while RESERVED, each held event's grace
     * while the order has not arrived. Exactly the timers the steps that led here set and did not clear.
     */
    public List<Timer> timersOf(final Order order) {
        if (order.status().isReserved()) {
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
        if (current == null || !current.status().isReserved() || current.expiresAt() > now) {
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

    /** Applies a payment, cancellation or shipment to a decided order. */
    private Order apply(final Order order, final HeldEvent event, final Effects fx, final long now) {
        if (event instanceof CancelOrder cancel) {
            return cancel.lines() == null ? applyCancel(order, cancel, fx, now) : cancelLines(order, cancel, fx, now);
        }
        if (event instanceof ShipOrder ship) {
            return applyShip(order, ship, fx, now);
        }
        return applyPayment(order, (ApplyPayment) event, fx, now);
    }

    private Order applyCancel(final Order order, final CancelOrder cancel, final Effects fx, final long now) {
        if (!order.status().isReserved()) {
            return fx.refuse(order, RejectCode.ILLEGAL_TRANSITION, cancel, "cannot cancel");
        }
        fx.clearTimer(expiryTimer(order));
        final Order cancelled = release(order, ReleaseCause.CANCELLED, fx)
                .withStatus(OrderStatus.CANCELLED, cancelReason(cancel), now);
        return fx.outcome(cancelled, now);
    }

    /**
     * A cancellation naming lines: those units go back to available, and the order stays reserved with the
     * rest (AMENDED), or is CANCELLED when nothing is left. All or nothing: one line asking for more than
     * the order has reserved of its SKU refuses the whole event.
     */
    private Order cancelLines(final Order order, final CancelOrder cancel, final Effects fx, final long now) {
        if (!order.status().isReserved()) {
            return fx.refuse(order, RejectCode.ILLEGAL_TRANSITION, cancel, "cannot cancel lines of");
        }
        final Map<String, Long> asked = quantityBySku(cancel.lines());
        final String excess = excess(asked, order.locked(), "reserved");
        if (excess != null) {
            return fx.refuse(order, RejectCode.CANCEL_EXCEEDS_RESERVED, cancel, "cancellation asks for " + excess
                    + " of");
        }
        final Order released = releaseLast(order, asked, ReleaseCause.CANCELLED, cancel.cancelId(), fx);
        final Map<String, Long> left = minus(order.locked(), asked);
        if (left.isEmpty()) {
            fx.clearTimer(expiryTimer(order));
            return fx.outcome(released.withLocked(left).withStatus(OrderStatus.CANCELLED, cancelReason(cancel), now),
                    now);
        }
        final Order amended = released.withLocked(left).withStatus(OrderStatus.AMENDED, cancelReason(cancel), now);
        return fx.outcome(amended, now);
    }

    /**
     * A shipment takes allocated units off hand (the ledger deducting on shipment). One line asking for more
     * than the order still has allocated of its SKU refuses the whole event; so does a shipment of an order
     * whose units already left stock at payment, which has nothing allocated.
     */
    private Order applyShip(final Order order, final ShipOrder ship, final Effects fx, final long now) {
        if (!order.status().isPaid()) {
            return fx.refuse(order, RejectCode.ILLEGAL_TRANSITION, ship, "cannot ship");
        }
        if (order.locked().isEmpty()) {
            return fx.refuse(order, RejectCode.SHIPMENT_EXCEEDS_ALLOCATED, ship, "nothing is left to ship (units "
                    + "leave stock at payment unless the ledger deducts on shipment; or all were shipped or refunded)"
                    + " on");
        }
        final Map<String, Long> asked = ship.lines() == null
                ? new LinkedHashMap<>(order.locked()) : quantityBySku(ship.lines());
        final String excess = excess(asked, order.locked(), "allocated and unshipped");
        if (excess != null) {
            return fx.refuse(order, RejectCode.SHIPMENT_EXCEEDS_ALLOCATED, ship, "shipment asks for " + excess
                    + " of");
        }
        // The next units in allocation order: the first to expire leave first.
        asked.forEach((sku, quantity) -> fx.stock.add(new StockCommand.Ship(order.orderId(), sku, quantity,
                ship.shipmentId(), order.placesOf(sku, soldOf(order, sku), quantity))));
        final Map<String, Long> left = minus(order.locked(), asked);
        final String reason = left.isEmpty() ? null : "still to ship: " + describe(order.linesOf(left));
        final Order shipped = order.withLocked(left).withSold(plus(order.sold(), asked))
                .withStatus(OrderStatus.SHIPPED, reason, now);
        return fx.outcome(shipped, now);
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
        if (!order.status().isReserved()) {
            return fx.refuse(order, RejectCode.ILLEGAL_TRANSITION, payment, "cannot capture a payment for");
        }
        fx.clearTimer(expiryTimer(order));
        if (deductOn == DeductOn.SHIPMENT) {
            // The units stay allocated, locked on hand, until a shipment takes them.
            return fx.outcome(order.withStatus(OrderStatus.CONFIRMED, null, now), now);
        }
        order.locked().forEach((sku, quantity) -> fx.stock.add(new StockCommand.Commit(order.orderId(), sku, quantity,
                order.placesOf(sku, soldOf(order, sku), quantity))));
        final Order confirmed = order.withSold(plus(order.sold(), order.locked())).withLocked(Map.of())
                .withStatus(OrderStatus.CONFIRMED, null, now);
        return fx.outcome(confirmed, now);
    }

    private Order failPayment(final Order order, final ApplyPayment payment, final Effects fx, final long now) {
        if (!order.status().isReserved()) {
            return fx.refuse(order, RejectCode.ILLEGAL_TRANSITION, payment, "failed payment cannot cancel");
        }
        fx.clearTimer(expiryTimer(order));
        final Order cancelled = release(order, ReleaseCause.PAYMENT_FAILED, fx)
                .withStatus(OrderStatus.CANCELLED, ReleaseCause.PAYMENT_FAILED.name(), now);
        return fx.outcome(cancelled, now);
    }

    /**
     * A refund, of the lines it names or of everything the order still has: unshipped units go back to
     * available, units that left stock come back on hand when restocked and stay out as damaged when not.
     * The order is REFUNDED once it has nothing left, PARTIALLY_REFUNDED before. One line asking for more
     * than the order still holds or sold of its SKU refuses the whole event.
     */
    private Order refund(final Order order, final ApplyPayment payment, final Effects fx, final long now) {
        if (!order.status().isPaid()) {
            return fx.refuse(order, RejectCode.ILLEGAL_TRANSITION, payment, "cannot refund");
        }
        final Map<String, Long> kept = plus(order.locked(), order.sold());
        final Map<String, Long> asked = payment.lines() == null
                ? kept : quantityBySku(payment.lines());
        final String excess = excess(asked, kept, "paid and not yet refunded");
        if (excess != null) {
            return fx.refuse(order, RejectCode.RETURN_EXCEEDS_SOLD, payment, "refund asks for " + excess + " of");
        }
        // A refund of the whole order keeps the ids every version before per-line refunds gave its records.
        final String step = payment.lines() == null ? null : payment.paymentId();
        final Map<String, Long> unshipped = new LinkedHashMap<>();
        final Map<String, Long> returned = new LinkedHashMap<>();
        asked.forEach((sku, quantity) -> {
            final long fromLocked = Math.min(quantity, order.locked().getOrDefault(sku, 0L));
            put(unshipped, sku, fromLocked);
            put(returned, sku, quantity - fromLocked);
        });
        Order placed = releaseLast(order, unshipped, ReleaseCause.REFUNDED, step, fx);
        // The last units sold come back first, to the places they left from.
        for (final Map.Entry<String, Long> entry : returned.entrySet()) {
            final String sku = entry.getKey();
            final long from = soldOf(order, sku) - entry.getValue();
            if (payment.restock()) {
                fx.stock.add(new StockCommand.Refund(order.orderId(), sku, entry.getValue(), step,
                        order.placesOf(sku, from, entry.getValue())));
            }
            placed = placed.withoutPlaces(sku, from, entry.getValue());
        }
        final Order after = placed.withLocked(minus(order.locked(), unshipped)).withSold(minus(order.sold(), returned));
        final boolean all = after.locked().isEmpty() && after.sold().isEmpty();
        final String reason = payment.restock() || returned.isEmpty() ? null
                : "returned damaged, not restocked: " + describe(order.linesOf(returned));
        return fx.outcome(after.withStatus(all ? OrderStatus.REFUNDED : OrderStatus.PARTIALLY_REFUNDED, reason, now), now);
    }

    /** Sends every locked SKU back to available and forgets the locks, and where they were. */
    private static Order release(final Order order, final ReleaseCause cause, final Effects fx) {
        if (order.locked().isEmpty()) {
            return order; // a one-line order rejected for lack of stock: nothing was locked
        }
        return releaseLast(order, order.locked(), cause, null, fx).withLocked(Map.of());
    }

    /**
     * Sends the last {@code quantities} locked units of each SKU back to available, at the places they were taken
     * from, and forgets those places. The locks themselves are the caller's to update.
     */
    private static Order releaseLast(final Order order, final Map<String, Long> quantities, final ReleaseCause cause,
                                     final String step, final Effects fx) {
        Order after = order;
        for (final Map.Entry<String, Long> entry : quantities.entrySet()) {
            final String sku = entry.getKey();
            final long from = soldOf(order, sku) + order.locked().getOrDefault(sku, 0L) - entry.getValue();
            fx.stock.add(new StockCommand.Release(order.orderId(), sku, entry.getValue(), cause, step,
                    order.placesOf(sku, from, entry.getValue())));
            after = after.withoutPlaces(sku, from, entry.getValue());
        }
        return after;
    }

    private static long soldOf(final Order order, final String sku) {
        return order.sold().getOrDefault(sku, 0L);
    }

    /** Once an order is decided, the events that waited for it are applied in the order they came. */
    private Order replayHeld(final Order decided, final Effects fx, final long now) {
        if (decided.held().isEmpty()) {
            return decided;
        }
        Order order = decided.withHeld(List.of());
        for (final Order.Held held : decided.held()) {
            order = apply(order, held.event(), fx, now);
        }
        return order;
    }

    /** The same order, however its lines are listed and whether its hold is the default or spelled out. */
    private static boolean sameContent(final Order order, final PlaceOrder place, final long expiry) {
        return quantityBySku(order.lines()).equals(quantityBySku(place.lines()))
                && pinsBySku(order.lines()).equals(pinsBySku(place.lines()))
                && order.placedAt() == place.placedAt() && order.expiresAt() == expiry;
    }

    private long expiryOf(final PlaceOrder place) {
        return saturatedAdd(place.placedAt(), place.holdMillis() == null ? defaultHoldMillis : place.holdMillis());
    }

    /** Quantities by SKU, lines of one SKU summed, in the order each SKU first appears. */
    private static Map<String, Long> quantityBySku(final List<Line> lines) {
        final Map<String, Long> bySku = new LinkedHashMap<>();
        lines.forEach(line -> bySku.merge(line.sku(), line.quantity(), Long::sum));
        return bySku;
    }

    /** The location each pinned SKU is pinned to. */
    private static Map<String, String> pinsBySku(final List<Line> lines) {
        final Map<String, String> pins = new LinkedHashMap<>();
        lines.stream().filter(line -> line.location() != null).forEach(line -> pins.put(line.sku(), line.location()));
        return pins;
    }

    /** The first held cancellation of the whole order: one naming lines waits for the order to be reserved. */
    private static CancelOrder firstHeldCancel(final Order order) {
        for (final Order.Held held : order.held()) {
            if (held.event() instanceof CancelOrder cancel && cancel.lines() == null) {
                return cancel;
            }
        }
        return null;
    }

    /** The first SKU {@code asked} wants more of than {@code has}, in words, or null when all fit. */
    private static String excess(final Map<String, Long> asked, final Map<String, Long> has, final String what) {
        for (final Map.Entry<String, Long> entry : asked.entrySet()) {
            final long there = has.getOrDefault(entry.getKey(), 0L);
            if (entry.getValue() > there) {
                return entry.getValue() + " of sku " + entry.getKey() + " where " + there + " are " + what + ", on";
            }
        }
        return null;
    }

    private static Map<String, Long> plus(final Map<String, Long> a, final Map<String, Long> b) {
        final Map<String, Long> sum = new LinkedHashMap<>(a);
        b.forEach((sku, quantity) -> sum.merge(sku, quantity, Long::sum));
        return sum;
    }

    /** {@code a} less {@code b}, SKUs that reach 0 left out. */
    private static Map<String, Long> minus(final Map<String, Long> a, final Map<String, Long> b) {
        final Map<String, Long> rest = new LinkedHashMap<>();
        a.forEach((sku, quantity) -> put(rest, sku, quantity - b.getOrDefault(sku, 0L)));
        return rest;
    }

    private static void put(final Map<String, Long> map, final String sku, final long quantity) {
        if (quantity > 0) {
            map.put(sku, quantity);
        }
    }

    private static String describe(final List<Line> lines) {
        return String.join(", ", lines.stream().map(line -> line.quantity() + " x " + line.sku()).toList());
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
            final Long expiresAt = order.status().isReserved() ? order.expiresAt() : null;
            outcomes.add(new Outcome(order.orderId(), order.status(), order.reason(), order.outcomeLines(),
                    order.placedAt(), expiresAt, now));
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
