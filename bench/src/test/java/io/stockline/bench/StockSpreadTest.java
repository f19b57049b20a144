package io.stockline.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.stockline.ledger.AllocationPolicy;
import io.stockline.schemas.StockAdjusted;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StockSpreadTest {

    private static final Instant AT = Instant.parse("2026-11-22T10:00:00Z");

    @Test
    void oneLocationAndNoBatchIsTheOneAdjustmentOfABenchBeforeLocations() {
        // When 50 units start at one location with no batch
        final List<StockAdjusted> adjustments = new StockSpread(1, 0).adjustments("s1-0", 50, AT);

        // Then it is one adjustment at no location in no batch, and the ledger keeps its default location
        assertEquals(List.of(StockAdjusted.newBuilder().setAdjustmentId("stock-s1-0").setSku("s1-0").setDelta(50)
                .setReason("bench starting stock").setAt(AT).build()), adjustments);
        assertEquals(AllocationPolicy.DEFAULT, new StockSpread(1, 0).allocation());
    }

    @Test
    void unitsAreSpreadEvenlyOverEveryLocationsBatchesAndTheLedgerSplitsLines() {
        // When 20 units start over 3 locations in 2 batches each
        final StockSpread spread = new StockSpread(3, 2);
        final List<StockAdjusted> adjustments = spread.adjustments("s1-0", 20, AT);

        // Then each of the six places gets 3 or 4 units, the batches expiring b-1 first, far beyond any run
        assertEquals(List.of("loc-1/b-1/4", "loc-1/b-2/4", "loc-2/b-1/3", "loc-2/b-2/3", "loc-3/b-1/3", "loc-3/b-2/3"),
                adjustments.stream().map(a -> a.getLocation() + "/" + a.getBatch() + "/" + a.getDelta()).toList());
        assertEquals(20, adjustments.stream().mapToLong(StockAdjusted::getDelta).sum());
        assertEquals(6, adjustments.stream().map(StockAdjusted::getAdjustmentId).distinct().count());
        assertEquals(Instant.parse("2100-01-02T00:00:00Z"), adjustments.get(0).getBatchExpiresAt());
        assertEquals(Instant.parse("2100-01-03T00:00:00Z"), adjustments.get(1).getBatchExpiresAt());
        assertEquals(new AllocationPolicy(List.of("loc-1", "loc-2", "loc-3"), true), spread.allocation());
    }

    @Test
    void placesLeftWithoutUnitsGetNoAdjustmentAndOneLocationIsTheDefault() {
        // When 3 units start at one location in 5 batches
        final List<StockAdjusted> adjustments = new StockSpread(1, 5).adjustments("s1-0", 3, AT);

        // Then three batches at the default location get one unit each
        assertEquals(List.of("b-1", "b-2", "b-3"), adjustments.stream().map(StockAdjusted::getBatch).toList());
        adjustments.forEach(adjustment -> assertNull(adjustment.getLocation()));
        adjustments.forEach(adjustment -> assertEquals(1, adjustment.getDelta()));
    }
}
