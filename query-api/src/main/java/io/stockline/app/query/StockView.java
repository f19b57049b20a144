package io.stockline.app.query;

import io.stockline.ledger.StockLevel;
import java.time.Instant;

/** The body of {@code GET /stock/{sku}}. */
public record StockView(String sku, long onHand, long available, long locked, long version, Instant updatedAt) {

    public static StockView of(final StockLevel level) {
        return new StockView(level.sku(), level.onHand(), level.available(), level.locked(), level.version(),
                Instant.ofEpochMilli(level.updatedAt()));
    }
}
