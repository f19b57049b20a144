package io.stockline.ledger;

/** Why units went back to available (or, for a refund, back on hand). Maps to the contract's rollback cause. */
public enum ReleaseCause {
    PARTIAL_REJECTION,
    CANCELLED,
    PAYMENT_FAILED,
    EXPIRED,
    REFUNDED
}
