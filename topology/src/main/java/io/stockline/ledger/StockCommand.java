package io.stockline.ledger;

/** Everything the stock side acts on, keyed by SKU. */
public sealed interface StockCommand {

    String sku();

    /**
     * An accepted StockAdjusted event.
     *
     * @param lowStockThreshold the SKU's threshold from now on; null leaves it as it is
     */
    record Adjust(String adjustmentId, String sku, long delta, String reason, long at, Origin origin,
                  Long lowStockThreshold) implements StockCommand {

        /** An adjustment that leaves the threshold as it is. */
        public Adjust(final String adjustmentId, final String sku, final long delta, final String reason,
                      final long at, final Origin origin) {
            this(adjustmentId, sku, delta, reason, at, origin, null);
        }
    }

    /**
     * Lock {@code quantity} for a pending order, or say it does not fit. When this is the order's only line
     * ({@code soleLine} set), the answer is the order's decision, and the stock side publishes the
     * outcome itself: one transactional hop sooner than the order side could.
     */
    record Reserve(String orderId, String sku, long quantity, SoleLine soleLine) implements StockCommand {

        public Reserve(final String orderId, final String sku, final long quantity) {
            this(orderId, sku, quantity, null);
        }
    }

    /**
     * What the stock side needs to publish the decision of a one-line order: when it was placed (null when
     * a version of the ledger that did not send it asked) and when its hold ends.
     */
    record SoleLine(Long placedAt, long expiresAt) {
    }

    /** The order was paid: the locked units are sold. */
    record Commit(String orderId, String sku, long quantity) implements StockCommand {
    }

    /**
     * The order let go of its units: locked back to available.
     *
     * @param step the event behind a release of part of an order (a cancellation or refund naming lines), so
     *             that each such release has an id of its own; null when the release is the order's whole one
     *             for this cause
     */
    record Release(String orderId, String sku, long quantity, ReleaseCause cause, String step)
            implements StockCommand {

        public Release(final String orderId, final String sku, final long quantity, final ReleaseCause cause) {
            this(orderId, sku, quantity, cause, null);
        }
    }

    /**
     * The order was refunded: sold units come back on hand.
     *
     * @param step the refund behind a return of part of an order; null for the order's whole refund
     */
    record Refund(String orderId, String sku, long quantity, String step) implements StockCommand {

        public Refund(final String orderId, final String sku, final long quantity) {
            this(orderId, sku, quantity, null);
        }
    }

    /** A paid order's allocated units were shipped (deducting on shipment): out of locked and out of on hand. */
    record Ship(String orderId, String sku, long quantity, String shipmentId) implements StockCommand {
    }
}
