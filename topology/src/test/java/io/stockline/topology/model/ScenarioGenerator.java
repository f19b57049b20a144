package io.stockline.topology.model;

import io.stockline.schemas.PaymentOutcome;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
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
 */
public final class ScenarioGenerator {

    public static final List<String> HOT_SKUS = List.of("sku-a", "sku-b", "sku-c", "sku-d", "sku-e");
    /** Never stocked: an order naming it is always short. */
    public static final String UNSTOCKED_SKU = "sku-x";

    private static final int RECENT = 40;

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
        this.random = new Random(seed);
        this.timing = timing;
        this.now = timing.startMillis();
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
        send(new Step.Adjust(nextId("a"), sku, delta));
    }

    private Step.Place newOrder(final String orderId) {
        final List<Step.Line> lines = new ArrayList<>();
        final int count = 1 + random.nextInt(5);
        for (int i = 0; i < count; i++) {
            final String sku = random.nextInt(100) < 3 ? UNSTOCKED_SKU : pick(HOT_SKUS);
            lines.add(new Step.Line(sku, 1 + random.nextInt(5)));
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
                lines.set(0, new Step.Line(line.sku(), line.quantity() + 1));
            }
            case 1 -> lines.add(new Step.Line(pick(HOT_SKUS), 1 + random.nextInt(3)));
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
                lines.set(i, new Step.Line(line.sku(), 1));
                lines.add(new Step.Line(line.sku(), line.quantity() - 1));
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
