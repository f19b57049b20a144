package io.stockline.ledger;

import java.util.List;

/** Everything the order side acts on, keyed by order id. */
public sealed interface OrderCommand {

    String orderId();

    /** An accepted OrderPlaced event. {@code holdMillis} null means the configured default hold. */
    record PlaceOrder(String eventId, String orderId, List<Line> lines, long placedAt, Long holdMillis,
                      Origin origin) implements OrderCommand {
    }

    /** An accepted PaymentEvent. */
    record ApplyPayment(String paymentId, String orderId, PaymentResult result, long at, Origin origin)
            implements OrderCommand, HeldEvent {

        @Override
        public String eventId() {
            return paymentId;
        }
    }

    /** An accepted OrderCancelled event. */
    record CancelOrder(String cancelId, String orderId, String reason, long at, Origin origin)
            implements OrderCommand, HeldEvent {

        @Override
        public String eventId() {
            return cancelId;
        }
    }

    /**
     * The stock side's answer to a reserve request for one SKU of a pending order; {@code decisionPublished}
     * when it was the order's only line and the stock side already published the outcome. Carried rather than
     * derived from the order's line count: a reserve request written by an older version has no sole-line mark,
     * its answer says false, and the order side then publishes the outcome itself.
     */
    record LineResult(String orderId, String sku, long quantity, boolean reserved, long available,
                      boolean decisionPublished) implements OrderCommand {

        public LineResult(final String orderId, final String sku, final long quantity, final boolean reserved,
                          final long available) {
            this(orderId, sku, quantity, reserved, available, false);
        }
    }

    /** A payment or cancellation, which may have to wait for its order. */
    sealed interface HeldEvent {
        String eventId();

        Origin origin();
    }

    enum PaymentResult { CAPTURED, FAILED, REFUNDED }
}
