package io.stockline.app.console;

import io.stockline.schemas.StockAlert;
import java.time.Instant;

/**
 * One stock alert as the console shows it.
 *
 * @param location  always null for now: stock is kept per SKU
 * @param threshold the SKU's low-stock threshold after the change that crossed, null when it has none
 */
public record StockAlertView(String sku, String location, String kind, long available, Long threshold, Instant at) {

    static StockAlertView of(final StockAlert alert) {
        return new StockAlertView(alert.getSku(), alert.getLocation(), alert.getKind().name(), alert.getAvailable(),
                alert.getThreshold(), alert.getAt());
    }
}
