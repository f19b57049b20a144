package io.stockline.ledger;

import java.util.List;

/**
 * A crossing of one SKU's available stock, as published on stock-alerts. Each is decided by the change that
 * crossed, from the level before and after it, so a crossing raises one alert and a change that crosses nothing
 * raises none, however often a level is read.
 *
 * @param threshold the SKU's low-stock threshold after the change; null when it has none
 */
public record Alert(String sku, AlertKind kind, long available, Long threshold, long at) {

    /**
     * The alerts a change from {@code before} to {@code after} raises: SOLD_OUT or BACK_IN_STOCK when available
     * stock reached or left 0, then LOW_STOCK when the SKU became low (see {@link StockLevel#isLow()}). A
     * restock from 0 to at or below the threshold raises both BACK_IN_STOCK and LOW_STOCK, in that order; a new
     * or changed threshold that the level is already at or below is a crossing too.
     */
    public static List<Alert> between(final StockLevel before, final StockLevel after) {
        final boolean wasOut = before.available() == 0;
        final boolean isOut = after.available() == 0;
        // With no threshold this is a null check: a change that crosses nothing costs two comparisons more.
        final boolean becameLow = after.isLow() && !before.isLow();
        if (wasOut == isOut && !becameLow) {
            return List.of();
        }
        final Alert outOrBack = wasOut == isOut ? null
                : of(after, isOut ? AlertKind.SOLD_OUT : AlertKind.BACK_IN_STOCK);
        if (!becameLow) {
            return List.of(outOrBack);
        }
        final Alert low = of(after, AlertKind.LOW_STOCK);
        return outOrBack == null ? List.of(low) : List.of(outOrBack, low);
    }

    private static Alert of(final StockLevel level, final AlertKind kind) {
        return new Alert(level.sku(), kind, level.available(), level.lowStockThreshold(), level.updatedAt());
    }
}
