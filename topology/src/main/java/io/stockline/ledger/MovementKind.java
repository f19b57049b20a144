package io.stockline.ledger;

/** What changed a SKU's levels: one kind per stock command that can change them. */
public enum MovementKind {
    /** An adjustment: on hand and available move by its delta. */
    ADJUSTMENT,
    /** An order locked units: available to locked. */
    RESERVE,
    /** A paid order's units left: out of locked and out of on hand. */
    COMMIT,
    /** An order let go of its units: locked back to available. */
    RELEASE,
    /** A refunded order's units came back: on hand and available grow. */
    REFUND,
    /** A paid order's allocated units were shipped (deducting on shipment): out of locked and out of on hand. */
    SHIP,
    /** Units moved between two locations of the SKU: its totals stay as they are. */
    TRANSFER
}
