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
    REFUNDED,
    /** Still reserved, after a cancellation let go of some of its units. Holds stock as RESERVED does. */
    AMENDED,
    /** Paid, and some or all of its units shipped. */
    SHIPPED,
    /** Paid, and some of its units returned or released by a refund; what is left can still be refunded. */
    PARTIALLY_REFUNDED;

    /** Whether the order's own event has been seen and decided on, so it is visible to queries. */
    public boolean isDecided() {
        return this != AWAITING_ORDER && this != PENDING;
    }

    /** Whether the order holds reserved, unpaid stock that its hold's end will release. */
    public boolean isReserved() {
        return this == RESERVED || this == AMENDED;
    }

    /** Whether the order is paid and not yet wholly refunded: it may be shipped and refunded. */
    public boolean isPaid() {
        return this == CONFIRMED || this == SHIPPED || this == PARTIALLY_REFUNDED;
    }
}
