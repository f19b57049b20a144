package io.stockline.schemas.api;

import java.time.Instant;

/**
 * The body of {@code GET /stock/{sku}}: one SKU's levels, and its low-stock threshold (null until an adjustment sets
 * one).
 */
public record StockView(String sku, long onHand, long available, long locked, long version, Instant updatedAt,
                        Long lowStockThreshold) {

    /** Levels with no low-stock threshold. */
    public StockView(final String sku, final long onHand, final long available, final long locked, final long version,
                     final Instant updatedAt) {
        this(sku, onHand, available, locked, version, updatedAt, null);
    }
}
