package io.stockline.topology;

import java.util.HashMap;
import java.util.Map;

/**
 * What one task last heard from the owners of other tasks' SKUs: which of them said they had nothing
 * available. An order for a marked SKU is rejected without asking its owner again, which in a flash sale
 * spares 99 % of the orders a round trip through two topics; one order per {@code recheckMillis} still
 * asks, so a restock or a release is seen within that time plus one round trip.
 *
 * <p>In memory only, on purpose: after a restart or a rebalance a task simply asks again. Nothing here can
 * oversell, because a mark only ever rejects.
 */
final class SoldOutMarks {

    private final long recheckMillis;
    /** Marked SKUs, each with when an order last asked its owner. */
    private final Map<String, Long> lastAsked = new HashMap<>();

    SoldOutMarks(final long recheckMillis) {
        this.recheckMillis = recheckMillis;
    }

    /** Whether an order for this SKU is to be rejected now without asking; pure, so a rejected order asks nothing. */
    boolean rejectsWithoutAsking(final String sku, final long now) {
        final Long asked = lastAsked.get(sku);
        return asked != null && now - asked < recheckMillis;
    }

    /** An order is asking the owner: a marked SKU's recheck starts again from now. */
    void asking(final String sku, final long now) {
        lastAsked.computeIfPresent(sku, (k, v) -> now);
    }

    /** The owner answered: marked while it has nothing available, unmarked as soon as it has some. */
    void answered(final String sku, final long availableAfter, final long now) {
        if (availableAfter > 0) {
            lastAsked.remove(sku);
        } else {
            lastAsked.putIfAbsent(sku, now);
        }
    }
}
