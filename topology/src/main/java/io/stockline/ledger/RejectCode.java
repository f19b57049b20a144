package io.stockline.ledger;

/** Why the ledger refused an event that it could read. Each maps to the contract's dead-letter code of the same name. */
public enum RejectCode {
    ADJUSTMENT_EXCEEDS_AVAILABLE,
    ORDER_ID_CONFLICT,
    LATE_PAYMENT,
    ILLEGAL_TRANSITION,
    ORPHAN_EVENT,
    /** An event older than the retention: what it refers to may have been forgotten. */
    STALE_EVENT
}
