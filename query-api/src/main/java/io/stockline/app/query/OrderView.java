package io.stockline.app.query;

import io.stockline.ledger.Line;
import io.stockline.ledger.Order;
import java.time.Instant;
import java.util.List;

/**
 * The body of {@code GET /orders/{orderId}}. {@code status} is PENDING while the order's SKUs are being
 * locked, then one of the outcome statuses; {@code lines} are summed per SKU, as placed; {@code locked} is what
 * the order still holds on hand (reserved, or paid and waiting for its shipment) and {@code sold} what it took
 * off hand and has not had back, both per SKU in the order of its lines and, where its units are at more than the
 * default place, a line per location and batch.
 */
public record OrderView(String orderId, String status, List<LineView> lines, Instant placedAt, Instant expiresAt,
                        Instant updatedAt, String reason, List<LineView> locked, List<LineView> sold) {

    /**
     * One SKU of an order. In {@code lines}, {@code location} is the location the line is pinned to; in {@code locked}
     * and {@code sold}, where those units are (null: the default location), and {@code batch} their batch.
     */
    public record LineView(String sku, long quantity, String location, String batch) {
    }

    public static OrderView of(final Order order) {
        return new OrderView(order.orderId(), order.status().name(), views(order.lines()),
                Instant.ofEpochMilli(order.placedAt()), Instant.ofEpochMilli(order.expiresAt()),
                Instant.ofEpochMilli(order.updatedAt()), order.reason(), views(order.lockedLines()),
                views(order.soldLines()));
    }

    private static List<LineView> views(final List<Line> lines) {
        return lines.stream().map(l -> new LineView(l.sku(), l.quantity(), l.location(), l.batch())).toList();
    }
}
