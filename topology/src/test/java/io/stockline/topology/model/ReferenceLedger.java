package io.stockline.topology.model;

import io.stockline.schemas.DeadLetterCode;
import io.stockline.schemas.EventTopic;
import io.stockline.schemas.OrderStatus;
import io.stockline.schemas.PaymentOutcome;
import io.stockline.schemas.RollbackCause;
import io.stockline.topology.LedgerConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.utils.Utils;

/**
 * The ledger's rules in plain Java, written from the spec alone and sharing no code with the ledger: the
 * oracle of {@code ModelBasedLedgerTest}. It speaks the contract's enums, keeps its own wall clock, and fires
 * its timers at the same wall-clock punctuations a Kafka Streams task does: every {@code timerInterval}
 * counted from the start, each due punctuation once, with the time it actually fires at.
 */
public final class ReferenceLedger {

    /** One outcome the ledger must publish; {@code mentionsOneOf} lists the SKUs a rejection may name. */
    public record Outcome(String orderId, OrderStatus status, Map<String, Long> lines, Long expiresAt,
                          Set<String> mentionsOneOf) {
    }

    /**
     * @param wholeOrder whether this is the order's one release of the SKU for its cause (its id then is the
     *                   one every version gave it), rather than one of a step that named lines or of units a
     *                   refund released before they were shipped
     */
    public record Rollback(String orderId, String sku, long quantity, RollbackCause cause, boolean wholeOrder) {

        public Rollback(final String orderId, final String sku, final long quantity, final RollbackCause cause) {
            this(orderId, sku, quantity, cause, true);
        }
    }

    public record DeadLetter(DeadLetterCode code, String sourceTopic, String key) {
    }

    public record Level(long onHand, long available, long locked) {
        public static final Level NONE = new Level(0, 0, 0);
    }

    /** What one step made the ledger publish, and which orders it changed. */
    public record Emitted(List<Outcome> outcomes, List<Rollback> rollbacks, List<DeadLetter> deadLetters,
                          Set<String> touchedOrders) {
    }

    private final Timing timing;
    private long now;
    private long nextPunctuation;

    private final Map<String, Counts> levels = new TreeMap<>();
    private final Map<String, OrderState> orders = new LinkedHashMap<>();
    /** Orders still RESERVED or AMENDED and orders still waiting with held events: the only ones a timer can touch. */
    private final Set<String> reserved = new LinkedHashSet<>();
    private final Set<String> awaiting = new LinkedHashSet<>();
    private final Set<String> seenEventIds = new HashSet<>();
    private final List<Rollback> allRollbacks = new ArrayList<>();
    /**
     * The rule for SKUs of other tasks: while the last answer for one said nothing was available, an order
     * for it is rejected without asking, until {@link #SOLD_OUT_RECHECK} has passed since an order last asked.
     * By SKU, when an order last asked.
     */
    private final Map<String, Long> soldOutMarks = new HashMap<>();
    private static final long SOLD_OUT_RECHECK = LedgerConfig.DEFAULT_SOLD_OUT_RECHECK.toMillis();

    private final int partitions;
    private final boolean deductOnShipment;

    /** @param partitions the harness's partition count: SKUs hashing to other than 0 live in another task */
    public ReferenceLedger(final Timing timing, final int partitions) {
        this(timing, partitions, false);
    }

    /** @param deductOnShipment whether paid units stay allocated until shipped (else they leave at payment) */
    public ReferenceLedger(final Timing timing, final int partitions, final boolean deductOnShipment) {
        this.timing = timing;
        this.partitions = partitions;
        this.deductOnShipment = deductOnShipment;
        this.now = timing.startMillis();
        this.nextPunctuation = timing.nextPunctuationAfter(now);
    }

    public Emitted apply(final Step step) {
        final Effects fx = new Effects();
        if (step instanceof Step.Adjust adjust) {
            adjust(adjust, fx);
        } else if (step instanceof Step.Place place) {
            place(place, fx);
        } else if (step instanceof Step.Pay pay) {
            arrive(pay, "payment:" + pay.paymentId(), pay.orderId(), fx);
        } else if (step instanceof Step.Cancel cancel) {
            arrive(cancel, "cancel:" + cancel.cancelId(), cancel.orderId(), fx);
        } else if (step instanceof Step.Ship ship) {
            arrive(ship, "shipment:" + ship.shipmentId(), ship.orderId(), fx);
        } else {
            advance(((Step.Advance) step).millis(), fx);
        }
        allRollbacks.addAll(fx.rollbacks);
        return new Emitted(List.copyOf(fx.outcomes), List.copyOf(fx.rollbacks), List.copyOf(fx.deadLetters),
                Set.copyOf(fx.touched));
    }

    public long now() {
        return now;
    }

    public Level level(final String sku) {
        final Counts counts = levels.get(sku);
        return counts == null ? Level.NONE : new Level(counts.onHand, counts.available, counts.locked);
    }

    public Set<String> skus() {
        return Collections.unmodifiableSet(levels.keySet());
    }

    public Set<String> orderIds() {
        return Collections.unmodifiableSet(orders.keySet());
    }

    /** The order's status, or null while only payments or cancellations for it have arrived. */
    public OrderStatus statusOf(final String orderId) {
        final OrderState order = orders.get(orderId);
        return order == null ? null : order.status;
    }

    public List<Rollback> allRollbacks() {
        return Collections.unmodifiableList(allRollbacks);
    }

    private void adjust(final Step.Adjust adjust, final Effects fx) {
        if (!seenEventIds.add("adjustment:" + adjust.adjustmentId())) {
            return;
        }
        final Counts counts = counts(adjust.sku());
        if (counts.available + adjust.delta() < 0) {
            fx.deadLetter(DeadLetterCode.ADJUSTMENT_EXCEEDS_AVAILABLE, EventTopic.STOCK_ADJUSTMENTS, adjust.sku());
            return;
        }
        counts.onHand += adjust.delta();
        counts.available += adjust.delta();
    }

    private void place(final Step.Place place, final Effects fx) {
        if (!seenEventIds.add("order:" + place.eventId())) {
            return;
        }
        final OrderState order = orders.computeIfAbsent(place.orderId(), OrderState::new);
        fx.touched.add(order.orderId);
        if (order.status != null) {
            if (!order.sameContent(place)) {
                fx.deadLetter(DeadLetterCode.ORDER_ID_CONFLICT, EventTopic.ORDERS, place.orderId());
            }
            return;
        }
        order.lines = place.summedLines();
        order.placedAt = place.placedAt();
        order.holdMillis = place.holdMillis();
        order.expiresAt = place.placedAt()
                + (place.holdMillis() == null ? timing.defaultHoldMillis() : place.holdMillis());
        awaiting.remove(order.orderId);
        final List<Held> held = new ArrayList<>(order.held);
        order.held.clear();
        // Only a cancellation of the whole order cancels it before it reserves; one naming lines waits.
        final Held earlyCancel = held.stream()
                .filter(h -> h.event() instanceof Step.Cancel cancel && cancel.lines() == null).findFirst()
                .orElse(null);
        if (earlyCancel != null) {
            held.remove(earlyCancel);
            decide(order, OrderStatus.CANCELLED, Set.of(), fx);
        } else if (order.expiresAt <= now) {
            decide(order, OrderStatus.REJECTED, Set.of(), fx);
        } else {
            reserveOrReject(order, fx);
        }
        for (final Held event : held) {
            applyTo(order, event.event(), fx);
        }
    }

    private void reserveOrReject(final OrderState order, final Effects fx) {
        // What the task knows without asking: its own SKUs exactly, other tasks' SKUs marked sold out as none.
        final Set<String> knownShort = new TreeSet<>();
        order.lines.forEach((sku, quantity) -> {
            if (inAnotherTask(sku) ? soldOutMarks.containsKey(sku) && now - soldOutMarks.get(sku) < SOLD_OUT_RECHECK
                    : counts(sku).available < quantity) {
                knownShort.add(sku);
            }
        });
        if (!knownShort.isEmpty()) {
            decide(order, OrderStatus.REJECTED, knownShort, fx);
            return;
        }
        order.lines.keySet().stream().filter(this::inAnotherTask)
                .forEach(sku -> soldOutMarks.computeIfPresent(sku, (k, asked) -> now));
        order.lines.forEach((sku, quantity) -> {
            if (inAnotherTask(sku)) {
                final long available = counts(sku).available;
                answered(sku, available >= quantity ? available - quantity : available);
            }
        });
        final Set<String> shortSkus = new TreeSet<>();
        order.lines.forEach((sku, quantity) -> {
            if (counts(sku).available < quantity) {
                shortSkus.add(sku);
            }
        });
        if (shortSkus.isEmpty()) {
            order.lines.forEach((sku, quantity) -> {
                final Counts counts = counts(sku);
                counts.available -= quantity;
                counts.locked += quantity;
            });
            order.locked.putAll(order.lines);
            decide(order, OrderStatus.RESERVED, Set.of(), fx);
            return;
        }
        order.lines.forEach((sku, quantity) -> {
            if (!shortSkus.contains(sku)) {
                fx.rollback(order.orderId, sku, quantity, RollbackCause.PARTIAL_REJECTION, true);
            }
        });
        decide(order, OrderStatus.REJECTED, shortSkus, fx);
    }

    /**
     * The harness runs one task, on partition 0 of {@link #partitions}: a SKU hashing elsewhere is
     * asked through the command topic, and its answers mark it sold out (nothing available after) or not.
     */
    private boolean inAnotherTask(final String sku) {
        return Utils.toPositive(Utils.murmur2(sku.getBytes(StandardCharsets.UTF_8))) % partitions != 0;
    }

    private void answered(final String sku, final long availableAfter) {
        if (availableAfter > 0) {
            soldOutMarks.remove(sku);
        } else {
            soldOutMarks.putIfAbsent(sku, now);
        }
    }

    private void arrive(final Step event, final String eventKey, final String orderId, final Effects fx) {
        if (!seenEventIds.add(eventKey)) {
            return;
        }
        final OrderState order = orders.computeIfAbsent(orderId, OrderState::new);
        fx.touched.add(orderId);
        if (order.status == null) {
            order.held.add(new Held(event, now));
            awaiting.add(orderId);
        } else {
            applyTo(order, event, fx);
        }
    }

    /** A payment, cancellation or shipment meets a decided order. */
    private void applyTo(final OrderState order, final Step event, final Effects fx) {
        if (event instanceof Step.Cancel cancel) {
            cancel(order, cancel, fx);
        } else if (event instanceof Step.Ship ship) {
            ship(order, ship, fx);
        } else {
            pay(order, (Step.Pay) event, fx);
        }
    }

    private void cancel(final OrderState order, final Step.Cancel cancel, final Effects fx) {
        if (!isReserved(order.status)) {
            fx.deadLetter(DeadLetterCode.ILLEGAL_TRANSITION, EventTopic.CANCELLATIONS, order.orderId);
            return;
        }
        if (cancel.lines() == null) {
            final Map<String, Long> released = new TreeMap<>(order.locked);
            release(order, released, RollbackCause.CANCELLED, true, fx);
            decide(order, OrderStatus.CANCELLED, Set.of(), fx);
            return;
        }
        final Map<String, Long> asked = Step.summed(cancel.lines());
        if (exceeds(asked, order.locked)) {
            fx.deadLetter(DeadLetterCode.CANCEL_EXCEEDS_RESERVED, EventTopic.CANCELLATIONS, order.orderId);
            return;
        }
        release(order, asked, RollbackCause.CANCELLED, false, fx);
        if (order.locked.isEmpty()) {
            decide(order, OrderStatus.CANCELLED, Set.of(), fx);
        } else {
            decide(order, OrderStatus.AMENDED, Set.of(), fx);
        }
    }

    private void pay(final OrderState order, final Step.Pay pay, final Effects fx) {
        final PaymentOutcome outcome = pay.outcome();
        if (outcome == PaymentOutcome.CAPTURED && isReserved(order.status)) {
            final Map<String, Long> bought = new TreeMap<>(order.locked);
            if (!deductOnShipment) {
                takeOffHand(order, bought);
            }
            decide(order, OrderStatus.CONFIRMED, Set.of(), fx);
        } else if (outcome == PaymentOutcome.CAPTURED && (order.status == OrderStatus.CANCELLED
                || order.status == OrderStatus.EXPIRED || order.status == OrderStatus.REJECTED)) {
            fx.deadLetter(DeadLetterCode.LATE_PAYMENT, EventTopic.PAYMENTS, order.orderId);
        } else if (outcome == PaymentOutcome.FAILED && isReserved(order.status)) {
            final Map<String, Long> released = new TreeMap<>(order.locked);
            release(order, released, RollbackCause.PAYMENT_FAILED, true, fx);
            decide(order, OrderStatus.CANCELLED, Set.of(), fx);
        } else if (outcome == PaymentOutcome.REFUNDED && isPaid(order.status)) {
            refund(order, pay, fx);
        } else {
            fx.deadLetter(DeadLetterCode.ILLEGAL_TRANSITION, EventTopic.PAYMENTS, order.orderId);
        }
    }

    /** Unshipped units first go back to available; then units that left stock come back, unless damaged. */
    private void refund(final OrderState order, final Step.Pay pay, final Effects fx) {
        final Map<String, Long> kept = new TreeMap<>(order.locked);
        order.sold.forEach((sku, quantity) -> kept.merge(sku, quantity, Long::sum));
        final Map<String, Long> asked = pay.lines() == null ? kept : Step.summed(pay.lines());
        if (exceeds(asked, kept)) {
            fx.deadLetter(DeadLetterCode.RETURN_EXCEEDS_SOLD, EventTopic.PAYMENTS, order.orderId);
            return;
        }
        final Map<String, Long> unshipped = new TreeMap<>();
        final Map<String, Long> returned = new TreeMap<>();
        asked.forEach((sku, quantity) -> {
            final long fromLocked = Math.min(quantity, order.locked.getOrDefault(sku, 0L));
            if (fromLocked > 0) {
                unshipped.put(sku, fromLocked);
            }
            if (quantity > fromLocked) {
                returned.put(sku, quantity - fromLocked);
            }
        });
        release(order, unshipped, RollbackCause.REFUNDED, false, fx);
        returned.forEach((sku, quantity) -> {
            if (pay.restock()) {
                final Counts counts = counts(sku);
                counts.onHand += quantity;
                counts.available += quantity;
                fx.rollback(order.orderId, sku, quantity, RollbackCause.REFUNDED, pay.lines() == null);
            }
            subtract(order.sold, sku, quantity);
        });
        final boolean all = order.locked.isEmpty() && order.sold.isEmpty();
        decide(order, all ? OrderStatus.REFUNDED : OrderStatus.PARTIALLY_REFUNDED, Set.of(), fx);
    }

    private void ship(final OrderState order, final Step.Ship ship, final Effects fx) {
        if (!isPaid(order.status)) {
            fx.deadLetter(DeadLetterCode.ILLEGAL_TRANSITION, EventTopic.SHIPMENTS, order.orderId);
            return;
        }
        final Map<String, Long> asked = ship.lines() == null ? new TreeMap<>(order.locked) : Step.summed(ship.lines());
        if (order.locked.isEmpty() || exceeds(asked, order.locked)) {
            fx.deadLetter(DeadLetterCode.SHIPMENT_EXCEEDS_ALLOCATED, EventTopic.SHIPMENTS, order.orderId);
            return;
        }
        takeOffHand(order, asked);
        decide(order, OrderStatus.SHIPPED, Set.of(), fx);
    }

    /** Locked units leave the shelf, and the order has them as sold. */
    private void takeOffHand(final OrderState order, final Map<String, Long> quantities) {
        quantities.forEach((sku, quantity) -> {
            final Counts counts = counts(sku);
            counts.locked -= quantity;
            counts.onHand -= quantity;
            subtract(order.locked, sku, quantity);
            order.sold.merge(sku, quantity, Long::sum);
        });
    }

    private void release(final OrderState order, final Map<String, Long> quantities, final RollbackCause cause,
                         final boolean wholeOrder, final Effects fx) {
        quantities.forEach((sku, quantity) -> {
            final Counts counts = counts(sku);
            counts.locked -= quantity;
            counts.available += quantity;
            subtract(order.locked, sku, quantity);
            fx.rollback(order.orderId, sku, quantity, cause, wholeOrder);
        });
    }

    private static boolean exceeds(final Map<String, Long> asked, final Map<String, Long> has) {
        return asked.entrySet().stream().anyMatch(e -> e.getValue() > has.getOrDefault(e.getKey(), 0L));
    }

    private static void subtract(final Map<String, Long> from, final String sku, final long quantity) {
        final long left = from.getOrDefault(sku, 0L) - quantity;
        if (left > 0) {
            from.put(sku, left);
        } else {
            from.remove(sku);
        }
    }

    private static boolean isReserved(final OrderStatus status) {
        return status == OrderStatus.RESERVED || status == OrderStatus.AMENDED;
    }

    private static boolean isPaid(final OrderStatus status) {
        return status == OrderStatus.CONFIRMED || status == OrderStatus.SHIPPED
                || status == OrderStatus.PARTIALLY_REFUNDED;
    }

    /**
     * The order's new status, and its outcome: with what the order still holds or bought and has not had back
     * while it has any of that (AMENDED, CONFIRMED, SHIPPED, PARTIALLY_REFUNDED), else with its lines as placed.
     */
    private void decide(final OrderState order, final OrderStatus status, final Set<String> mentionsOneOf,
                        final Effects fx) {
        order.status = status;
        if (isReserved(status)) {
            reserved.add(order.orderId);
        } else {
            reserved.remove(order.orderId);
        }
        fx.touched.add(order.orderId);
        final Map<String, Long> lines = new TreeMap<>(order.lines);
        if (status == OrderStatus.AMENDED || status == OrderStatus.CONFIRMED || status == OrderStatus.SHIPPED
                || status == OrderStatus.PARTIALLY_REFUNDED) {
            lines.clear();
            lines.putAll(order.locked);
            order.sold.forEach((sku, quantity) -> lines.merge(sku, quantity, Long::sum));
        }
        fx.outcomes.add(new Outcome(order.orderId, status, Map.copyOf(lines),
                isReserved(status) ? order.expiresAt : null, Set.copyOf(mentionsOneOf)));
    }

    private void advance(final long millis, final Effects fx) {
        now += millis;
        if (now >= nextPunctuation) {
            punctuate(fx);
            nextPunctuation = timing.nextPunctuationAfter(now);
        }
    }

    private void punctuate(final Effects fx) {
        for (final String orderId : List.copyOf(reserved)) {
            final OrderState order = orders.get(orderId);
            if (order.expiresAt <= now) {
                final Map<String, Long> released = new TreeMap<>(order.locked);
                release(order, released, RollbackCause.EXPIRED, true, fx);
                decide(order, OrderStatus.EXPIRED, Set.of(), fx);
            }
        }
        for (final String orderId : List.copyOf(awaiting)) {
            final OrderState order = orders.get(orderId);
            for (final Iterator<Held> it = order.held.iterator(); it.hasNext(); ) {
                final Held held = it.next();
                if (held.arrivedAt() + timing.orphanGraceMillis() <= now) {
                    it.remove();
                    fx.touched.add(orderId);
                    fx.deadLetter(DeadLetterCode.ORPHAN_EVENT, held.event() instanceof Step.Cancel
                            ? EventTopic.CANCELLATIONS
                            : held.event() instanceof Step.Ship ? EventTopic.SHIPMENTS : EventTopic.PAYMENTS, orderId);
                }
            }
            if (order.held.isEmpty()) {
                awaiting.remove(orderId);
            }
        }
    }

    private Counts counts(final String sku) {
        return levels.computeIfAbsent(sku, s -> new Counts());
    }

    private static final class Counts {
        private long onHand;
        private long available;
        private long locked;
    }

    private record Held(Step event, long arrivedAt) {
    }

    private static final class OrderState {
        private final String orderId;
        /** null until the order itself arrives. */
        private OrderStatus status;
        private Map<String, Long> lines = Map.of();
        /** What the order holds locked (reserved, or paid and not yet shipped) and what it took off hand. */
        private final Map<String, Long> locked = new TreeMap<>();
        private final Map<String, Long> sold = new TreeMap<>();
        private long placedAt;
        private Long holdMillis;
        private long expiresAt;
        private final List<Held> held = new ArrayList<>();

        private OrderState(final String orderId) {
            this.orderId = orderId;
        }

        private boolean sameContent(final Step.Place place) {
            return lines.equals(place.summedLines()) && placedAt == place.placedAt()
                    && Objects.equals(holdMillis, place.holdMillis());
        }
    }

    private static final class Effects {
        private final List<Outcome> outcomes = new ArrayList<>();
        private final List<Rollback> rollbacks = new ArrayList<>();
        private final List<DeadLetter> deadLetters = new ArrayList<>();
        private final Set<String> touched = new HashSet<>();

        private void rollback(final String orderId, final String sku, final long quantity,
                              final RollbackCause cause, final boolean wholeOrder) {
            rollbacks.add(new Rollback(orderId, sku, quantity, cause, wholeOrder));
            touched.add(orderId);
        }

        private void deadLetter(final DeadLetterCode code, final EventTopic topic, final String key) {
            deadLetters.add(new DeadLetter(code, topic.topicName(), key));
        }
    }
}
