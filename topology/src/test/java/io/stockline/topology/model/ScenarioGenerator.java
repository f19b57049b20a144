package io.stockline.topology.model;

import io.stockline.schemas.PaymentOutcome;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Random;
import java.util.TreeSet;

/**
 * Builds a random but reproducible scenario: the same seed always gives the same steps. It knows nothing of
 * the ledger's state, only what it has sent, and mixes in on purpose what makes a ledger go wrong: few hot
 * SKUs (so orders are often short, often only partly), redeliveries, payments and cancellations before their
 * order (some never followed by it), the same order id again with other or the same content, late payments,
 * short holds that run out within the run, and clock jumps past the orphan grace; cancellations, refunds and
 * shipments of some lines only, sometimes of more than the order has, refunds of damaged goods.
 *
 * <p>{@link #withLocations} adds stock by location and batch for some SKUs ({@link #LOCATED_SKUS}; the others are never
 * given a location, so what was before locations stays covered): adjustments at {@link #LOCATIONS} and into batches,
 * some expired already, some expiring during the run; write-offs, transfers (some of more than the source has, some
 * invalid), lines pinned to a location, and now and then a location or a batch that does not exist, or an expiry other
 * than the batch's.
 */
public final class ScenarioGenerator {

    public static final List<String> HOT_SKUS = List.of("sku-a", "sku-b", "sku-c", "sku-d", "sku-e");
    /** Never stocked: an order naming it is always short. */
    public static final String UNSTOCKED_SKU = "sku-x";

    /** The locations of {@link #withLocations}, in priority order. */
    public static final List<String> LOCATIONS = List.of("north", "default", "south");
    /** Only these are ever given a location or a batch. */
    public static final List<String> LOCATED_SKUS = List.of("sku-a", "sku-b", "sku-c");
    private static final String UNKNOWN_LOCATION = "east";
    private static final String UNKNOWN_BATCH = "b-ghost";
    private static final long MINUTE = 60_000L;

    private static final int RECENT = 40;

    private final boolean located;
    /** Each batch's one expiry, from the start of the run (null: never); runs last a few hours. */
    private final Map<String, Long> batches = new LinkedHashMap<>();

    private final Random random;
    private final Timing timing;
    private long now;
    private int nextId;
    private int events;
    private final List<Step> steps = new ArrayList<>();
    /** Every event sent so far, for redeliveries. */
    private final List<Step> delivered = new ArrayList<>();
    /** The first OrderPlaced of every order id. */
    private final List<Step.Place> placed = new ArrayList<>();
    private final Map<String, Step.Place> placedById = new HashMap<>();
    /** Order ids whose payments or cancellations were sent first; their order comes later. */
    private final List<String> awaited = new ArrayList<>();
    /** Order ids whose payments or cancellations were sent, and whose order never comes. */
    private final List<String> neverPlaced = new ArrayList<>();
    /** Hold deadlines and orphan deadlines to come, so the clock can be moved onto them or just short of them. */
    private final NavigableSet<Long> deadlines = new TreeSet<>();

    /**
     * An explicit hold is never the default one: whether an explicit default is "the same content" as no hold
     * is not the spec's to say.
     */
    public ScenarioGenerator(final long seed, final Timing timing) {
        this(seed, timing, false);
    }

    private ScenarioGenerator(final long seed, final Timing timing, final boolean located) {
        this.random = new Random(seed);
        this.timing = timing;
        this.now = timing.startMillis();
        this.located = located;
        final long start = timing.startMillis();
        batches.put("b-old", start - 60 * MINUTE);
        batches.put("b-fresh", start + 20 * MINUTE);
        batches.put("b-mid", start + 70 * MINUTE);
        batches.put("b-late", start + 150 * MINUTE);
        batches.put("b-never", null);
    }

    /** A scenario with stock by location ({@link #LOCATIONS}) and batch for {@link #LOCATED_SKUS}. */
    public static ScenarioGenerator withLocations(final long seed, final Timing timing) {
        return new ScenarioGenerator(seed, timing, true);
    }

    /** At least {@code eventCount} input events, with clock moves in between. */
    public List<Step> generate(final int eventCount) {
        while (events < eventCount) {
            nextEvent();
            if (random.nextInt(100) < 40) {
                advance();
            }
        }
        return List.copyOf(steps);
    }

    private void nextEvent() {
        final int roll = random.nextInt(100);
        if (roll < 14) {
            adjust();
        } else if (roll < 38 || placed.isEmpty()) {
            send(newOrder(nextId("o")));
        } else if (roll < 42) {
            placeAwaited();
        } else if (roll < 61) {
            send(pay(recentOrder()));
        } else if (roll < 67) {
            send(cancel(recentOrder()));
        } else if (roll < 72) {
            send(ship(recentOrder()));
        } else if (roll < 77) {
            early();
        } else if (roll < 87) {
            redeliver();
        } else if (roll < 94) {
            samePlacementAgain();
        } else {
            lateEvent();
        }
    }

    private void adjust() {
        final String sku = pick(HOT_SKUS);
        final int roll = random.nextInt(100);
        final long delta = roll < 68 ? 1 + random.nextInt(10) : roll < 70 ? 0 : -(1 + random.nextInt(15));
        if (located && LOCATED_SKUS.contains(sku) && random.nextInt(100) < 70) {
            adjustAtAPlace(sku, delta);
            return;
        }
        send(new Step.Adjust(nextId("a"), sku, delta));
    }

    /**
     * Units in or out at a location, into or out of a batch (in with the batch's expiry, out now and then with another
     * one, or of a batch that never was), or moved to another location.
     */
    private void adjustAtAPlace(final String sku, final long delta) {
        final int roll = random.nextInt(100);
        final String location = random.nextInt(100) < 3 ? UNKNOWN_LOCATION : pick(LOCATIONS);
        final long units = delta == 0 ? 1 : delta;
        if (roll < 30) {
            send(new Step.Adjust(nextId("a"), sku, units, location, null, null, null));
        } else if (roll < 70) {
            final String batch = random.nextInt(100) < 4 ? UNKNOWN_BATCH : pick(List.copyOf(batches.keySet()));
            // South's b-late and b-never are other lots than elsewhere, with other expiries: moving one there is refused.
            final Long expiry = "south".equals(location) && ("b-late".equals(batch) || "b-never".equals(batch))
                    ? otherExpiry(batches.get(batch)) : batches.get(batch);
            if (units > 0) {
                send(new Step.Adjust(nextId("a"), sku, units, location, batch, expiry, null));
            } else {
                // A write-off names the batch alone, or now and then an expiry it does not have.
                final Long other = random.nextInt(100) < 30 ? (expiry == null ? now : expiry + MINUTE) : null;
                send(new Step.Adjust(nextId("a"), sku, units, location, batch, other, null));
            }
        } else {
            final String to = random.nextInt(100) < 5 ? location
                    : random.nextInt(100) < 3 ? UNKNOWN_LOCATION : pick(LOCATIONS);
            final String batch = random.nextBoolean() ? null
                    : random.nextInt(100) < 5 ? UNKNOWN_BATCH : pick(List.copyOf(batches.keySet()));
            final long moved = random.nextInt(100) < 4 ? -random.nextInt(2) : 1 + random.nextInt(8);
            send(new Step.Adjust(nextId("a"), sku, moved, location, batch, null, to));
        }
    }

    private Long otherExpiry(final Long expiry) {
        return expiry == null ? now + 200 * MINUTE : expiry + 7 * MINUTE;
    }

    private Step.Place newOrder(final String orderId) {
        final List<Step.Line> lines = new ArrayList<>();
        final int count = 1 + random.nextInt(5);
        final Map<String, String> pins = new HashMap<>();
        for (int i = 0; i < count; i++) {
            final String sku = random.nextInt(100) < 3 ? UNSTOCKED_SKU : pick(HOT_SKUS);
            if (located && !pins.containsKey(sku)) {
                // One pin per SKU: a SKU pinned to two locations, or pinned and not, is not what this tests.
                final int roll = random.nextInt(100);
                pins.put(sku, roll < 2 ? UNKNOWN_LOCATION : roll < 17 ? pick(LOCATIONS) : null);
            }
            lines.add(new Step.Line(sku, 1 + random.nextInt(5), pins.get(sku)));
        }
        final Hold hold = hold();
        deadlines.add(hold.placedAt() + (hold.millis() == null ? timing.defaultHoldMillis() : hold.millis()));
        return new Step.Place(nextId("e"), orderId, lines, hold.placedAt(), hold.millis(), customer());
    }

    /** When an order says it was placed, and for how long its stock is to be held (null: the default). */
    private record Hold(long placedAt, Long millis) {
    }

    private Hold hold() {
        final int roll = random.nextInt(100);
        if (roll < 10) {
            // The deadline falls exactly on a punctuation.
            return new Hold(now, timing.nextPunctuationAfter(now + random.nextInt(3_000)) - now);
        }
        if (roll < 35) {
            return new Hold(now, 300L + random.nextInt(3_700));
        }
        if (roll < 60) {
            return new Hold(now, null);
        }
        if (roll < 80) {
            return new Hold(now, 5_000L + random.nextInt(85_000));
        }
        if (roll < 88) {
            // The deadline is before now, exactly now, or one millisecond after now.
            final int age = random.nextInt(5_000);
            final int edge = random.nextInt(3);
            return new Hold(now - age, edge == 0 ? (long) random.nextInt(age + 1) : (long) age + edge - 1);
        }
        return new Hold(now - random.nextInt(3_000), 2_000L + random.nextInt(58_000));
    }

    private void placeAwaited() {
        if (awaited.isEmpty()) {
            send(newOrder(nextId("o")));
            return;
        }
        send(newOrder(awaited.remove(random.nextInt(awaited.size()))));
    }

    private Step.Pay pay(final String orderId) {
        final int roll = random.nextInt(100);
        final PaymentOutcome outcome = roll < 55 ? PaymentOutcome.CAPTURED
                : roll < 75 ? PaymentOutcome.FAILED : PaymentOutcome.REFUNDED;
        if (outcome != PaymentOutcome.REFUNDED) {
            return new Step.Pay(nextId("p"), orderId, outcome);
        }
        // Half the refunds name lines; a fifth are of damaged goods.
        return new Step.Pay(nextId("p"), orderId, outcome, random.nextBoolean() ? someLines(orderId) : null,
                random.nextInt(100) >= 20);
    }

    private Step.Cancel cancel(final String orderId) {
        return new Step.Cancel(nextId("c"), orderId, random.nextBoolean() ? someLines(orderId) : null);
    }

    private Step.Ship ship(final String orderId) {
        return new Step.Ship(nextId("s"), orderId, random.nextBoolean() ? someLines(orderId) : null);
    }

    /**
     * Some of the order's lines, each with some of its units, now and then one unit more than it has; for an
     * order not (yet) placed, a line of any hot SKU.
     */
    private List<Step.Line> someLines(final String orderId) {
        final Step.Place place = placedById.get(orderId);
        final List<Step.Line> lines = new ArrayList<>();
        if (place == null) {
            lines.add(new Step.Line(pick(HOT_SKUS), 1 + random.nextInt(3)));
            return lines;
        }
        place.summedLines().forEach((sku, quantity) -> {
            if (lines.isEmpty() || random.nextBoolean()) {
                final long some = 1 + random.nextInt((int) Math.min(quantity, 20));
                lines.add(new Step.Line(sku, random.nextInt(100) < 8 ? quantity + 1 : some));
            }
        });
        return lines;
    }

    /** A payment or cancellation before its order: for an order that will come, or one that never will. */
    private void early() {
        final List<String> pending = random.nextBoolean() ? awaited : neverPlaced;
        final String orderId;
        if (!pending.isEmpty() && random.nextInt(100) < 40) {
            orderId = pending.get(random.nextInt(pending.size()));
        } else {
            orderId = nextId("o");
            (random.nextInt(100) < 70 ? awaited : neverPlaced).add(orderId);
        }
        deadlines.add(now + timing.orphanGraceMillis());
        final int roll = random.nextInt(100);
        send(roll < 65 ? pay(orderId) : roll < 90 ? cancel(orderId) : ship(orderId));
    }

    private void redeliver() {
        if (delivered.isEmpty()) {
            adjust();
            return;
        }
        final int size = delivered.size();
        final int index = random.nextInt(100) < 75 ? size - 1 - random.nextInt(Math.min(size, 30))
                : random.nextInt(size);
        send(delivered.get(index));
    }

    /** The same order id placed again: with other content (a conflict) or with the same content in other words. */
    private void samePlacementAgain() {
        final Step.Place first = random.nextInt(100) < 60
                ? placed.get(placed.size() - 1 - random.nextInt(Math.min(placed.size(), RECENT)))
                : pick(placed);
        final List<Step.Line> lines = new ArrayList<>(first.lines());
        long placedAt = first.placedAt();
        Long hold = first.holdMillis();
        switch (random.nextInt(6)) {
            case 0 -> {
                final Step.Line line = lines.get(0);
                lines.set(0, new Step.Line(line.sku(), line.quantity() + 1, line.location()));
            }
            case 1 -> {
                final String sku = pick(HOT_SKUS);
                final String pin = lines.stream().filter(l -> l.sku().equals(sku)).findFirst()
                        .map(Step.Line::location).orElse(null);
                lines.add(new Step.Line(sku, 1 + random.nextInt(3), pin));
            }
            case 2 -> placedAt += random.nextBoolean() ? 1 + random.nextInt(5_000) : -(1 + random.nextInt(5_000));
            case 3 -> hold = hold == null || random.nextBoolean() ? otherHold(hold) : null;
            case 4 -> Collections.reverse(lines);
            default -> split(lines);
        }
        send(new Step.Place(nextId("e"), first.orderId(), lines, placedAt, hold, customer()));
    }

    private Long otherHold(final Long hold) {
        final long other = hold == null ? 1_000L + random.nextInt(60_000) : hold + 1 + random.nextInt(1_000);
        return other == timing.defaultHoldMillis() ? other + 1 : other;
    }

    /** The same content in other lines: one line of two or more units becomes two lines of its SKU. */
    private void split(final List<Step.Line> lines) {
        for (int i = 0; i < lines.size(); i++) {
            final Step.Line line = lines.get(i);
            if (line.quantity() >= 2) {
                lines.set(i, new Step.Line(line.sku(), 1, line.location()));
                lines.add(new Step.Line(line.sku(), line.quantity() - 1, line.location()));
                return;
            }
        }
    }

    /** A payment or cancellation for any order so far, mostly one long decided: late payments and the like. */
    private void lateEvent() {
        final String orderId = pick(placed).orderId();
        final int roll = random.nextInt(100);
        send(roll < 60 ? pay(orderId) : roll < 85 ? cancel(orderId) : ship(orderId));
    }

    private void advance() {
        final int roll = random.nextInt(1_000);
        final Long deadline = deadlines.higher(now);
        final long millis;
        if (roll < 80 && deadline != null && deadline - now <= 600_000) {
            // Onto a deadline, or one millisecond short of it.
            millis = Math.max(1, deadline - now - random.nextInt(2));
        } else if (roll < 900) {
            millis = 1 + random.nextInt(700);
        } else if (roll < 985) {
            millis = 700 + random.nextInt(9_300);
        } else if (roll < 997) {
            millis = 20_000 + random.nextInt(100_000);
        } else {
            millis = 300_000 + random.nextInt(120_000);
        }
        now += millis;
        deadlines.headSet(now, false).clear();
        steps.add(new Step.Advance(millis));
    }

    private String recentOrder() {
        return placed.get(placed.size() - 1 - random.nextInt(Math.min(placed.size(), RECENT))).orderId();
    }

    private void send(final Step event) {
        if (event instanceof Step.Place place && placedById.putIfAbsent(place.orderId(), place) == null) {
            placed.add(place);
        }
        steps.add(event);
        delivered.add(event);
        events++;
    }

    private String customer() {
        return random.nextBoolean() ? null : "customer-" + random.nextInt(20);
    }

    private String nextId(final String prefix) {
        return prefix + "-" + nextId++;
    }

    private <T> T pick(final List<T> from) {
        return from.get(random.nextInt(from.size()));
    }
}
