package io.stockline.schemas.api;

import java.time.Instant;

/** The body of {@code GET /stock/{sku}}: one SKU's levels. */
public record StockView(String sku, long onHand, long available, long locked, long version, Instant updatedAt) {
}
