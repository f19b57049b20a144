package io.stockline.app.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.stockline.ledger.Allocation;
import io.stockline.ledger.AllocationPolicy;
import io.stockline.ledger.Place;
import io.stockline.ledger.Product;
import io.stockline.ledger.StockLevel;
import io.stockline.schemas.api.StockView;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StockViewsTest {

    private static final long NOW = Instant.parse("2026-12-07T12:00:00Z").toEpochMilli();
    private static final long HOUR = 3_600_000L;
    private static final Place OLD = new Place("paris", "B-OLD", NOW - HOUR);
    private static final Place SOON = new Place("paris", "B-SOON", NOW + HOUR);
    private static final Place LATE = new Place("berlin", "B-LATE", NOW + 48 * HOUR);
    private static final Place BERLIN_LOOSE = Place.at("berlin");
    /** Berlin comes second in the priority order though it sorts first by name. */
    private final StockViews views = new StockViews(new AllocationPolicy(List.of("paris", "berlin"), false));

    /**
     * paris: 4 in an expired batch, 6 in one expiring soon (2 of them locked); berlin: 5 in a late batch and 3 outside
     * any batch (1 locked).
     */
    private static StockLevel juice() {
        return StockLevel.empty("JUICE")
                .adjust(4, OLD, null, NOW - 2 * HOUR)
                .adjust(6, SOON, null, NOW - 2 * HOUR)
                .adjust(5, LATE, null, NOW - 2 * HOUR)
                .adjust(3, BERLIN_LOOSE, 2L, NOW - 2 * HOUR)
                .reserve(List.of(new Allocation(SOON, 2), new Allocation(BERLIN_LOOSE, 1)), 3, NOW - HOUR)
                .withProduct(new Product("JUICE", Map.of("size", "1l", "flavour", "apple")));
    }

    @Test
    void theWholeViewBreaksTheTotalsDownByLocationInPriorityOrderAndByBatchFirstExpiryFirst() {
        final StockView view = views.of(juice(), NOW);

        assertEquals(18, view.onHand());
        assertEquals(15, view.available());
        assertEquals(3, view.locked());
        assertEquals(4, view.expired());
        assertEquals("JUICE", view.productId());
        assertEquals(List.of("flavour", "size"), List.copyOf(view.attributes().keySet()));
        assertEquals(List.of(
                new StockView.Location("paris", 10, 8, 2, 4, List.of(
                        new StockView.Batch("B-OLD", Instant.ofEpochMilli(NOW - HOUR), 4, 4, 0),
                        new StockView.Batch("B-SOON", Instant.ofEpochMilli(NOW + HOUR), 6, 4, 2))),
                new StockView.Location("berlin", 8, 7, 1, 0, List.of(
                        new StockView.Batch("B-LATE", Instant.ofEpochMilli(NOW + 48 * HOUR), 5, 5, 0)))),
                view.locations());
    }

    @Test
    void expiredUnitsAreCountedAtTheTimeOfTheQuery() {
        assertEquals(0, views.of(juice(), NOW - 2 * HOUR).expired());
        assertEquals(4 + 4, views.of(juice(), NOW + HOUR).expired());
    }

    @Test
    void aLocationNarrowsTheTotalsAndTheListToIt() {
        final StockView paris = views.of(juice(), "paris", NOW);

        assertEquals(List.of(10L, 8L, 2L, 4L), List.of(paris.onHand(), paris.available(), paris.locked(),
                paris.expired()));
        assertEquals(List.of("paris"), paris.locations().stream().map(StockView.Location::location).toList());
        assertEquals(2, paris.locations().get(0).batches().size());
        assertEquals(juice().version(), paris.version());
        assertEquals(2L, paris.lowStockThreshold());
        assertEquals("JUICE", paris.productId());
    }

    @Test
    void aKnownLocationWhereTheSkuHasNothingIsZeros() {
        final StockView rome = new StockViews(new AllocationPolicy(List.of("paris", "berlin", "rome"), false))
                .of(juice(), "rome", NOW);

        assertEquals(List.of(0L, 0L, 0L, 0L), List.of(rome.onHand(), rome.available(), rome.locked(), rome.expired()));
        assertEquals(List.of(new StockView.Location("rome", 0, 0, 0, 0, List.of())), rome.locations());
    }

    @Test
    void aSkuKeptNowhereButTheDefaultPlaceHasOneDefaultEntryWithoutBatches() {
        final StockLevel mug = StockLevel.empty("MUG").adjust(7, NOW).reserve(2, NOW);

        final StockView view = new StockViews(AllocationPolicy.DEFAULT).of(mug, NOW);

        assertEquals(List.of(new StockView.Location("default", 7, 5, 2, 0, List.of())), view.locations());
        assertEquals(0, view.expired());
        assertNull(view.productId());
        assertEquals(Map.of(), view.attributes());
        assertEquals(view.locations(), new StockViews(AllocationPolicy.DEFAULT).of(mug, "default", NOW).locations());
    }

    @Test
    void aSkuWithNothingLeftStillListsTheDefaultLocation() {
        final StockView view = new StockViews(AllocationPolicy.DEFAULT).of(StockLevel.empty("GONE"), NOW);

        assertEquals(List.of(new StockView.Location("default", 0, 0, 0, 0, List.of())), view.locations());
    }
}
