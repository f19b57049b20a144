package io.stockline.ledger;

/** What a SKU's available stock crossed. */
public enum AlertKind {
    /** Available went from above the SKU's low-stock threshold (or from none) to at or below it, and above 0. */
    LOW_STOCK,
    /** Available went from above 0 to 0. */
    SOLD_OUT,
    /** Available went from 0 to above 0. */
    BACK_IN_STOCK
}
