package io.stockline.bench;

/** What the shop will do with an order once it is placed: which follow-up events the workload sends. */
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
    EXPIRE
}
