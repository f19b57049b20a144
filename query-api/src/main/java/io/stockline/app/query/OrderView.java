package io.stockline.app.query;

import io.stockline.ledger.Line;
import io.stockline.ledger.Order;
import java.time.Instant;
import java.util.List;

/**
 * The body of {@code GET /orders/{orderId}}. {@code status} is PENDING while the order's SKUs are being
 * locked, then one of the outcome statuses; {@code lines} are summed per SKU, as placed; {@code locked} is what
 * the order still holds on hand (reserved, or paid and waiting for its shipment) and {@code sold} what it took
 * off hand and has not had back, both per SKU, in the order of its lines.
 */
public record OrderView(String orderId, String status, List<LineView> lines, Instant placedAt, Instant expiresAt,
                        Instant updatedAt, String reason, List<LineView> locked, List<LineView> sold) {

    /** One SKU of an order. */
    public record LineView(String sku, long quantity) {
    }

    public static OrderView of(final Order order) {
        return new OrderView(order.orderId(), order.status().name(), views(order.lines()),
                Instant.ofEpochMilli(order.placedAt()), Instant.ofEpochMilli(order.expiresAt()),
                Instant.ofEpochMilli(order.updatedAt()), order.reason(), views(order.linesOf(order.locked())),
                views(order.linesOf(order.sold())));
    }

    private static List<LineView> views(final List<Line> lines) {
        return lines.stream().map(l -> new LineView(l.sku(), l.quantity())).toList();
    }
}
