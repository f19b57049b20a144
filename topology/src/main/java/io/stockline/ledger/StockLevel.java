package io.stockline.ledger;

/**
 * One SKU's stock. Every change keeps {@code available + locked == onHand}, {@code available >= 0} and
 * {@code locked >= 0}; a change that would break them is refused before it is made.
 *
 * @param lowStockThreshold at or below this many available units (and above none) the SKU is low on stock; null
 *                          when no adjustment has set one
 */
public record StockLevel(String sku, long onHand, long available, long locked, long version, long updatedAt,
                         Long lowStockThreshold) {

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
        require(canAdjust(delta), "adjustment " + delta + " exceeds available " + available);
        return new StockLevel(sku, onHand + delta, available + delta, locked, version + 1, at,
                threshold == null ? lowStockThreshold : threshold);
    }

    public boolean canReserve(final long quantity) {
        return quantity > 0 && available >= quantity;
    }

    /** available to locked. */
    public StockLevel reserve(final long quantity, final long at) {
        require(canReserve(quantity), "cannot reserve " + quantity + " of " + available + " available");
        return next(onHand, available - quantity, locked + quantity, at);
    }

    /** The units leave the warehouse: out of locked and out of on hand. */
    public StockLevel commit(final long quantity, final long at) {
        requireLocked(quantity);
        return next(onHand - quantity, available, locked - quantity, at);
    }

    /** locked back to available. */
    public StockLevel release(final long quantity, final long at) {
        requireLocked(quantity);
        return next(onHand, available + quantity, locked - quantity, at);
    }

    /** Sold units come back: on hand and available both grow. */
    public StockLevel refund(final long quantity, final long at) {
        require(quantity > 0 && canAdjust(quantity), "cannot take back " + quantity);
        return next(onHand + quantity, available + quantity, locked, at);
    }

    private void requireLocked(final long quantity) {
        require(quantity > 0 && locked >= quantity, "cannot unlock " + quantity + " of " + locked + " locked");
    }

    private StockLevel next(final long newOnHand, final long newAvailable, final long newLocked, final long at) {
        return new StockLevel(sku, newOnHand, newAvailable, newLocked, version + 1, at, lowStockThreshold);
    }

    private void require(final boolean condition, final String message) {
        if (!condition) {
            throw new IllegalStateException("sku " + sku + ": " + message);
        }
    }
}
