package io.stockline.app.query;

import io.stockline.ledger.Order;
import java.time.Instant;
import java.util.List;

/**
 * The body of {@code GET /orders/{orderId}}. {@code status} is PENDING while the order's SKUs are being
 * locked, then one of the outcome statuses; {@code lines} are summed per SKU.
 */
public record OrderView(String orderId, String status, List<LineView> lines, Instant placedAt, Instant expiresAt,
                        Instant updatedAt, String reason) {

    /** One SKU of an order. */
    public record LineView(String sku, long quantity) {
    }

    public static OrderView of(final Order order) {
        return new OrderView(order.orderId(), order.status().name(),
                order.lines().stream().map(l -> new LineView(l.sku(), l.quantity())).toList(),
                Instant.ofEpochMilli(order.placedAt()), Instant.ofEpochMilli(order.expiresAt()),
                Instant.ofEpochMilli(order.updatedAt()), order.reason());
    }
}
