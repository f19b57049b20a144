package io.stockline.ledger;

import java.util.List;

/** Everything the order side acts on, keyed by order id. */
public sealed interface OrderCommand {

    String orderId();

    /** An accepted OrderPlaced event. {@code holdMillis} null means the configured default hold. */
    record PlaceOrder(String eventId, String orderId, List<Line> lines, long placedAt, Long holdMillis,
                      Origin origin) implements OrderCommand {
    }

    /**
     * An accepted PaymentEvent.
     *
     * @param lines   for a REFUNDED payment, the units returned, per SKU; null returns everything the order
     *                still holds or sold. Null for the other results
     * @param restock for a REFUNDED payment, whether returned units that had left stock go back on sale (true)
     *                or stay out of stock as damaged (false)
     */
    record ApplyPayment(String paymentId, String orderId, PaymentResult result, long at, Origin origin,
                        List<Line> lines, boolean restock) implements OrderCommand, HeldEvent {

        public ApplyPayment {
            lines = lines == null ? null : List.copyOf(lines);
        }

        /** A payment for the whole order, as every version before per-line returns wrote it. */
        public ApplyPayment(final String paymentId, final String orderId, final PaymentResult result, final long at,
                            final Origin origin) {
            this(paymentId, orderId, result, at, origin, null, true);
        }

        @Override
        public String eventId() {
            return paymentId;
        }
    }

    /**
     * An accepted OrderCancelled event.
     *
     * @param lines the units to let go of, per SKU; null cancels the whole order
     */
    record CancelOrder(String cancelId, String orderId, String reason, long at, Origin origin, List<Line> lines)
            implements OrderCommand, HeldEvent {

        public CancelOrder {
            lines = lines == null ? null : List.copyOf(lines);
        }

        /** A cancellation of the whole order. */
        public CancelOrder(final String cancelId, final String orderId, final String reason, final long at,
                           final Origin origin) {
            this(cancelId, orderId, reason, at, origin, null);
        }

        @Override
        public String eventId() {
            return cancelId;
        }
    }

    /**
     * An accepted OrderShipped event.
     *
     * @param lines the units shipped, per SKU; null ships everything the order still has to ship
     */
    record ShipOrder(String shipmentId, String orderId, List<Line> lines, long at, Origin origin)
            implements OrderCommand, HeldEvent {

        public ShipOrder {
            lines = lines == null ? null : List.copyOf(lines);
        }

        @Override
        public String eventId() {
            return shipmentId;
        }
    }

    /**
     * The stock side's answer to a reserve request for one SKU of a pending order; {@code decisionPublished}
     * when it was the order's only line and the stock side already published the outcome. Carried rather than
     * derived from the order's line count: a reserve request written by an older version has no sole-line mark,
     * its answer says false, and the order side then publishes the outcome itself.
     *
     * @param allocations where the reserved units are, in the order they were taken; empty when all are at the
     *                    default place
     * @param shortage    why the line did not fit, when that is more than too little available (a pinned location,
     *                    a line that may not be split); null otherwise
     */
    record LineResult(String orderId, String sku, long quantity, boolean reserved, long available,
                      boolean decisionPublished, List<Allocation> allocations, String shortage)
            implements OrderCommand {

        public LineResult {
            allocations = List.copyOf(allocations);
        }

        public LineResult(final String orderId, final String sku, final long quantity, final boolean reserved,
                          final long available) {
            this(orderId, sku, quantity, reserved, available, false);
        }

        public LineResult(final String orderId, final String sku, final long quantity, final boolean reserved,
                          final long available, final boolean decisionPublished) {
            this(orderId, sku, quantity, reserved, available, decisionPublished, List.of(), null);
        }

        /** Why the line did not fit, in the words the order's rejection gives. */
        public String shortageReason() {
            return shortage != null ? shortage : Outcome.shortage(sku, quantity, available);
        }
    }

    /** A payment, cancellation or shipment, which may have to wait for its order. */
    sealed interface HeldEvent {
        String eventId();

        Origin origin();
    }

    enum PaymentResult { CAPTURED, FAILED, REFUNDED }
}
