package io.stockline.ledger;

import java.util.List;

/**
 * One step an order took, as published on order-outcomes. {@code expiresAt} is null unless RESERVED;
 * {@code placedAt} is the order's own, null only for a one-line order's decision asked for by a version of
 * the ledger that did not pass it on.
 */
public record Outcome(String orderId, OrderStatus status, String reason, List<Line> lines, Long placedAt,
                      Long expiresAt, long at) {

    /** Why an order was rejected for lack of stock: the same words whichever side decides. */
    public static String shortage(final String sku, final long requested, final long available) {
        return "insufficient stock for sku " + sku + ": requested " + requested + ", available " + available;
    }
}
