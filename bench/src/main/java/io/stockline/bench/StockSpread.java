package io.stockline.bench;

import io.stockline.ledger.AllocationPolicy;
import io.stockline.schemas.StockAdjusted;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * How a SKU's starting stock is spread over places ({@code --locations}, {@code --batches}): as evenly as the units
 * allow over {@code locations x batches} places, one adjustment each. One location is the ledger's {@code default},
 * as before locations; more are {@code loc-1..loc-N}, which the ledger allocates from one after the other with
 * {@code --split-lines}, so that an order is decided by a SKU's totals alone, as every other engine and the
 * Verifier's reference decide it. Batches expire long after any run, so none is skipped as expired.
 */
record StockSpread(int locations, int batches) {

    static final int MAX_LOCATIONS = 100;
    static final int MAX_BATCHES = 100;
    /** Batch {@code b-j} expires this many days after it: first expiry first is {@code b-1} first. */
    private static final Instant FIRST_EXPIRY = Instant.parse("2100-01-01T00:00:00Z");
    private static final String REASON = "bench starting stock";

    static StockSpread of(final WorkloadSpec spec) {
        return new StockSpread(spec.locations(), spec.batches());
    }

    /** The ledger's locations and how it allocates from them. */
    AllocationPolicy allocation() {
        if (locations == 1) {
            return AllocationPolicy.DEFAULT;
        }
        final List<String> names = new ArrayList<>();
        for (int location = 1; location <= locations; location++) {
            names.add(location(location));
        }
        return new AllocationPolicy(names, true);
    }

    /**
     * The adjustments bringing in a SKU's starting stock: one with no location and no batch for 1 location and no
     * batch (the events of a bench before locations), otherwise one per place with units.
     */
    List<StockAdjusted> adjustments(final String sku, final long units, final Instant at) {
        final StockAdjusted.Builder whole = StockAdjusted.newBuilder().setAdjustmentId("stock-" + sku).setSku(sku)
                .setDelta(units).setReason(REASON).setAt(at);
        if (locations == 1 && batches == 0) {
            return List.of(whole.build());
        }
        final int places = locations * Math.max(1, batches);
        final List<StockAdjusted> adjustments = new ArrayList<>(places);
        for (int place = 0; place < places; place++) {
            final long share = units / places + (place < units % places ? 1 : 0);
            if (share == 0) {
                continue;
            }
            final String location = locations == 1 ? null : location(1 + place / Math.max(1, batches));
            final StockAdjusted.Builder adjustment = StockAdjusted.newBuilder(whole.build())
                    .setAdjustmentId("stock-" + sku + "-" + place).setDelta(share).setLocation(location);
            if (batches > 0) {
                final int batch = 1 + place % batches;
                adjustment.setBatch("b-" + batch).setBatchExpiresAt(FIRST_EXPIRY.plus(Duration.ofDays(batch)));
            }
            adjustments.add(adjustment.build());
        }
        return adjustments;
    }

    private static String location(final int number) {
        return "loc-" + number;
    }
}
