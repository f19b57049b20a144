package io.stockline.schemas.api;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The body of {@code GET /stock/{sku}}: one SKU's levels at the time of the query, where its units are, and the product
 * it is a variant of.
 *
 * @param available         units not locked, as stored: {@code available + locked == onHand}. Units in a batch past its
 *                          expiry count here until an adjustment writes them off, though they are never reserved
 * @param expired           of {@code available}, the units in batches past their expiry at the time of the query
 * @param lowStockThreshold null until an adjustment sets one
 * @param productId         null until an adjustment names the product
 * @param attributes        what makes this SKU its product's variant (flavour, size...); empty until an adjustment
 *                          names them
 * @param locations         the totals by location; one entry, {@code default}, for a SKU kept nowhere else. With
 *                          {@code ?location=L} the totals are that location's and this lists it alone
 */
public record StockView(String sku, long onHand, long available, long locked, long expired, long version,
                        Instant updatedAt, Long lowStockThreshold, String productId, Map<String, String> attributes,
                        List<Location> locations) {

    public StockView {
        // An instance that does not send them yet (during an upgrade) means none. Attributes sorted, so every
        // instance prints them in the same order.
        attributes = attributes == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(attributes));
        locations = locations == null ? List.of() : List.copyOf(locations);
    }

    /**
     * One location's part of a SKU's levels.
     *
     * @param expired of {@code available}, the units in batches past their expiry
     * @param batches the batches kept here, first expiry first; units kept outside any batch are in the totals alone
     */
    public record Location(String location, long onHand, long available, long locked, long expired,
                           List<Batch> batches) {

        public Location {
            batches = batches == null ? List.of() : List.copyOf(batches);
        }
    }

    /**
     * One batch at a location.
     *
     * @param expiresAt null for a batch that never expires
     */
    public record Batch(String batch, Instant expiresAt, long onHand, long available, long locked) {
    }
}
