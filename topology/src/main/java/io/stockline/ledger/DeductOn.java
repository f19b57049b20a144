package io.stockline.ledger;

/** When a paid order's units leave stock on hand. */
public enum DeductOn {
    /** At payment: a captured payment takes the units off hand (every version before shipments did this). */
    PAYMENT,
    /** At shipment: a captured payment confirms the order, its units stay allocated until they are shipped. */
    SHIPMENT
}
