package io.stockline.bench;

import io.stockline.schemas.OrderStatus;
import io.stockline.topology.LedgerConfig;
import java.util.SplittableRandom;

/**
 * One generated run: the SKUs and their starting stock, the orders with their lines and intentions, and
 * the sequence of events every engine is driven with. Held in flat arrays, since a run has millions.
 *
 * <p>An event is a {@code long}: its {@link Kind} in the high half and its order's index in the low half.
 * A payment or cancellation comes {@code followUpLag} orders after its order; a refund twice as late.
 */
final class Scenario {

    /** The kinds of event in the sequence. */
    enum Kind { PLACE, CAPTURE, FAIL, CANCEL, REFUND }

    /** The hold of every order not meant to expire: the ledger's own default. */
    static final long DEFAULT_HOLD_MILLIS = LedgerConfig.DEFAULT_HOLD.toMillis();

    private static final Kind[] KINDS = Kind.values();

    private final WorkloadSpec spec;
    private final String runId;
    private final long[] initialStock;
    private final int[] lineStart;
    private final int[] lineSku;
    private final int[] lineQuantity;
    private final Intention[] intentions;
    private final int[] buyer;
    private final long[] events;

    private Scenario(final WorkloadSpec spec, final String runId, final long[] initialStock, final int[] lineStart,
                     final int[] lineSku, final int[] lineQuantity, final Intention[] intentions, final int[] buyer,
                     final long[] events) {
        this.spec = spec;
        this.runId = runId;
        this.initialStock = initialStock;
        this.lineStart = lineStart;
        this.lineSku = lineSku;
        this.lineQuantity = lineQuantity;
        this.intentions = intentions;
        this.buyer = buyer;
        this.events = events;
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
        java.util.Arrays.fill(ones, 1);
        return new Scenario(spec, runId, new long[] {spec.units()}, lineStart, new int[n], ones, intentions, buyer,
                sequence(n, intentions, spec.followUpLag()));
    }

    private static Scenario mixed(final WorkloadSpec spec, final String runId) {
        final int n = spec.orders();
        final SplittableRandom random = new SplittableRandom(spec.seed());
        final Zipf popularity = new Zipf(spec.skus(), spec.skew());
        final int[] lineStart = new int[n + 1];
        final int[] skus = new int[n * spec.maxLines()];
        final int[] quantities = new int[n * spec.maxLines()];
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
        }
        final long[] stock = new long[spec.skus()];
        final double unitsPerOrder = (1 + spec.maxLines()) / 2.0 * (1 + spec.maxQuantity()) / 2.0;
        for (int sku = 0; sku < stock.length; sku++) {
            stock[sku] = spec.stockPerSku() >= 0 ? spec.stockPerSku()
                    : Math.max(1, Math.round(spec.stockCover() * n * unitsPerOrder * popularity.probability(sku)));
        }
        return new Scenario(spec, runId, stock, lineStart, java.util.Arrays.copyOf(skus, lines),
                java.util.Arrays.copyOf(quantities, lines), intentions, buyer,
                sequence(n, intentions, spec.followUpLag()));
    }

    private static boolean contains(final int[] values, final int from, final int to, final int value) {
        for (int i = from; i < to; i++) {
            if (values[i] == value) {
                return true;
            }
        }
        return false;
    }

    /** Orders in turn; each follow-up once {@code lag} more orders (twice that for a refund) have been placed. */
    private static long[] sequence(final int n, final Intention[] intentions, final int lag) {
        int count = n;
        for (final Intention intention : intentions) {
            count += followUps(intention);
        }
        final long[] events = new long[count];
        int next = 0;
        for (int slot = 0; slot < n + 2 * lag + 1; slot++) {
            if (slot < n) {
                events[next++] = event(Kind.PLACE, slot);
            }
            final int first = slot - lag;
            if (first >= 0 && first < n && followUps(intentions[first]) > 0) {
                events[next++] = event(firstFollowUp(intentions[first]), first);
            }
            final int second = slot - 2 * lag;
            if (second >= 0 && second < n && intentions[second] == Intention.REFUND) {
                events[next++] = event(Kind.REFUND, second);
            }
        }
        return events;
    }

    private static int followUps(final Intention intention) {
        return switch (intention) {
            case HOLD, EXPIRE -> 0;
            case PAY, FAIL, CANCEL -> 1;
            case REFUND -> 2;
        };
    }

    private static Kind firstFollowUp(final Intention intention) {
        return switch (intention) {
            case PAY, REFUND -> Kind.CAPTURE;
            case FAIL -> Kind.FAIL;
            case CANCEL -> Kind.CANCEL;
            case HOLD, EXPIRE -> throw new IllegalArgumentException(intention + " has no follow-up");
        };
    }

    private static long event(final Kind kind, final int order) {
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
        return switch (intentions[order]) {
            case HOLD -> 1;
            case PAY, FAIL, CANCEL, EXPIRE -> 2;
            case REFUND -> 3;
        };
    }

    /** The status an order decided as {@code decision} ends in. */
    OrderStatus expectedFinal(final int order, final OrderStatus decision) {
        if (decision != OrderStatus.RESERVED) {
            return decision;
        }
        return switch (intentions[order]) {
            case HOLD -> OrderStatus.RESERVED;
            case PAY -> OrderStatus.CONFIRMED;
            case FAIL, CANCEL -> OrderStatus.CANCELLED;
            case REFUND -> OrderStatus.REFUNDED;
            case EXPIRE -> OrderStatus.EXPIRED;
        };
    }
}
