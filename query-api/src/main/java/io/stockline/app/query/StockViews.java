package io.stockline.app.query;

import io.stockline.ledger.AllocationPolicy;
import io.stockline.ledger.Place;
import io.stockline.ledger.PlaceLevel;
import io.stockline.ledger.Product;
import io.stockline.ledger.StockLevel;
import io.stockline.schemas.api.StockView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A SKU's level as the API shows it at one moment: what is expired depends on when it is asked. Locations come in
 * the ledger's priority order ({@code --locations}), any other (units kept where the ledger no longer allocates
 * from) after them by name; each location's batches first expiry first.
 */
public final class StockViews {

    private final AllocationPolicy policy;

    public StockViews(final AllocationPolicy policy) {
        this.policy = policy;
    }

    /** The whole level, with every location it keeps units at (the one {@code default} when it keeps them nowhere). */
    public StockView of(final StockLevel level, final long now) {
        final List<StockView.Location> locations = new ArrayList<>();
        policy.byLocation(level.parts()).forEach((location, parts) -> locations.add(location(location, parts, now)));
        if (locations.isEmpty()) {
            locations.add(location(Place.DEFAULT_LOCATION, List.of(), now));
        }
        final long expired = locations.stream().mapToLong(StockView.Location::expired).sum();
        final Product product = level.product();
        return new StockView(level.sku(), level.onHand(), level.available(), level.locked(), expired, level.version(),
                Instant.ofEpochMilli(level.updatedAt()), level.lowStockThreshold(),
                product == null ? null : product.productId(), product == null ? Map.of() : product.attributes(),
                locations);
    }

    /** The level at one location: its totals, and it alone in {@code locations} (zeros when nothing is there). */
    public StockView of(final StockLevel level, final String location, final long now) {
        final StockView whole = of(level, now);
        if (location == null) {
            return whole;
        }
        final StockView.Location there = whole.locations().stream()
                .filter(part -> part.location().equals(location)).findFirst()
                .orElse(location(location, List.of(), now));
        return new StockView(whole.sku(), there.onHand(), there.available(), there.locked(), there.expired(),
                whole.version(), whole.updatedAt(), whole.lowStockThreshold(), whole.productId(), whole.attributes(),
                List.of(there));
    }

    private static StockView.Location location(final String location, final List<PlaceLevel> parts, final long now) {
        long onHand = 0;
        long available = 0;
        long locked = 0;
        long expired = 0;
        final List<StockView.Batch> batches = new ArrayList<>();
        for (final PlaceLevel part : parts) {
            onHand += part.onHand();
            available += part.available();
            locked += part.locked();
            expired += part.expiredAt(now);
            final Place place = part.place();
            if (place.batch() != null) {
                batches.add(new StockView.Batch(place.batch(),
                        place.expiresAt() == null ? null : Instant.ofEpochMilli(place.expiresAt()),
                        part.onHand(), part.available(), part.locked()));
            }
        }
        return new StockView.Location(location, onHand, available, locked, expired, batches);
    }
}
