package io.stockline.bench;

/**
 * What the shop will do with an order once it is placed: which follow-up events the workload sends. In
 * the mix (and in {@code --mix}) each is named in lower case with dashes: {@code partial-cancel}.
 */
enum Intention {
    /** Nothing: a reserved order stays RESERVED until its (long) hold runs out after the run. */
    HOLD,
    /** A captured payment: RESERVED, then CONFIRMED. */
    PAY,
    /** A failed payment: RESERVED, then CANCELLED. */
    FAIL,
    /** A cancellation: RESERVED, then CANCELLED. */
    CANCEL,
    /** A captured payment and later a refund: RESERVED, CONFIRMED, then REFUNDED. */
    REFUND,
    /** Nothing, with a short hold: RESERVED, then EXPIRED. */
    EXPIRE,
    /**
     * A cancellation naming some units of some lines, then a captured payment for the rest: RESERVED, AMENDED,
     * CONFIRMED. An order of one unit has no "some": its cancellation takes everything, RESERVED then CANCELLED.
     */
    PARTIAL_CANCEL,
    /**
     * A captured payment (with the ledger deducting on shipment, then one shipment of everything), then a
     * return of some units restocked and a return of some others damaged (each sent only when it names a
     * unit): PARTIALLY_REFUNDED after each, or REFUNDED after the last when nothing is left.
     */
    PARTIAL_REFUND,
    /**
     * A captured payment, then one shipment of everything or two, the first naming some units and the second
     * the rest: RESERVED, CONFIRMED, SHIPPED (once or twice). Needs the ledger to deduct on shipment.
     */
    SHIP
}
