package io.stockline.topology;

/**
 * Every state store of the ledger. Each name is also the stem of the store's changelog topic
 * ({@code <application.id>-<name>-changelog}), so renaming one loses its state: don't.
 */
public final class LedgerStores {

    /** SKU to {@link io.stockline.ledger.StockLevel}: on hand, available, locked. */
    public static final String STOCK_LEVELS = "stock-levels-store";
    /** SKU and adjustment id to the time it was applied: makes a redelivered adjustment a no-op. */
    public static final String APPLIED_ADJUSTMENTS = "applied-adjustments-store";
    /** Order id to {@link io.stockline.ledger.Order}: lines, status, expiry, held early events. */
    public static final String ORDERS = "orders-store";

    private LedgerStores() {
    }
}
