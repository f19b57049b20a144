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
import java.util.Comparator;
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

    /**
     * One outcome the ledger must publish; {@code lines} by {@link #lineKey}; {@code mentionsOneOf} lists the SKUs a
     * rejection may name.
     */
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

    /**
     * What one step made the ledger publish, and which orders it changed. {@code places}: for every place whose units
     * the step moved, by {@link #lineKey}, its net change and its level after, as {@link #placeChange} writes them.
     */
    public record Emitted(List<Outcome> outcomes, List<Rollback> rollbacks, List<DeadLetter> deadLetters,
                          Set<String> touchedOrders, Map<String, String> places) {
    }

    /** An outcome line's or a movement's place, one string: {@code sku}, {@code sku@location}, {@code sku@location/batch}. */
    public static String lineKey(final String sku, final String location, final String batch) {
        return sku + (location == null ? "" : "@" + location) + (batch == null ? "" : "/" + batch);
    }

    /** A place's net change in a step, and its level after (null for a SKU kept at the default place alone). */
    public static String placeChange(final long onHand, final long available, final long locked, final Level after) {
        return "delta " + onHand + "/" + available + "/" + locked
                + (after == null ? "" : " after " + after.onHand + "/" + after.available + "/" + after.locked);
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
    /** How often the allocation rules met the cases that tell them apart, for the coverage check. */
    private final Map<String, Integer> allocationCases = new TreeMap<>();
    /**
     * The rule for SKUs of other tasks: while the last answer for one said nothing was available, an order
     * for it is rejected without asking, until {@link #SOLD_OUT_RECHECK} has passed since an order last asked.
     * By SKU, when an order last asked.
     */
    private final Map<String, Long> soldOutMarks = new HashMap<>();
    private static final String DEFAULT_LOCATION = "default";
    private static final long SOLD_OUT_RECHECK = LedgerConfig.DEFAULT_SOLD_OUT_RECHECK.toMillis();

    private final int partitions;
    private final boolean deductOnShipment;
    private final List<String> locations;
    private final boolean splitLines;

    /** @param partitions the harness's partition count: SKUs hashing to other than 0 live in another task */
    public ReferenceLedger(final Timing timing, final int partitions) {
        this(timing, partitions, false);
    }

    /** @param deductOnShipment whether paid units stay allocated until shipped (else they leave at payment) */
    public ReferenceLedger(final Timing timing, final int partitions, final boolean deductOnShipment) {
        this(timing, partitions, deductOnShipment, List.of(DEFAULT_LOCATION), false);
    }

    /**
     * @param locations  the locations the ledger knows, in priority order
     * @param splitLines whether a line may take its units from one location after another
     */
    public ReferenceLedger(final Timing timing, final int partitions, final boolean deductOnShipment,
                           final List<String> locations, final boolean splitLines) {
        this.locations = List.copyOf(locations);
        this.splitLines = splitLines;
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
                Set.copyOf(fx.touched), placeChanges(fx));
    }

    /** Each place the step touched: its net change, and its level after unless the SKU stayed at the default place. */
    private Map<String, String> placeChanges(final Effects fx) {
        final Map<String, String> changes = new TreeMap<>();
        fx.before.forEach((sku, spots) -> {
            final Counts counts = counts(sku);
            final boolean located = fx.wasSplit.get(sku) || counts.isSplit();
            spots.forEach((spot, was) -> {
                final Part now = counts.places.getOrDefault(spot, new Part(null));
                final Level after = new Level(now.onHand, now.available, now.locked);
                changes.put(located ? lineKey(sku, spot.location(), spot.batch()) : sku,
                        placeChange(after.onHand - was.onHand, after.available - was.available,
                                after.locked - was.locked, located ? after : null));
            });
        });
        return changes;
    }

    public long now() {
        return now;
    }

    public Level level(final String sku) {
        final Counts counts = levels.get(sku);
        return counts == null ? Level.NONE : new Level(counts.onHand(), counts.available(), counts.locked());
    }

    /** The SKU's levels by place ({@link #lineKey} without the SKU: {@code location} or {@code location/batch}). */
    public Map<String, Level> placesOf(final String sku) {
        final Map<String, Level> byPlace = new TreeMap<>();
        final Counts counts = levels.get(sku);
        if (counts != null) {
            counts.places.forEach((spot, part) -> byPlace.put(lineKey("", spot.location(), spot.batch()).substring(1),
                    new Level(part.onHand, part.available, part.locked)));
        }
        return byPlace;
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

    /** How often a reservation passed over an expired batch, took from two batches, or split a line. */
    public Map<String, Integer> allocationCases() {
        return Collections.unmodifiableMap(allocationCases);
    }

    public List<Rollback> allRollbacks() {
        return Collections.unmodifiableList(allRollbacks);
    }

    /**
     * An adjustment at a place, or a transfer. What the contract refuses (a location not known, a transfer of no units
     * or to where they are) is refused again when delivered again; what the rules refuse is seen, like any adjustment.
     */
    private void adjust(final Step.Adjust adjust, final Effects fx) {
        final String location = adjust.location() == null ? DEFAULT_LOCATION : adjust.location();
        if (!locations.contains(location) || adjust.isTransfer() && !locations.contains(adjust.toLocation())) {
            fx.deadLetter(DeadLetterCode.UNKNOWN_LOCATION, EventTopic.STOCK_ADJUSTMENTS, adjust.sku());
            return;
        }
        if (adjust.isTransfer() && (adjust.delta() <= 0 || adjust.toLocation().equals(location))) {
            fx.deadLetter(DeadLetterCode.INVALID_TRANSFER, EventTopic.STOCK_ADJUSTMENTS, adjust.sku());
            return;
        }
        if (!seenEventIds.add("adjustment:" + adjust.adjustmentId())) {
            return;
        }
        final String sku = adjust.sku();
        final Counts counts = counts(sku);
        final Spot spot = new Spot(location, adjust.batch());
        final Part there = counts.places.get(spot);
        final DeadLetterCode refusal;
        if (adjust.batch() != null && there == null && (adjust.delta() < 0 || adjust.isTransfer())) {
            refusal = DeadLetterCode.UNKNOWN_BATCH;
        } else if (there != null && adjust.batchExpiresAt() != null
                && !adjust.batchExpiresAt().equals(there.expiresAt)) {
            refusal = DeadLetterCode.BATCH_EXPIRY_MISMATCH;
        } else if (adjust.isTransfer()) {
            refusal = there == null || there.available < adjust.delta()
                    ? DeadLetterCode.TRANSFER_EXCEEDS_AVAILABLE : transferIntoAnotherExpiry(counts, adjust, there);
        } else if (adjust.delta() > 0 && expired(there == null ? adjust.batchExpiresAt() : there.expiresAt)) {
            refusal = DeadLetterCode.BATCH_EXPIRED;
        } else if ((there == null ? 0 : there.available) + adjust.delta() < 0) {
            refusal = DeadLetterCode.ADJUSTMENT_EXCEEDS_AVAILABLE;
        } else {
            refusal = null;
        }
        if (refusal != null) {
            fx.deadLetter(refusal, EventTopic.STOCK_ADJUSTMENTS, sku);
            return;
        }
        final Long expiresAt = there == null ? adjust.batchExpiresAt() : there.expiresAt;
        if (adjust.isTransfer()) {
            change(sku, spot, expiresAt, -adjust.delta(), -adjust.delta(), 0, fx);
            change(sku, new Spot(adjust.toLocation(), adjust.batch()), expiresAt, adjust.delta(), adjust.delta(), 0,
                    fx);
        } else if (adjust.delta() != 0) {
            change(sku, spot, expiresAt, adjust.delta(), adjust.delta(), 0, fx);
        }
    }

    /** A batch moved where a batch of its name expires otherwise would take that expiry: refused. */
    private DeadLetterCode transferIntoAnotherExpiry(final Counts counts, final Step.Adjust transfer,
                                                     final Part from) {
        final Part into = counts.places.get(new Spot(transfer.toLocation(), transfer.batch()));
        if (into == null || Objects.equals(into.expiresAt, from.expiresAt)) {
            return null;
        }
        allocationCases.merge("transfer into a batch of another expiry", 1, Integer::sum);
        return DeadLetterCode.BATCH_EXPIRY_MISMATCH;
    }

    private boolean expired(final Long expiresAt) {
        return expiresAt != null && expiresAt <= now;
    }

    /**
     * The one way a place's levels change: the place is noted for the step's movements, made when new (with the
     * expiry given), and forgotten once it holds nothing.
     */
    private void change(final String sku, final Spot spot, final Long expiresAt, final long onHand,
                        final long available, final long locked, final Effects fx) {
        final Counts counts = counts(sku);
        fx.wasSplit.putIfAbsent(sku, counts.isSplit());
        final Part part = counts.places.computeIfAbsent(spot, s -> new Part(expiresAt));
        fx.before.computeIfAbsent(sku, s -> new HashMap<>())
                .putIfAbsent(spot, new Level(part.onHand, part.available, part.locked));
        part.onHand += onHand;
        part.available += available;
        part.locked += locked;
        if (part.onHand == 0 && part.available == 0 && part.locked == 0) {
            counts.places.remove(spot);
        }
    }

    private void place(final Step.Place place, final Effects fx) {
        if (!locations.containsAll(place.pins().values())) {
            fx.deadLetter(DeadLetterCode.UNKNOWN_LOCATION, EventTopic.ORDERS, place.orderId());
            return;
        }
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
        order.pins = place.pins();
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
        // A pinned line is always asked: what is known without asking is the SKU's total, not the location's.
        order.lines.forEach((sku, quantity) -> {
            if (order.pins.containsKey(sku)) {
                return;
            }
            if (inAnotherTask(sku) ? soldOutMarks.containsKey(sku) && now - soldOutMarks.get(sku) < SOLD_OUT_RECHECK
                    : reservable(sku) < quantity) {
                knownShort.add(sku);
            }
        });
        if (!knownShort.isEmpty()) {
            decide(order, OrderStatus.REJECTED, knownShort, fx);
            return;
        }
        order.lines.keySet().stream().filter(this::inAnotherTask)
                .forEach(sku -> soldOutMarks.computeIfPresent(sku, (k, asked) -> now));
        final Map<String, List<Unit>> taken = new TreeMap<>();
        order.lines.forEach((sku, quantity) -> {
            final List<Unit> units = allocate(sku, quantity, order.pins.get(sku));
            if (inAnotherTask(sku)) {
                final long reservable = reservable(sku);
                answered(sku, units != null ? reservable - quantity : reservable);
            }
            if (units != null) {
                taken.put(sku, units);
            }
        });
        // Every line that fits is locked; if some line does not, those go back at once.
        taken.forEach((sku, units) -> units.forEach(unit -> change(sku, unit.spot(), unit.expiresAt(), 0, -1, 1, fx)));
        final Set<String> shortSkus = new TreeSet<>(order.lines.keySet());
        shortSkus.removeAll(taken.keySet());
        if (shortSkus.isEmpty()) {
            order.locked.putAll(order.lines);
            taken.forEach((sku, units) -> order.units.put(sku, new ArrayList<>(units)));
            decide(order, OrderStatus.RESERVED, Set.of(), fx);
            return;
        }
        taken.forEach((sku, units) -> {
            units.forEach(unit -> change(sku, unit.spot(), unit.expiresAt(), 0, 1, -1, fx));
            fx.rollback(order.orderId, sku, units.size(), RollbackCause.PARTIAL_REJECTION, true);
        });
        decide(order, OrderStatus.REJECTED, shortSkus, fx);
    }

    /** Units that could be reserved now: available, outside batches past their expiry. */
    private long reservable(final String sku) {
        return counts(sku).places.values().stream().filter(part -> !expired(part.expiresAt))
                .mapToLong(part -> part.available).sum();
    }

    /**
     * The units a line takes, one by one, or null when it does not fit: from its pinned location, else the first
     * location in priority order that has them all, or with split lines one location after another; within a
     * location, batches by expiry (never-expiring after), units outside any batch last; never an expired batch.
     */
    private List<Unit> allocate(final String sku, final long quantity, final String pin) {
        final Map<String, List<Unit>> byLocation = new LinkedHashMap<>();
        for (final String location : locations) {
            final List<Map.Entry<Spot, Part>> parts = counts(sku).places.entrySet().stream()
                    .filter(e -> e.getKey().location().equals(location) && !expired(e.getValue().expiresAt))
                    .sorted(Comparator.comparing((Map.Entry<Spot, Part> e) -> e.getValue().expiresAt,
                                    Comparator.nullsLast(Comparator.naturalOrder()))
                            .thenComparing(e -> e.getKey().batch(), Comparator.nullsLast(Comparator.naturalOrder())))
                    .toList();
            final List<Unit> units = new ArrayList<>();
            parts.forEach(e -> {
                for (long i = 0; i < e.getValue().available; i++) {
                    units.add(new Unit(e.getKey(), e.getValue().expiresAt));
                }
            });
            byLocation.put(location, units);
        }
        if (counts(sku).places.values().stream().anyMatch(part -> part.available > 0 && expired(part.expiresAt))) {
            allocationCases.merge("allocation passed over an expired batch", 1, Integer::sum);
        }
        final List<Unit> taken;
        if (pin != null) {
            final List<Unit> there = byLocation.getOrDefault(pin, List.of());
            taken = there.size() >= quantity ? there.subList(0, (int) quantity) : null;
        } else if (splitLines) {
            final List<Unit> all = byLocation.values().stream().flatMap(List::stream).toList();
            taken = all.size() >= quantity ? all.subList(0, (int) quantity) : null;
        } else {
            taken = byLocation.values().stream().filter(there -> there.size() >= quantity).findFirst()
                    .map(there -> there.subList(0, (int) quantity)).orElse(null);
        }
        if (taken != null) {
            if (taken.stream().map(unit -> unit.spot().location()).distinct().count() > 1) {
                allocationCases.merge("allocation split a line across locations", 1, Integer::sum);
            }
            if (taken.stream().map(unit -> unit.spot().batch()).filter(Objects::nonNull).distinct().count() > 1) {
                allocationCases.merge("allocation took from two batches", 1, Integer::sum);
            }
            if (pin != null) {
                allocationCases.merge("allocation of a pinned line", 1, Integer::sum);
            }
        }
        return taken == null ? null : List.copyOf(taken);
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
                takeOffHand(order, bought, fx);
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
            // The last units sold come back to where they came from.
            final List<Unit> units = order.units.get(sku);
            final int sold = order.sold.get(sku).intValue();
            final List<Unit> back = new ArrayList<>(units.subList(sold - quantity.intValue(), sold));
            units.subList(sold - quantity.intValue(), sold).clear();
            if (pay.restock()) {
                back.forEach(unit -> change(sku, unit.spot(), unit.expiresAt(), 1, 1, 0, fx));
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
        takeOffHand(order, asked, fx);
        decide(order, OrderStatus.SHIPPED, Set.of(), fx);
    }

    /** Locked units leave the shelf, and the order has them as sold. */
    private void takeOffHand(final OrderState order, final Map<String, Long> quantities, final Effects fx) {
        quantities.forEach((sku, quantity) -> {
            // The next units in allocation order: right after those already sold.
            final int sold = order.sold.getOrDefault(sku, 0L).intValue();
            order.units.get(sku).subList(sold, sold + quantity.intValue())
                    .forEach(unit -> change(sku, unit.spot(), unit.expiresAt(), -1, 0, -1, fx));
            subtract(order.locked, sku, quantity);
            order.sold.merge(sku, quantity, Long::sum);
        });
    }

    private void release(final OrderState order, final Map<String, Long> quantities, final RollbackCause cause,
                         final boolean wholeOrder, final Effects fx) {
        quantities.forEach((sku, quantity) -> {
            // The last units taken go back first.
            final List<Unit> units = order.units.get(sku);
            final List<Unit> last = units.subList(units.size() - quantity.intValue(), units.size());
            last.forEach(unit -> change(sku, unit.spot(), unit.expiresAt(), 0, 1, -1, fx));
            last.clear();
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
        final Map<String, Long> lines = new TreeMap<>();
        if (isReserved(status) || isPaid(status)) {
            order.units.forEach((sku, units) -> units.forEach(unit -> lines.merge(unit.spot().isDefault() ? sku
                    : lineKey(sku, unit.spot().location(), unit.spot().batch()), 1L, Long::sum)));
        } else {
            order.lines.forEach((sku, quantity) -> lines.put(lineKey(sku, order.pins.get(sku), null), quantity));
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

    /** A location, and a batch or null. */
    private record Spot(String location, String batch) {

        private boolean isDefault() {
            return location.equals(DEFAULT_LOCATION) && batch == null;
        }
    }

    /** One unit an order took, and the expiry of its batch. */
    private record Unit(Spot spot, Long expiresAt) {
    }

    /** A SKU's units at one place. */
    private static final class Part {
        private final Long expiresAt;
        private long onHand;
        private long available;
        private long locked;

        private Part(final Long expiresAt) {
            this.expiresAt = expiresAt;
        }
    }

    /** A SKU's stock: its parts by place, the totals their sums. */
    private static final class Counts {
        private final Map<Spot, Part> places = new HashMap<>();

        private long onHand() {
            return places.values().stream().mapToLong(part -> part.onHand).sum();
        }

        private long available() {
            return places.values().stream().mapToLong(part -> part.available).sum();
        }

        private long locked() {
            return places.values().stream().mapToLong(part -> part.locked).sum();
        }

        private boolean isSplit() {
            return places.keySet().stream().anyMatch(spot -> !spot.isDefault());
        }
    }

    private record Held(Step event, long arrivedAt) {
    }

    private static final class OrderState {
        private final String orderId;
        /** null until the order itself arrives. */
        private OrderStatus status;
        private Map<String, Long> lines = Map.of();
        private Map<String, String> pins = Map.of();
        /** Per SKU, where each unit it holds or sold is, in allocation order: its sold units first. */
        private final Map<String, List<Unit>> units = new TreeMap<>();
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
            return lines.equals(place.summedLines()) && pins.equals(place.pins()) && placedAt == place.placedAt()
                    && Objects.equals(holdMillis, place.holdMillis());
        }
    }

    private static final class Effects {
        private final List<Outcome> outcomes = new ArrayList<>();
        private final List<Rollback> rollbacks = new ArrayList<>();
        private final List<DeadLetter> deadLetters = new ArrayList<>();
        private final Set<String> touched = new HashSet<>();
        /** Per SKU, each place touched and its level before the step; whether the SKU was kept elsewhere than default. */
        private final Map<String, Map<Spot, Level>> before = new TreeMap<>();
        private final Map<String, Boolean> wasSplit = new HashMap<>();

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
