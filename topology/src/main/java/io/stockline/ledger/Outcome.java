package io.stockline.ledger;

import java.util.List;

/** One step an order took, as published on order-outcomes. {@code expiresAt} is null unless RESERVED. */
public record Outcome(String orderId, OrderStatus status, String reason, List<Line> lines, Long expiresAt, long at) {
}
