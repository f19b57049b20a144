package io.stockline.ledger;

/** Why the ledger refused an event that it could read. Each maps to the contract's dead-letter code of the same name. */
public enum RejectCode {
    ADJUSTMENT_EXCEEDS_AVAILABLE,
    ORDER_ID_CONFLICT,
    LATE_PAYMENT,
    ILLEGAL_TRANSITION,
    ORPHAN_EVENT,
    /** An event older than the retention: what it refers to may have been forgotten. */
    STALE_EVENT,
    /** A cancellation names more units of a SKU than the order still has reserved. */
    CANCEL_EXCEEDS_RESERVED,
    /** A refund names more units of a SKU than the order still holds or sold. */
    RETURN_EXCEEDS_SOLD,
    /** A shipment names more units of a SKU than the order still has allocated and unshipped. */
    SHIPMENT_EXCEEDS_ALLOCATED,
    /** An adjustment or transfer takes units out of a batch its location does not have. */
    UNKNOWN_BATCH,
    /** An adjustment adds units to a batch past its expiry. */
    BATCH_EXPIRED,
    /** An adjustment gives a batch an expiry other than the one it has. */
    BATCH_EXPIRY_MISMATCH,
    /** A transfer moves more units than are available at its source. */
    TRANSFER_EXCEEDS_AVAILABLE
}
