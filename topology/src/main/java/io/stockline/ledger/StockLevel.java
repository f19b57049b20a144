package io.stockline.ledger;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One SKU's stock. Every change keeps {@code available + locked == onHand}, {@code available >= 0} and
 * {@code locked >= 0}; a change that would break them is refused before it is made.
 *
 * <p>Where the units are: {@code places} splits the totals by location and batch, each part obeying the same
 * invariants, the totals their sums. While every unit is at the default location outside any batch (every SKU until
 * an adjustment names a location or a batch) {@code places} is empty, so such a SKU costs what it always did.
 *
 * @param lowStockThreshold at or below this many available units (and above none) the SKU is low on stock; null
 *                          when no adjustment has set one
 * @param places            the totals by place, sorted by location and then {@link Place#FEFO}; empty when all
 *                          are at {@link Place#DEFAULT}
 * @param product           the product this SKU is a variant of; null until an adjustment names one
 */
public record StockLevel(String sku, long onHand, long available, long locked, long version, long updatedAt,
                         Long lowStockThreshold, List<PlaceLevel> places, Product product) {

    private static final Comparator<PlaceLevel> BY_PLACE = Comparator
            .comparing((PlaceLevel part) -> part.place().location())
            .thenComparing(PlaceLevel::place, Place.FEFO);

    public StockLevel {
        places = List.copyOf(places);
    }

    /** A level of a SKU kept at the default location alone. */
    public StockLevel(final String sku, final long onHand, final long available, final long locked,
                      final long version, final long updatedAt, final Long lowStockThreshold) {
        this(sku, onHand, available, locked, version, updatedAt, lowStockThreshold, List.of(), null);
    }

    /** A level with no low-stock threshold. */
    public StockLevel(final String sku, final long onHand, final long available, final long locked,
                      final long version, final long updatedAt) {
        this(sku, onHand, available, locked, version, updatedAt, null);
    }

    public static StockLevel empty(final String sku) {
        return new StockLevel(sku, 0, 0, 0, 0, 0);
    }

    /** Whether the SKU has some available units, but no more than its threshold. */
    public boolean isLow() {
        return lowStockThreshold != null && available > 0 && available <= lowStockThreshold;
    }

    public boolean invariantsHold() {
        return available >= 0 && locked >= 0 && available + locked == onHand;
    }

    /** Whether an adjustment by {@code delta} keeps available stock non-negative (and representable). */
    public boolean canAdjust(final long delta) {
        try {
            return Math.addExact(available, delta) >= 0 && Math.addExact(onHand, delta) >= 0;
        } catch (final ArithmeticException overflow) {
            return false;
        }
    }

    public StockLevel adjust(final long delta, final long at) {
        return adjust(delta, null, at);
    }

    /** An adjustment that also sets the low-stock threshold, or keeps it when {@code threshold} is null. */
    public StockLevel adjust(final long delta, final Long threshold, final long at) {
        return adjust(delta, Place.DEFAULT, threshold, at);
    }

    /** Units in or out at one place, which must have {@code -delta} available when units go out. */
    public StockLevel adjust(final long delta, final Place place, final Long threshold, final long at) {
        final Long newThreshold = threshold == null ? lowStockThreshold : threshold;
        if (!isSplit() && place.isDefault()) {
            require(canAdjust(delta), "adjustment " + delta + " exceeds available " + available);
            return new StockLevel(sku, onHand + delta, available + delta, locked, version + 1, at, newThreshold,
                    List.of(), product);
        }
        final long there = partAt(place).available();
        if (!canAdjust(delta) || there + delta < 0) {
            throw new IllegalStateException("sku " + sku + ": adjustment " + delta + " exceeds available " + there
                    + " at " + place);
        }
        return new StockLevel(sku, onHand + delta, available + delta, locked, version + 1, at, newThreshold,
                changedAt(place, delta, delta, 0), product);
    }

    /**
     * Available units of one batch (or none) moving from one location to another: the totals stay as they are. A
     * transfer may set the low-stock threshold as an adjustment does (null keeps it).
     */
    public StockLevel transfer(final long quantity, final Place from, final Place to, final Long threshold,
                               final long at) {
        final long there = partAt(from).available();
        if (quantity <= 0 || there < quantity) {
            throw new IllegalStateException("sku " + sku + ": cannot move " + quantity + " of " + there
                    + " available at " + from);
        }
        final List<PlaceLevel> parts = new ArrayList<>(parts());
        change(parts, from, -quantity, -quantity, 0);
        change(parts, to, quantity, quantity, 0);
        return new StockLevel(sku, onHand, available, locked, version + 1, at,
                threshold == null ? lowStockThreshold : threshold, normalised(parts), product);
    }

    /** The level as a variant of {@code newProduct}; null leaves the product as it is. */
    public StockLevel withProduct(final Product newProduct) {
        if (newProduct == null) {
            return this;
        }
        return new StockLevel(sku, onHand, available, locked, version, updatedAt, lowStockThreshold, places,
                newProduct);
    }

    /** The parts by place: the stored ones, or one part at the default place holding everything (if anything). */
    public List<PlaceLevel> parts() {
        return places.isEmpty() && !(onHand == 0 && locked == 0 && available == 0)
                ? List.of(new PlaceLevel(Place.DEFAULT, onHand, available, locked)) : places;
    }

    /** Whether the SKU keeps units anywhere but at the default place (then {@link #places} is stored). */
    public boolean isSplit() {
        return !places.isEmpty();
    }

    /** The part at a place (location and batch; the expiry is not compared), empty when nothing is there. */
    public PlaceLevel partAt(final Place place) {
        return partAt(parts(), place);
    }

    /** The place a location and batch name, with the expiry the batch was stored with; null when none is stored. */
    public Place storedPlace(final String location, final String batch) {
        // A stored part is never empty: an emptied one is forgotten.
        final PlaceLevel part = partAt(new Place(location, batch, null));
        return part.isEmpty() ? null : part.place();
    }

    /** Units that could be reserved at {@code now}: available, less what sits in batches past their expiry. */
    public long reservableAt(final long now) {
        if (places.isEmpty()) {
            return available;
        }
        return places.stream().mapToLong(part -> part.reservableAt(now)).sum();
    }

    public boolean canReserve(final long quantity) {
        return quantity > 0 && available >= quantity;
    }

    /** available to locked, at the default place. */
    public StockLevel reserve(final long quantity, final long at) {
        return reserve(List.of(), quantity, at);
    }

    /** available to locked, at the places {@code from} says (empty: the default place). */
    public StockLevel reserve(final List<Allocation> from, final long quantity, final long at) {
        require(canReserve(quantity), "cannot reserve " + quantity + " of " + available + " available");
        return next(quantity, 0, -1, 1, from, at);
    }

    public StockLevel commit(final long quantity, final long at) {
        return commit(List.of(), quantity, at);
    }

    /** The units leave the warehouse: out of locked and out of on hand. */
    public StockLevel commit(final List<Allocation> from, final long quantity, final long at) {
        requireLocked(quantity);
        return next(quantity, -1, 0, -1, from, at);
    }

    public StockLevel release(final long quantity, final long at) {
        return release(List.of(), quantity, at);
    }

    /** locked back to available. */
    public StockLevel release(final List<Allocation> from, final long quantity, final long at) {
        requireLocked(quantity);
        return next(quantity, 0, 1, -1, from, at);
    }

    public StockLevel refund(final long quantity, final long at) {
        return refund(List.of(), quantity, at);
    }

    /** Sold units come back, to the place they left from: on hand and available both grow. */
    public StockLevel refund(final List<Allocation> to, final long quantity, final long at) {
        require(quantity > 0 && canAdjust(quantity), "cannot take back " + quantity);
        return next(quantity, 1, 1, 0, to, at);
    }

    private void requireLocked(final long quantity) {
        require(quantity > 0 && locked >= quantity, "cannot unlock " + quantity + " of " + locked + " locked");
    }

    /**
     * {@code quantity} units changing the totals by the signs given, and each place in {@code runs} (empty: the
     * default place) by its own units. The places of a SKU kept at the default place alone stay empty.
     */
    private StockLevel next(final long quantity, final int onHandSign, final int availableSign, final int lockedSign,
                            final List<Allocation> runs, final long at) {
        if (!isSplit() && runs.isEmpty()) {
            // The default place alone: its level is the totals, which the callers checked.
            return new StockLevel(sku, onHand + onHandSign * quantity, available + availableSign * quantity,
                    locked + lockedSign * quantity, version + 1, at, lowStockThreshold, List.of(), product);
        }
        final List<Allocation> where = Allocation.orDefault(runs, quantity);
        if (Allocation.total(where) != quantity) {
            throw new IllegalStateException("sku " + sku + ": the places " + where + " do not hold " + quantity
                    + " units");
        }
        final List<PlaceLevel> parts = new ArrayList<>(parts());
        for (final Allocation run : where) {
            final PlaceLevel after = change(parts, run.place(), onHandSign * run.quantity(),
                    availableSign * run.quantity(), lockedSign * run.quantity());
            if (after.available() < 0 || after.locked() < 0) {
                throw new IllegalStateException("sku " + sku + ": cannot change " + run.quantity() + " units at "
                        + run.place() + ", which would leave " + after);
            }
        }
        return new StockLevel(sku, onHand + onHandSign * quantity, available + availableSign * quantity,
                locked + lockedSign * quantity, version + 1, at, lowStockThreshold, normalised(parts), product);
    }

    /** The places after the part at {@code place} changed by the deltas given. */
    private List<PlaceLevel> changedAt(final Place place, final long onHandDelta, final long availableDelta,
                                       final long lockedDelta) {
        final List<PlaceLevel> parts = new ArrayList<>(parts());
        change(parts, place, onHandDelta, availableDelta, lockedDelta);
        return normalised(parts);
    }

    /** Changes the part at {@code place} in {@code parts}, adding it when there is none; returns it changed. */
    private static PlaceLevel change(final List<PlaceLevel> parts, final Place place, final long onHandDelta,
                                     final long availableDelta, final long lockedDelta) {
        final PlaceLevel part = partAt(parts, place);
        final PlaceLevel after = part.plus(onHandDelta, availableDelta, lockedDelta);
        final int index = parts.indexOf(part);
        if (index >= 0) {
            parts.set(index, after);
        } else {
            parts.add(after);
        }
        return after;
    }

    private static PlaceLevel partAt(final List<PlaceLevel> parts, final Place place) {
        for (final PlaceLevel part : parts) {
            if (part.place().sameSpot(place)) {
                return part;
            }
        }
        return PlaceLevel.empty(place);
    }

    /**
     * Sorted, empty places dropped (a batch written off is forgotten), and nothing stored at all when what is left is
     * the default place alone.
     */
    private static List<PlaceLevel> normalised(final List<PlaceLevel> parts) {
        final List<PlaceLevel> kept = parts.stream().filter(part -> !part.isEmpty()).sorted(BY_PLACE).toList();
        return kept.size() == 1 && kept.get(0).place().isDefault() || kept.isEmpty() ? List.of() : kept;
    }

    private void require(final boolean condition, final String message) {
        if (!condition) {
            throw new IllegalStateException("sku " + sku + ": " + message);
        }
    }
}
