package io.stockline.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stockline.schemas.StockMovement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Each SKU's stock movements added up, in the order they came: every movement id once, versions counting up
 * from 1, and the sums to be compared with the SKU's levels.
 */
public final class MovementSums {

    private final Map<String, long[]> sums = new HashMap<>();
    private final Set<String> ids = new HashSet<>();

    /** Adds a movement, checking its id is new and its version the next; returns its SKU's sums so far. */
    public List<Long> add(final StockMovement movement) {
        assertTrue(ids.add(movement.getMovementId()), "movement id twice: " + movement);
        final long[] sum = sums.computeIfAbsent(movement.getSku(), k -> new long[4]);
        sum[0] += movement.getOnHandDelta();
        sum[1] += movement.getAvailableDelta();
        sum[2] += movement.getLockedDelta();
        sum[3]++;
        assertEquals(sum[3], movement.getVersion(), "movements of one SKU come in version order: " + movement);
        return asList(sum);
    }

    /** On hand, available, locked and version, as the SKU's movements add up to them; null for a SKU never moved. */
    public List<Long> of(final String sku) {
        final long[] sum = sums.get(sku);
        return sum == null ? null : asList(sum);
    }

    public Set<String> skus() {
        return sums.keySet();
    }

    public int movements() {
        return ids.size();
    }

    private static List<Long> asList(final long[] sum) {
        return List.of(sum[0], sum[1], sum[2], sum[3]);
    }
}
