package io.stockline.ledger;

import java.util.List;

/**
 * Everything the stock side acts on, keyed by SKU. An order's request after its reservation names the places its
 * units are at ({@code from}, as the reservation's answer said; empty for the default place).
 */
public sealed interface StockCommand {

    String sku();

    /**
     * An accepted StockAdjusted event: units in or out at one place, or, with {@code toLocation}, {@code delta}
     * available units of the place's batch moving to another location.
     *
     * @param lowStockThreshold the SKU's threshold from now on; null leaves it as it is
     * @param place             where: the location and batch the event names, with the expiry it gives (null when it
     *                          gives none); {@link Place#DEFAULT} when it names neither
     * @param toLocation        the location a transfer moves units to; null for an adjustment
     * @param product           the product the SKU belongs to from now on; null leaves it as it is
     */
    record Adjust(String adjustmentId, String sku, long delta, String reason, long at, Origin origin,
                  Long lowStockThreshold, Place place, String toLocation, Product product) implements StockCommand {

        public Adjust {
            place = place == null ? Place.DEFAULT : place;
        }

        /** An adjustment that leaves the threshold as it is. */
        public Adjust(final String adjustmentId, final String sku, final long delta, final String reason,
                      final long at, final Origin origin) {
            this(adjustmentId, sku, delta, reason, at, origin, null);
        }

        /** An adjustment at the default place. */
        public Adjust(final String adjustmentId, final String sku, final long delta, final String reason,
                      final long at, final Origin origin, final Long lowStockThreshold) {
            this(adjustmentId, sku, delta, reason, at, origin, lowStockThreshold, Place.DEFAULT, null, null);
        }

        public boolean isTransfer() {
            return toLocation != null;
        }
    }

    /**
     * Lock {@code quantity} for a pending order, or say it does not fit. When this is the order's only line
     * ({@code soleLine} set), the answer is the order's decision, and the stock side publishes the
     * outcome itself: one transactional hop sooner than the order side could.
     */
    record Reserve(String orderId, String sku, long quantity, SoleLine soleLine, String location)
            implements StockCommand {

        public Reserve(final String orderId, final String sku, final long quantity) {
            this(orderId, sku, quantity, null);
        }

        /** A request the ledger may allocate anywhere. */
        public Reserve(final String orderId, final String sku, final long quantity, final SoleLine soleLine) {
            this(orderId, sku, quantity, soleLine, null);
        }
    }

    /**
     * What the stock side needs to publish the decision of a one-line order: when it was placed (null when
     * a version of the ledger that did not send it asked) and when its hold ends.
     */
    record SoleLine(Long placedAt, long expiresAt) {
    }

    /** The order was paid: the locked units are sold. */
    record Commit(String orderId, String sku, long quantity, List<Allocation> from) implements StockCommand {

        public Commit {
            from = List.copyOf(from);
        }

        public Commit(final String orderId, final String sku, final long quantity) {
            this(orderId, sku, quantity, List.of());
        }
    }

    /**
     * The order let go of its units: locked back to available.
     *
     * @param step the event behind a release of part of an order (a cancellation or refund naming lines), so
     *             that each such release has an id of its own; null when the release is the order's whole one
     *             for this cause
     */
    record Release(String orderId, String sku, long quantity, ReleaseCause cause, String step,
                   List<Allocation> from) implements StockCommand {

        public Release {
            from = List.copyOf(from);
        }

        public Release(final String orderId, final String sku, final long quantity, final ReleaseCause cause) {
            this(orderId, sku, quantity, cause, null);
        }

        public Release(final String orderId, final String sku, final long quantity, final ReleaseCause cause,
                       final String step) {
            this(orderId, sku, quantity, cause, step, List.of());
        }
    }

    /**
     * The order was refunded: sold units come back on hand.
     *
     * @param step the refund behind a return of part of an order; null for the order's whole refund
     */
    record Refund(String orderId, String sku, long quantity, String step, List<Allocation> from)
            implements StockCommand {

        public Refund {
            from = List.copyOf(from);
        }

        public Refund(final String orderId, final String sku, final long quantity) {
            this(orderId, sku, quantity, null);
        }

        public Refund(final String orderId, final String sku, final long quantity, final String step) {
            this(orderId, sku, quantity, step, List.of());
        }
    }

    /** A paid order's allocated units were shipped (deducting on shipment): out of locked and out of on hand. */
    record Ship(String orderId, String sku, long quantity, String shipmentId, List<Allocation> from)
            implements StockCommand {

        public Ship {
            from = List.copyOf(from);
        }

        public Ship(final String orderId, final String sku, final long quantity, final String shipmentId) {
            this(orderId, sku, quantity, shipmentId, List.of());
        }
    }
}
