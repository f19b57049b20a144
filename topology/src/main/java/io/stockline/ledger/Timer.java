package io.stockline.ledger;

/** A wall-clock wake-up for one order. When it fires, the order's state decides whether anything happens. */
public record Timer(long dueAt, Kind kind, String orderId) {

    public enum Kind {
        /** A reserved order's hold runs out. */
        EXPIRY,
        /** Held payments or cancellations have waited long enough for their order. */
        ORPHAN
    }
}
