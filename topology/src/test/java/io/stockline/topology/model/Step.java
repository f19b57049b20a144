package io.stockline.topology.model;

import io.stockline.schemas.PaymentOutcome;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One input of a scenario: an event on one of the ledger's input topics, or a move of the wall clock. A
 * redelivery is the very same step again.
 */
public sealed interface Step {

    /**
     * A quantity of one SKU on an order, as the shop sent it (not summed); {@code location} pins an order's line
     * there (null: the ledger picks), and is always null in a cancellation's, refund's or shipment's lines.
     */
    record Line(String sku, long quantity, String location) {

        public Line(final String sku, final long quantity) {
            this(sku, quantity, null);
        }

        @Override
        public String toString() {
            return sku + "x" + quantity + (location == null ? "" : "@" + location);
        }
    }

    /**
     * A StockAdjusted event: at {@code location} (null: default) and {@code batch} (null: outside any batch), with
     * the batch's expiry or null; with {@code toLocation}, a transfer of {@code delta} units from there.
     */
    record Adjust(String adjustmentId, String sku, long delta, String location, String batch, Long batchExpiresAt,
                  String toLocation) implements Step {

        public Adjust(final String adjustmentId, final String sku, final long delta) {
            this(adjustmentId, sku, delta, null, null, null, null);
        }

        public boolean isTransfer() {
            return toLocation != null;
        }
    }

    /** An OrderPlaced event; {@code holdMillis} null asks for the default hold. */
    record Place(String eventId, String orderId, List<Line> lines, long placedAt, Long holdMillis,
                 String customerId) implements Step {

        public Place {
            lines = List.copyOf(lines);
        }

        /** The order's content as the rules see it: the quantity of each SKU, however the lines were split. */
        public Map<String, Long> summedLines() {
            final Map<String, Long> summed = new TreeMap<>();
            for (final Line line : lines) {
                summed.merge(line.sku(), line.quantity(), Long::sum);
            }
            return summed;
        }

        /** The location each pinned SKU is pinned to. */
        public Map<String, String> pins() {
            final Map<String, String> pins = new TreeMap<>();
            for (final Line line : lines) {
                if (line.location() != null) {
                    pins.put(line.sku(), line.location());
                }
            }
            return pins;
        }
    }

    /**
     * A PaymentEvent. {@code lines} (a refund's, null: everything) and {@code restock} only mean something for
     * a refund.
     */
    record Pay(String paymentId, String orderId, PaymentOutcome outcome, List<Line> lines, boolean restock)
            implements Step {

        public Pay {
            lines = lines == null ? null : List.copyOf(lines);
        }

        public Pay(final String paymentId, final String orderId, final PaymentOutcome outcome) {
            this(paymentId, orderId, outcome, null, true);
        }
    }

    /** An OrderCancelled event; {@code lines} null cancels the whole order. */
    record Cancel(String cancelId, String orderId, List<Line> lines) implements Step {

        public Cancel {
            lines = lines == null ? null : List.copyOf(lines);
        }

        public Cancel(final String cancelId, final String orderId) {
            this(cancelId, orderId, null);
        }
    }

    /** An OrderShipped event; {@code lines} null ships everything still to ship. */
    record Ship(String shipmentId, String orderId, List<Line> lines) implements Step {

        public Ship {
            lines = lines == null ? null : List.copyOf(lines);
        }
    }

    /** Lines summed per SKU, as the rules see them. */
    static Map<String, Long> summed(final List<Line> lines) {
        final Map<String, Long> summed = new TreeMap<>();
        for (final Line line : lines) {
            summed.merge(line.sku(), line.quantity(), Long::sum);
        }
        return summed;
    }

    /** The wall clock moves on by {@code millis}; due punctuations fire. */
    record Advance(long millis) implements Step {
    }
}
