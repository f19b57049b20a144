package io.stockline.bench;

import io.stockline.ledger.DeductOn;
import io.stockline.schemas.OrderStatus;
import io.stockline.topology.LedgerConfig;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * One generated run: the SKUs and their starting stock, the orders with their lines and intentions, and
 * the sequence of events every engine is driven with. Held in flat arrays, since a run has millions.
 *
 * <p>An event is a {@code long}: its {@link Kind} in the high half and its order's index in the low half.
 * An order's follow-ups ({@link #followUps}) come one after the other, the first {@code followUpLag} orders
 * after the order, each next one {@code followUpLag} orders later.
 *
 * <p>An event of a per-line step names, of each line of its order, {@link #eventQuantity} units, drawn with
 * the order: for a partial cancel the units cancelled, for a partial refund the units returned restocked and
 * those returned damaged, for a shipment in two the units of the first. What each step leaves the order
 * holding follows the ledger's rules ({@link #addHoldings}, {@link #step}).
 */
final class Scenario {

    /** The kinds of event in the sequence; the ones after REFUND came with per-line steps (#21). */
    enum Kind {
        PLACE, CAPTURE, FAIL, CANCEL, REFUND,
        /** A cancellation naming some units of some lines. */
        CANCEL_LINES,
        /** A shipment naming some units of some lines. */
        SHIP_LINES,
        /** A shipment of everything the order still has to ship (no lines named). */
        SHIP_REST,
        /** A refund naming some units, restocked. */
        RETURN_RESTOCKED,
        /** A refund naming some units, returned damaged: not restocked. */
        RETURN_DAMAGED;

        /**
         * The shop's stream this kind goes out on (for the ledger, its topic): two events of one order on one
         * stream arrive in the order they were sent, on two streams in either order.
         */
        int stream() {
            return switch (this) {
                case PLACE -> 0;
                case CAPTURE, FAIL, REFUND, RETURN_RESTOCKED, RETURN_DAMAGED -> 1;
                case CANCEL, CANCEL_LINES -> 2;
                case SHIP_LINES, SHIP_REST -> 3;
            };
        }
    }

    /** The most follow-ups one order has: a partial refund's capture, shipment and two returns. */
    private static final int MAX_FOLLOW_UPS = 4;
    private static final Kind[] NONE = {};

    /** The hold of every order not meant to expire: the ledger's own default. */
    static final long DEFAULT_HOLD_MILLIS = LedgerConfig.DEFAULT_HOLD.toMillis();

    private static final Kind[] KINDS = Kind.values();

    private final WorkloadSpec spec;
    private final String runId;
    private final long[] initialStock;
    private final int[] lineStart;
    private final int[] lineSku;
    private final int[] lineQuantity;
    /** Per line: the units cancelled, returned restocked, or shipped first, as the order's intention has it. */
    private final int[] firstPart;
    /** Per line: the units returned damaged by a partial refund. */
    private final int[] secondPart;
    private final Intention[] intentions;
    private final int[] buyer;
    private final long[] events;

    private Scenario(final WorkloadSpec spec, final String runId, final long[] initialStock, final int[] lineStart,
                     final int[] lineSku, final int[] lineQuantity, final int[] firstPart, final int[] secondPart,
                     final Intention[] intentions, final int[] buyer) {
        this.spec = spec;
        this.runId = runId;
        this.initialStock = initialStock;
        this.lineStart = lineStart;
        this.lineSku = lineSku;
        this.lineQuantity = lineQuantity;
        this.firstPart = firstPart;
        this.secondPart = secondPart;
        this.intentions = intentions;
        this.buyer = buyer;
        this.events = sequence();
    }

    /**
     * Generates the run.
     *
     * @param runId tells this run's order ids and SKUs apart from any earlier run's on the same cluster or server
     */
    static Scenario generate(final WorkloadSpec spec, final String runId) {
        return spec.workload() == Workload.FLASH_SALE ? flashSale(spec, runId) : mixed(spec, runId);
    }

    private static Scenario flashSale(final WorkloadSpec spec, final String runId) {
        final int n = spec.orders();
        final SplittableRandom random = new SplittableRandom(spec.seed());
        final int[] lineStart = new int[n + 1];
        final int[] buyer = new int[n];
        final Intention[] intentions = new Intention[n];
        for (int i = 0; i < n; i++) {
            lineStart[i + 1] = i + 1;
            buyer[i] = random.nextInt(spec.buyers());
            intentions[i] = Intention.HOLD;
        }
        final int[] ones = new int[n];
        Arrays.fill(ones, 1);
        return new Scenario(spec, runId, new long[] {spec.units()}, lineStart, new int[n], ones, new int[n],
                new int[n], intentions, buyer);
    }

    private static Scenario mixed(final WorkloadSpec spec, final String runId) {
        final int n = spec.orders();
        final SplittableRandom random = new SplittableRandom(spec.seed());
        final Zipf popularity = new Zipf(spec.skus(), spec.skew());
        final int[] lineStart = new int[n + 1];
        final int[] skus = new int[n * spec.maxLines()];
        final int[] quantities = new int[n * spec.maxLines()];
        final int[] firstParts = new int[n * spec.maxLines()];
        final int[] secondParts = new int[n * spec.maxLines()];
        final int[] buyer = new int[n];
        final Intention[] intentions = new Intention[n];
        int lines = 0;
        for (int i = 0; i < n; i++) {
            final int count = 1 + random.nextInt(spec.maxLines());
            final int first = lines;
            while (lines - first < count) {
                final int sku = popularity.next(random);
                if (!contains(skus, first, lines, sku)) {
                    skus[lines] = sku;
                    quantities[lines] = 1 + random.nextInt(spec.maxQuantity());
                    lines++;
                }
            }
            lineStart[i + 1] = lines;
            buyer[i] = random.nextInt(spec.buyers());
            intentions[i] = spec.mix().pick(random.nextInt(100));
            // Drawn only for the intentions that need it, so a mix without them sends what it always sent.
            drawParts(intentions[i], random, quantities, firstParts, secondParts, lineStart[i], lines);
        }
        final long[] stock = new long[spec.skus()];
        final double unitsPerOrder = (1 + spec.maxLines()) / 2.0 * (1 + spec.maxQuantity()) / 2.0;
        for (int sku = 0; sku < stock.length; sku++) {
            stock[sku] = spec.stockPerSku() >= 0 ? spec.stockPerSku()
                    : Math.max(1, Math.round(spec.stockCover() * n * unitsPerOrder * popularity.probability(sku)));
        }
        return new Scenario(spec, runId, stock, lineStart, Arrays.copyOf(skus, lines),
                Arrays.copyOf(quantities, lines), Arrays.copyOf(firstParts, lines), Arrays.copyOf(secondParts, lines),
                intentions, buyer);
    }

    /**
     * The units of lines {@code from} to {@code to} that a per-line step names. A partial cancel keeps at least
     * one unit (but a one-unit order, which it cancels whole); a shipment in parts ships at least one unit first
     * (all of them: one shipment); a partial refund returns at least one unit.
     */
    private static void drawParts(final Intention intention, final SplittableRandom random, final int[] quantities,
                                  final int[] first, final int[] second, final int from, final int to) {
        switch (intention) {
            case PARTIAL_CANCEL, SHIP -> {
                long named = 0;
                long units = 0;
                for (int line = from; line < to; line++) {
                    first[line] = random.nextInt(quantities[line] + 1);
                    named += first[line];
                    units += quantities[line];
                }
                if (named == 0) {
                    first[from] = 1;
                } else if (intention == Intention.PARTIAL_CANCEL && named == units && units > 1) {
                    first[from]--;
                }
            }
            case PARTIAL_REFUND -> {
                long named = 0;
                for (int line = from; line < to; line++) {
                    first[line] = random.nextInt(quantities[line] + 1);
                    second[line] = random.nextInt(quantities[line] - first[line] + 1);
                    named += first[line] + second[line];
                }
                if (named == 0) {
                    first[from] = 1;
                }
            }
            default -> {
            }
        }
    }

    private static boolean contains(final int[] values, final int from, final int to, final int value) {
        for (int i = from; i < to; i++) {
            if (values[i] == value) {
                return true;
            }
        }
        return false;
    }

    /** Orders in turn; an order's k-th follow-up once {@code k * lag} more orders have been placed. */
    private long[] sequence() {
        final int n = intentions.length;
        final int lag = spec.followUpLag();
        int count = n;
        for (int order = 0; order < n; order++) {
            count += followUps(order).length;
        }
        final long[] sequence = new long[count];
        int next = 0;
        for (int slot = 0; slot < n + MAX_FOLLOW_UPS * lag + 1; slot++) {
            if (slot < n) {
                sequence[next++] = event(Kind.PLACE, slot);
            }
            for (int k = 1; k <= MAX_FOLLOW_UPS; k++) {
                final int order = slot - k * lag;
                if (order >= 0 && order < n) {
                    final Kind[] followUps = followUps(order);
                    if (followUps.length >= k) {
                        sequence[next++] = event(followUps[k - 1], order);
                    }
                }
            }
        }
        return sequence;
    }

    /** The events the shop sends after placing the order, in the order it sends them. */
    Kind[] followUps(final int order) {
        return switch (intentions[order]) {
            case HOLD, EXPIRE -> NONE;
            case PAY -> new Kind[] {Kind.CAPTURE};
            case FAIL -> new Kind[] {Kind.FAIL};
            case CANCEL -> new Kind[] {Kind.CANCEL};
            case REFUND -> new Kind[] {Kind.CAPTURE, Kind.REFUND};
            case PARTIAL_CANCEL -> namesAll(order, firstPart) ? new Kind[] {Kind.CANCEL_LINES}
                    : new Kind[] {Kind.CANCEL_LINES, Kind.CAPTURE};
            case SHIP -> namesAll(order, firstPart) ? new Kind[] {Kind.CAPTURE, Kind.SHIP_REST}
                    : new Kind[] {Kind.CAPTURE, Kind.SHIP_LINES, Kind.SHIP_REST};
            case PARTIAL_REFUND -> {
                final Kind[] kinds = new Kind[MAX_FOLLOW_UPS];
                int count = 0;
                kinds[count++] = Kind.CAPTURE;
                if (spec.deductOn() == DeductOn.SHIPMENT) {
                    kinds[count++] = Kind.SHIP_REST;
                }
                if (!namesNone(order, firstPart)) {
                    kinds[count++] = Kind.RETURN_RESTOCKED;
                }
                if (!namesNone(order, secondPart)) {
                    kinds[count++] = Kind.RETURN_DAMAGED;
                }
                yield Arrays.copyOf(kinds, count);
            }
        };
    }

    /**
     * How many outcomes the event's order must have had before the event is sent (0: none). A follow-up on
     * another stream than the one before it waits for that one's outcome, as a warehouse ships once it has
     * seen the payment confirmed and takes a return once it shipped: across streams nothing keeps them in
     * order. The first never waits, since every engine holds an event that comes before its order; the mix
     * before #21 has no follow-up that waits.
     */
    int awaits(final long event) {
        final Kind[] followUps = followUps(orderOf(event));
        final int index = Arrays.asList(followUps).indexOf(kindOf(event));
        return index <= 0 || followUps[index - 1].stream() == followUps[index].stream() ? 0 : index + 1;
    }

    private boolean namesAll(final int order, final int[] part) {
        for (int line = lineStart[order]; line < lineStart[order + 1]; line++) {
            if (part[line] != lineQuantity[line]) {
                return false;
            }
        }
        return true;
    }

    private boolean namesNone(final int order, final int[] part) {
        for (int line = lineStart[order]; line < lineStart[order + 1]; line++) {
            if (part[line] != 0) {
                return false;
            }
        }
        return true;
    }

    static long event(final Kind kind, final int order) {
        return ((long) kind.ordinal() << 32) | order;
    }

    static Kind kindOf(final long event) {
        return KINDS[(int) (event >>> 32)];
    }

    static int orderOf(final long event) {
        return (int) event;
    }

    WorkloadSpec spec() {
        return spec;
    }

    String runId() {
        return runId;
    }

    int orderCount() {
        return intentions.length;
    }

    int skuCount() {
        return initialStock.length;
    }

    int eventCount() {
        return events.length;
    }

    long event(final int index) {
        return events[index];
    }

    long initialStock(final int sku) {
        return initialStock[sku];
    }

    long totalLines() {
        return lineSku.length;
    }

    int lineCount(final int order) {
        return lineStart[order + 1] - lineStart[order];
    }

    int lineSku(final int order, final int line) {
        return lineSku[lineStart[order] + line];
    }

    int lineQuantity(final int order, final int line) {
        return lineQuantity[lineStart[order] + line];
    }

    /**
     * The units of an order's line that an event naming lines names (0: the line is left out of the event).
     *
     * @throws IllegalArgumentException for an event that names no lines
     */
    int eventQuantity(final long event, final int line) {
        final int at = lineStart[orderOf(event)] + line;
        return switch (kindOf(event)) {
            case CANCEL_LINES, SHIP_LINES, RETURN_RESTOCKED -> firstPart[at];
            case RETURN_DAMAGED -> secondPart[at];
            default -> throw new IllegalArgumentException(kindOf(event) + " names no lines");
        };
    }

    Intention intention(final int order) {
        return intentions[order];
    }

    String orderId(final int order) {
        return orderPrefix() + order;
    }

    /** The index of an order id of this run, or -1 for anyone else's. */
    int orderIndex(final String orderId) {
        return index(orderId, orderPrefix(), orderCount());
    }

    String skuName(final int sku) {
        return skuPrefix() + sku;
    }

    /** The index of a SKU of this run, or -1. */
    int skuIndex(final String sku) {
        return index(sku, skuPrefix(), skuCount());
    }

    /** What every SKU name of this run starts with: they sort together, right after it. */
    String skuPrefix() {
        return "s" + runId + "-";
    }

    private String orderPrefix() {
        return "o" + runId + "-";
    }

    /** The number after {@code prefix} when it is below {@code count}, or -1. */
    private static int index(final String id, final String prefix, final int count) {
        if (!id.startsWith(prefix)) {
            return -1;
        }
        try {
            final int index = Integer.parseInt(id, prefix.length(), id.length(), 10);
            return index >= 0 && index < count ? index : -1;
        } catch (final NumberFormatException e) {
            return -1;
        }
    }

    String customerId(final int order) {
        return "c" + runId + "-" + buyer[order];
    }

    String eventId(final long event) {
        return kindOf(event).name().toLowerCase(java.util.Locale.ROOT) + "-" + orderId(orderOf(event));
    }

    /** The order's hold in milliseconds: short for orders left to expire, the ledger's default otherwise. */
    long holdMillis(final int order) {
        return intentions[order] == Intention.EXPIRE ? spec.expireHold().toMillis() : DEFAULT_HOLD_MILLIS;
    }

    /** Whether the order names its hold ({@code holdMillis} set) or leaves it to the ledger's default. */
    boolean namesHold(final int order) {
        return intentions[order] == Intention.EXPIRE;
    }

    /** Units asked for each SKU over the whole run. */
    long[] demandBySku() {
        final long[] demand = new long[skuCount()];
        for (int i = 0; i < lineSku.length; i++) {
            demand[lineSku[i]] += lineQuantity[i];
        }
        return demand;
    }

    /** How many outcomes an order decided as {@code decision} has once everything has happened to it. */
    int expectedOutcomes(final int order, final OrderStatus decision) {
        if (decision != OrderStatus.RESERVED) {
            return 1;
        }
        return 1 + (intentions[order] == Intention.EXPIRE ? 1 : followUps(order).length);
    }

    /** The status an order decided as {@code decision} ends in. */
    OrderStatus expectedFinal(final int order, final OrderStatus decision) {
        if (decision != OrderStatus.RESERVED) {
            return decision;
        }
        return expectedStatus(order, expectedOutcomes(order, decision) - 1);
    }

    /**
     * The status of a reserved order's outcome number {@code step} (0: RESERVED; then one per follow-up, or the
     * expiry), or null past its last.
     */
    OrderStatus expectedStatus(final int order, final int step) {
        if (step == 0) {
            return OrderStatus.RESERVED;
        }
        if (intentions[order] == Intention.EXPIRE) {
            return step == 1 ? OrderStatus.EXPIRED : null;
        }
        final Kind[] followUps = followUps(order);
        return step > followUps.length ? null : new Units(order).after(followUps, step);
    }

    /**
     * Adds, per SKU, what a reserved order holds after its first {@code steps} steps (outcomes after RESERVED):
     * the units still locked for it, and the units it took off hand (paid or shipped, and returned damaged).
     */
    void addHoldings(final int order, final int steps, final long[] locked, final long[] offHand) {
        final Units units = new Units(order);
        if (intentions[order] == Intention.EXPIRE) {
            if (steps == 0) {
                units.addTo(locked, offHand);
            }
            return;
        }
        final Kind[] followUps = followUps(order);
        units.after(followUps, Math.min(steps, followUps.length));
        units.addTo(locked, offHand);
    }

    /**
     * What a follow-up does to its order's lines, given that the order's earlier steps were all applied (an
     * engine applies an order's events in the order they were sent, and refuses every one after a refused one):
     * for each line, the change to its SKU's available, locked and on-hand units, and the status it leaves.
     */
    Step step(final long event) {
        final int order = orderOf(event);
        final Kind[] followUps = followUps(order);
        final int index = Arrays.asList(followUps).indexOf(kindOf(event));
        if (index < 0) {
            throw new IllegalArgumentException(kindOf(event) + " is no follow-up of order " + order);
        }
        final Units before = new Units(order);
        before.after(followUps, index);
        final Units after = new Units(order);
        final OrderStatus status = after.after(followUps, index + 1);
        final int count = lineCount(order);
        final long[] available = new long[count];
        final long[] locked = new long[count];
        final long[] onHand = new long[count];
        for (int line = 0; line < count; line++) {
            locked[line] = after.locked[line] - before.locked[line];
            onHand[line] = before.offHand(line) - after.offHand(line);
            available[line] = onHand[line] - locked[line];
        }
        return new Step(available, locked, onHand, after.locked.clone(), status);
    }

    /**
     * What one follow-up changes, line by line of its order.
     *
     * @param available   per line, the change to its SKU's available units
     * @param locked      per line, the change to its SKU's locked units
     * @param onHand      per line, the change to its SKU's on-hand units
     * @param lockedAfter per line, the units still locked for the order after it
     * @param status      the status the order is in after it
     */
    record Step(long[] available, long[] locked, long[] onHand, long[] lockedAfter, OrderStatus status) {
    }

    /**
     * The units of each line locked for a reserved order in {@code status}: all it asked for while RESERVED,
     * what its partial cancel left while AMENDED.
     */
    long[] lockedWhile(final int order, final OrderStatus status) {
        final Units units = new Units(order);
        final Kind[] followUps = followUps(order);
        if (status == OrderStatus.AMENDED) {
            units.after(followUps, Arrays.asList(followUps).indexOf(Kind.CANCEL_LINES) + 1);
        }
        return units.locked.clone();
    }

    /** An order's units line by line as its steps leave them, by the ledger's rules for each step. */
    private final class Units {
        private final int first;
        private final long[] locked;
        private final long[] sold;
        private final long[] damaged;

        Units(final int order) {
            first = lineStart[order];
            final int count = lineCount(order);
            locked = new long[count];
            sold = new long[count];
            damaged = new long[count];
            for (int line = 0; line < count; line++) {
                locked[line] = lineQuantity[first + line];
            }
        }

        /** Applies the first {@code steps} of {@code kinds}; the status the last one leaves. */
        OrderStatus after(final Kind[] kinds, final int steps) {
            OrderStatus status = OrderStatus.RESERVED;
            for (int step = 0; step < steps; step++) {
                status = apply(kinds[step]);
            }
            return status;
        }

        private OrderStatus apply(final Kind kind) {
            for (int line = 0; line < locked.length; line++) {
                switch (kind) {
                    case CAPTURE -> {
                        if (spec.deductOn() == DeductOn.PAYMENT) {
                            sold[line] += locked[line];
                            locked[line] = 0;
                        }
                    }
                    case FAIL, CANCEL -> locked[line] = 0;
                    case REFUND -> {
                        locked[line] = 0;
                        sold[line] = 0;
                    }
                    case CANCEL_LINES -> locked[line] -= firstPart[first + line];
                    case SHIP_LINES -> {
                        locked[line] -= firstPart[first + line];
                        sold[line] += firstPart[first + line];
                    }
                    case SHIP_REST -> {
                        sold[line] += locked[line];
                        locked[line] = 0;
                    }
                    case RETURN_RESTOCKED, RETURN_DAMAGED -> {
                        // Unshipped units go back to available; units that left stock come back only restocked.
                        final long returned = kind == Kind.RETURN_RESTOCKED ? firstPart[first + line]
                                : secondPart[first + line];
                        final long unshipped = Math.min(returned, locked[line]);
                        locked[line] -= unshipped;
                        sold[line] -= returned - unshipped;
                        if (kind == Kind.RETURN_DAMAGED) {
                            damaged[line] += returned - unshipped;
                        }
                    }
                    case PLACE -> throw new IllegalArgumentException("an order is placed once");
                }
            }
            final boolean nothingLeft = sum(locked) + sum(sold) == 0;
            return switch (kind) {
                case CAPTURE -> OrderStatus.CONFIRMED;
                case FAIL, CANCEL -> OrderStatus.CANCELLED;
                case REFUND -> OrderStatus.REFUNDED;
                case CANCEL_LINES -> nothingLeft ? OrderStatus.CANCELLED : OrderStatus.AMENDED;
                case SHIP_LINES, SHIP_REST -> OrderStatus.SHIPPED;
                case RETURN_RESTOCKED, RETURN_DAMAGED -> nothingLeft ? OrderStatus.REFUNDED
                        : OrderStatus.PARTIALLY_REFUNDED;
                case PLACE -> OrderStatus.RESERVED;
            };
        }

        private long sum(final long[] units) {
            long sum = 0;
            for (final long unit : units) {
                sum += unit;
            }
            return sum;
        }

        long offHand(final int line) {
            return sold[line] + damaged[line];
        }

        void addTo(final long[] lockedBySku, final long[] offHandBySku) {
            for (int line = 0; line < locked.length; line++) {
                final int sku = lineSku[first + line];
                lockedBySku[sku] += locked[line];
                offHandBySku[sku] += offHand(line);
            }
        }
    }
}
