package io.stockline.topology.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.stockline.ledger.Order;
import io.stockline.ledger.ReleaseCause;
import io.stockline.ledger.Rollback;
import io.stockline.ledger.StockLevel;
import io.stockline.schemas.DeadLetter;
import io.stockline.schemas.OrderLine;
import io.stockline.schemas.OrderOutcome;
import io.stockline.schemas.OrderPlaced;
import io.stockline.schemas.OrderStatus;
import io.stockline.schemas.PaymentOutcome;
import io.stockline.schemas.StockAdjusted;
import io.stockline.schemas.StockMovement;
import io.stockline.schemas.StockRollback;
import io.stockline.topology.LedgerHarness;
import io.stockline.topology.model.ReferenceLedger.Emitted;
import io.stockline.topology.model.ReferenceLedger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * Feeds one scenario, step by step, to the ledger topology (in a {@link LedgerHarness}) and to the {@link
 * ReferenceLedger}, and after every step asserts that both published the same things and that the ledger's
 * stores keep their invariants. Every failure names how to replay it and the steps that led to it.
 *
 * <p>The ledger's orders are mirrored here, refreshed after each step for every order that step could have
 * touched, so that "locked equals what the orders hold locked" is checked after every step without reading the
 * whole order store each time; a full read every {@code fullScanEvery} steps (and at the end) proves the
 * mirror right, so an order changed behind our back is caught too.
 */
public final class LockstepChecker {

    private static final int HISTORY = 25;

    private final LedgerHarness harness;
    private final ReferenceLedger model;
    private final String replay;
    private final int fullScanEvery;
    private final Deque<String> history = new ArrayDeque<>();
    private final Map<String, Order> mirror = new HashMap<>();
    private final Map<String, Long> lockedByOrders = new HashMap<>();
    private final Set<String> skus = new TreeSet<>();
    private final List<StockRollback> rollbacks = new ArrayList<>();
    private final Set<String> rollbackIds = new HashSet<>();
    private final Map<String, Integer> coverage = new TreeMap<>();
    private int index;
    private String current;

    /** @param replay how to replay this run (seed and event count), quoted in every failure */
    public LockstepChecker(final LedgerHarness harness, final ReferenceLedger model, final String replay,
                           final int fullScanEvery) {
        this.harness = harness;
        this.model = model;
        this.replay = replay;
        this.fullScanEvery = fullScanEvery;
    }

    public void run(final List<Step> steps) {
        steps.forEach(this::step);
        checkFinalState();
    }

    public void step(final Step step) {
        index++;
        current = "#" + index + " " + describe(step);
        history.addLast(current);
        if (history.size() > HISTORY) {
            history.removeFirst();
        }
        final Emitted expected = model.apply(step);
        try {
            feed(step);
        } catch (final RuntimeException e) {
            throw new AssertionError(context(() -> "the topology threw " + e).get(), e);
        }
        final List<OrderOutcome> outcomes = harness.outcomes();
        final List<StockRollback> newRollbacks = harness.rollbacks();
        final List<DeadLetter> deadLetters = harness.deadLetters();
        final List<KeyValue<String, StockMovement>> movements = harness.stockMovements();
        assertEquals(model.now(), harness.now().toEpochMilli(), context(() -> "the model's clock drifted"));
        compareOutcomes(expected, outcomes);
        compareRollbacks(expected, newRollbacks);
        compareDeadLetters(expected, deadLetters);
        compareMovements(step, expected, movements);
        refreshMirror(step, expected, outcomes, newRollbacks);
        checkLevels();
        if (index % fullScanEvery == 0) {
            checkMirrorAgainstStore();
        }
        count(step.getClass().getSimpleName());
    }

    /** Levels of every SKU, status of every order, and every rollback ever published, as the model says. */
    public void checkFinalState() {
        current = null;
        final Map<String, Order> stored = checkMirrorAgainstStore();
        checkLevels();
        assertEquals(new TreeSet<>(model.orderIds()), new TreeSet<>(stored.keySet()),
                context(() -> "the orders the ledger knows"));
        stored.forEach((orderId, order) -> {
            final OrderStatus expected = model.statusOf(orderId);
            assertEquals(expected == null ? "AWAITING_ORDER" : expected.name(), order.status().name(),
                    context(() -> "final status of order " + orderId));
        });
        final List<String> expectedRollbacks = new ArrayList<>();
        model.allRollbacks().forEach(r -> expectedRollbacks.add(rollback(r.orderId(), r.sku(), r.quantity(),
                r.cause().name())));
        final List<String> actualRollbacks = new ArrayList<>();
        rollbacks.forEach(r -> actualRollbacks.add(rollback(r.getOrderId(), r.getSku(), r.getQuantity(),
                r.getCause().name())));
        assertEquals(sorted(expectedRollbacks), sorted(actualRollbacks), context(() -> "every rollback of the run"));
        assertEquals(rollbacks.size(), rollbackIds.size(), context(() -> "rollback ids are unique"));
    }

    /** How often each kind of step, outcome, rollback cause and dead-letter code occurred. */
    public Map<String, Integer> coverage() {
        return coverage;
    }

    private void feed(final Step step) {
        feed(harness, step);
    }

    /** Sends a step's event to the ledger, or moves its clock. */
    static void feed(final LedgerHarness harness, final Step step) {
        if (step instanceof Step.Adjust adjust) {
            harness.adjust(new StockAdjusted(adjust.adjustmentId(), adjust.sku(), adjust.delta(), "test",
                    harness.now(), null, adjust.location(), adjust.batch(),
                    adjust.batchExpiresAt() == null ? null : Instant.ofEpochMilli(adjust.batchExpiresAt()),
                    adjust.toLocation(), null, null));
        } else if (step instanceof Step.Place place) {
            harness.place(orderPlaced(place));
        } else if (step instanceof Step.Pay pay) {
            if (pay.outcome() == PaymentOutcome.REFUNDED && (pay.lines() != null || !pay.restock())) {
                harness.refund(pay.paymentId(), pay.orderId(), pay.restock(), lines(pay.lines()));
            } else {
                harness.pay(pay.paymentId(), pay.orderId(), pay.outcome());
            }
        } else if (step instanceof Step.Cancel cancel) {
            if (cancel.lines() == null) {
                harness.cancel(cancel.cancelId(), cancel.orderId(), "the customer changed their mind");
            } else {
                harness.cancel(cancel.cancelId(), cancel.orderId(), "one item less", lines(cancel.lines()));
            }
        } else if (step instanceof Step.Ship ship) {
            harness.ship(ship.shipmentId(), ship.orderId(), lines(ship.lines()));
        } else {
            harness.advance(Duration.ofMillis(((Step.Advance) step).millis()));
        }
    }

    /** The contract's lines; none for null (the whole order). */
    private static OrderLine[] lines(final List<Step.Line> lines) {
        return lines == null ? new OrderLine[0]
                : lines.stream().map(l -> new OrderLine(l.sku(), l.quantity(), null, null)).toArray(OrderLine[]::new);
    }

    private static OrderPlaced orderPlaced(final Step.Place place) {
        final List<OrderLine> lines = place.lines().stream()
                .map(l -> new OrderLine(l.sku(), l.quantity(), l.location(), null)).toList();
        return OrderPlaced.newBuilder().setEventId(place.eventId()).setOrderId(place.orderId()).setLines(lines)
                .setPlacedAt(Instant.ofEpochMilli(place.placedAt())).setHoldMillis(place.holdMillis())
                .setCustomerId(place.customerId()).build();
    }

    private void compareOutcomes(final Emitted expected, final List<OrderOutcome> actual) {
        final Map<String, List<String>> expectedByOrder = new TreeMap<>();
        expected.outcomes().forEach(o -> expectedByOrder.computeIfAbsent(o.orderId(), k -> new ArrayList<>())
                .add(o.status() + (o.expiresAt() == null ? "" : " until " + Instant.ofEpochMilli(o.expiresAt()))));
        final Map<String, List<String>> actualByOrder = new TreeMap<>();
        actual.forEach(o -> actualByOrder.computeIfAbsent(o.getOrderId(), k -> new ArrayList<>())
                .add(o.getStatus() + (o.getExpiresAt() == null ? "" : " until " + o.getExpiresAt())));
        assertEquals(expectedByOrder, actualByOrder, context(() -> "outcomes (in order, per order)"));
        for (final OrderOutcome outcome : actual) {
            final ReferenceLedger.Outcome wanted = expected.outcomes().stream()
                    .filter(o -> o.orderId().equals(outcome.getOrderId()) && o.status() == outcome.getStatus())
                    .findFirst().orElseThrow();
            assertEquals(wanted.lines(), summed(outcome.getLines()), context(() -> "lines of " + outcome));
            if (outcome.getLines().stream().anyMatch(l -> l.getLocation() != null)) {
                count("located outcome lines");
            }
            assertEquals(model.now(), outcome.getAt().toEpochMilli(), context(() -> "time of " + outcome));
            if (!wanted.mentionsOneOf().isEmpty()) {
                count("outcome REJECTED for short stock");
                assertNotNull(outcome.getReason(), context(() -> "reason of " + outcome));
                assertTrue(wanted.mentionsOneOf().stream().anyMatch(sku -> outcome.getReason().contains(sku)),
                        context(() -> "the rejection names one of the short SKUs " + wanted.mentionsOneOf()
                                + ": " + outcome));
            }
            count("outcome " + outcome.getStatus());
        }
    }

    /**
     * Per place whose units the step moved, the movements' net change and the place's level after (the last
     * movement's); a SKU kept at the default place alone moves with no place. A movement of no units (an adjustment
     * of 0) is not compared: it moved nothing.
     */
    private void compareMovements(final Step step, final Emitted expected,
                                  final List<KeyValue<String, StockMovement>> movements) {
        final Map<String, long[]> net = new TreeMap<>();
        final Map<String, Level> after = new TreeMap<>();
        for (final KeyValue<String, StockMovement> kv : movements) {
            final StockMovement m = kv.value;
            if (m.getLocation() == null && m.getOnHandDelta() == 0 && m.getAvailableDelta() == 0
                    && m.getLockedDelta() == 0) {
                continue;
            }
            final String key = ReferenceLedger.lineKey(m.getSku(), m.getLocation(), m.getBatch());
            final long[] sum = net.computeIfAbsent(key, k -> new long[3]);
            sum[0] += m.getOnHandDelta();
            sum[1] += m.getAvailableDelta();
            sum[2] += m.getLockedDelta();
            if (m.getLocation() != null) {
                after.put(key, new Level(m.getPlaceOnHandAfter(), m.getPlaceAvailableAfter(),
                        m.getPlaceLockedAfter()));
            }
            if (step instanceof Step.Adjust adjust) {
                assertEquals(adjust.isTransfer() ? "TRANSFER" : "ADJUSTMENT", m.getKind().name(),
                        context(() -> "kind of " + m));
            }
            count("movement " + m.getKind() + (m.getLocation() == null ? "" : " at a place"));
        }
        final Map<String, String> actual = new TreeMap<>();
        net.forEach((key, sum) -> actual.put(key, ReferenceLedger.placeChange(sum[0], sum[1], sum[2],
                after.get(key))));
        assertEquals(expected.places(), actual, context(() -> "movements by place: net change, level after"));
    }

    private void compareRollbacks(final Emitted expected, final List<StockRollback> actual) {
        final List<String> wanted = new ArrayList<>();
        expected.rollbacks().forEach(r -> wanted.add(rollback(r.orderId(), r.sku(), r.quantity(), r.cause().name())));
        final List<String> got = new ArrayList<>();
        actual.forEach(r -> got.add(rollback(r.getOrderId(), r.getSku(), r.getQuantity(), r.getCause().name())));
        assertEquals(sorted(wanted), sorted(got), context(() -> "rollbacks (orderId/sku/quantity/cause)"));
        // An order's one release of a SKU for a cause keeps the id every version gave it; the others differ from it.
        final Map<String, Long> wholeOrder = new TreeMap<>();
        expected.rollbacks().stream().filter(ReferenceLedger.Rollback::wholeOrder)
                .forEach(r -> wholeOrder.merge(r.orderId() + "/" + r.sku() + "/" + r.cause(), 1L, Long::sum));
        final Map<String, Long> withTheWholeOrderId = new TreeMap<>();
        for (final StockRollback rollback : actual) {
            final String id = Rollback.idFor(rollback.getOrderId(), rollback.getSku(),
                    ReleaseCause.valueOf(rollback.getCause().name()));
            if (id.equals(rollback.getRollbackId())) {
                withTheWholeOrderId.merge(rollback.getOrderId() + "/" + rollback.getSku() + "/" + rollback.getCause(),
                        1L, Long::sum);
            }
        }
        assertEquals(wholeOrder, withTheWholeOrderId, context(() -> "rollbacks with the whole order's id"));
        for (final StockRollback rollback : actual) {
            assertTrue(rollbackIds.add(rollback.getRollbackId()),
                    context(() -> "rollback id published twice: " + rollback));
            assertEquals(model.now(), rollback.getAt().toEpochMilli(), context(() -> "time of " + rollback));
            count("rollback " + rollback.getCause());
        }
        rollbacks.addAll(actual);
    }

    private void compareDeadLetters(final Emitted expected, final List<DeadLetter> actual) {
        final List<String> wanted = new ArrayList<>();
        expected.deadLetters().forEach(d -> wanted.add(d.code() + " from " + d.sourceTopic() + " key " + d.key()));
        final List<String> got = new ArrayList<>();
        actual.forEach(d -> got.add(d.getCode() + " from " + d.getSourceTopic() + " key " + d.getKey()));
        assertEquals(sorted(wanted), sorted(got), context(() -> "dead letters (code, source topic, key)"));
        for (final DeadLetter deadLetter : actual) {
            assertEquals(model.now(), deadLetter.getAt().toEpochMilli(), context(() -> "time of " + deadLetter));
            count("dead letter " + deadLetter.getCode());
        }
    }

    /** Re-reads every order this step could have changed, and with them what the orders hold locked. */
    private void refreshMirror(final Step step, final Emitted expected, final List<OrderOutcome> outcomes,
                               final List<StockRollback> newRollbacks) {
        final Set<String> touched = new HashSet<>(expected.touchedOrders());
        outcomes.forEach(o -> touched.add(o.getOrderId()));
        newRollbacks.forEach(r -> touched.add(r.getOrderId()));
        final String orderId = orderIdOf(step);
        if (orderId != null) {
            touched.add(orderId);
        }
        for (final String id : touched) {
            final Order order = harness.order(id);
            remember(id, order);
            final OrderStatus status = model.statusOf(id);
            assertEquals(!model.orderIds().contains(id) ? null : status == null ? "AWAITING_ORDER" : status.name(),
                    order == null ? null : order.status().name(), context(() -> "status of order " + id));
        }
    }

    private void remember(final String orderId, final Order order) {
        final Order before = order == null ? mirror.remove(orderId) : mirror.put(orderId, order);
        addLocks(before, -1);
        addLocks(order, +1);
    }

    private void addLocks(final Order order, final int sign) {
        if (order != null) {
            order.locked().forEach((sku, quantity) -> {
                lockedByOrders.merge(sku, sign * quantity, Long::sum);
                skus.add(sku);
            });
        }
    }

    /** Invariants on every SKU the ledger stores, and each SKU's levels as the model has them. */
    private void checkLevels() {
        try (KeyValueIterator<String, StockLevel> all = harness.levels().all()) {
            while (all.hasNext()) {
                final KeyValue<String, StockLevel> next = all.next();
                final StockLevel level = next.value;
                skus.add(next.key);
                assertEquals(level.onHand(), level.available() + level.locked(),
                        context(() -> "available + locked == onHand for " + level));
                assertTrue(level.available() >= 0, context(() -> "available >= 0 for " + level));
                assertTrue(level.locked() >= 0, context(() -> "locked >= 0 for " + level));
            }
        }
        skus.addAll(model.skus());
        for (final String sku : skus) {
            final StockLevel stored = harness.level(sku);
            final Level actual = stored == null ? Level.NONE
                    : new Level(stored.onHand(), stored.available(), stored.locked());
            assertEquals(lockedByOrders.getOrDefault(sku, 0L), actual.locked(),
                    context(() -> "locked of " + sku + " equals what its orders hold locked"));
            assertEquals(model.level(sku), actual, context(() -> "levels of " + sku));
            final Map<String, Level> places = new TreeMap<>();
            if (stored != null) {
                stored.parts().forEach(part -> places.put(part.place().batch() == null ? part.place().location()
                        : part.place().location() + "/" + part.place().batch(),
                        new Level(part.onHand(), part.available(), part.locked())));
            }
            assertEquals(model.placesOf(sku), places, context(() -> "levels of " + sku + " by place"));
        }
    }

    /** Reads the whole order store, and fails if it differs from the mirror: some step changed an order unseen. */
    private Map<String, Order> checkMirrorAgainstStore() {
        final Map<String, Order> stored = new HashMap<>();
        try (KeyValueIterator<String, Order> all = harness.orderStore().all()) {
            all.forEachRemaining(kv -> stored.put(kv.key, kv.value));
        }
        final Set<String> ids = new TreeSet<>(stored.keySet());
        ids.addAll(mirror.keySet());
        for (final String id : ids) {
            final Order inStore = stored.get(id);
            final Order mirrored = mirror.get(id);
            if (inStore == null || mirrored == null || inStore.status() != mirrored.status()
                    || !inStore.lines().equals(mirrored.lines())) {
                fail(context(() -> "order " + id + " changed in a step that did not name it: mirrored " + mirrored
                        + ", stored " + inStore).get());
            }
        }
        return stored;
    }

    private Supplier<String> context(final Supplier<String> what) {
        return () -> what.get() + "\n  replay with " + replay + (current == null ? ", at the end of the run"
                : ", failed at step " + current) + "\n  last steps:\n    "
                + String.join("\n    ", history);
    }

    private void count(final String what) {
        coverage.merge(what, 1, Integer::sum);
    }

    private String describe(final Step step) {
        if (step instanceof Step.Place place) {
            return "Place[" + place.eventId() + " " + place.orderId() + " " + place.lines() + " placedAt "
                    + (place.placedAt() - LedgerHarness.START.toEpochMilli()) + " hold " + place.holdMillis()
                    + "] at " + (model.now() - LedgerHarness.START.toEpochMilli());
        }
        return step + " at " + (model.now() - LedgerHarness.START.toEpochMilli());
    }

    private static String orderIdOf(final Step step) {
        if (step instanceof Step.Place place) {
            return place.orderId();
        }
        if (step instanceof Step.Pay pay) {
            return pay.orderId();
        }
        if (step instanceof Step.Ship ship) {
            return ship.orderId();
        }
        return step instanceof Step.Cancel cancel ? cancel.orderId() : null;
    }

    private static Map<String, Long> summed(final List<OrderLine> lines) {
        final Map<String, Long> summed = new TreeMap<>();
        lines.forEach(l -> summed.merge(ReferenceLedger.lineKey(l.getSku(), l.getLocation(), l.getBatch()),
                l.getQuantity(), Long::sum));
        return summed;
    }

    private static String rollback(final String orderId, final String sku, final long quantity, final String cause) {
        return orderId + "/" + sku + "/" + quantity + "/" + cause;
    }

    private static List<String> sorted(final List<String> values) {
        return values.stream().sorted().toList();
    }
}
