package io.stockline.ledger;

/** Where an order stands. */
public enum OrderStatus {
    /** Payments or cancellations arrived before the order itself; they are held for a grace period. */
    AWAITING_ORDER,
    /** The order's lines are being locked, SKU by SKU. */
    PENDING,
    RESERVED,
    REJECTED,
    CONFIRMED,
    CANCELLED,
    EXPIRED,
    REFUNDED;

    /** Whether the order's own event has been seen and decided on, so it is visible to queries. */
    public boolean isDecided() {
        return this != AWAITING_ORDER && this != PENDING;
    }
}
