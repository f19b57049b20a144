package io.stockline.app.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stockline.ledger.Order;
import io.stockline.ledger.OrderStatus;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;

class StuckOrdersTest {

    private static final long CUTOFF = 1_000_000L;

    @Test
    void countsOnlyPendingOrdersUnchangedSinceTheCutoff() {
        // Given orders of every kind around the cutoff
        final List<KeyValue<String, Order>> orders = List.of(
                order("pending-long", OrderStatus.PENDING, CUTOFF - 1),
                order("pending-at-cutoff", OrderStatus.PENDING, CUTOFF),
                order("pending-recent", OrderStatus.PENDING, CUTOFF + 1),
                order("reserved-long", OrderStatus.RESERVED, CUTOFF - 1),
                order("awaiting-long", OrderStatus.AWAITING_ORDER, CUTOFF - 1));

        // When they are counted, then only the PENDING ones last changed at or before it are stuck
        assertEquals(2, StuckOrders.countPendingSince(orders.iterator(), CUTOFF));
    }

    private static KeyValue<String, Order> order(final String id, final OrderStatus status, final long updatedAt) {
        return KeyValue.pair(id, new Order(id, status, "evt-" + id, List.of(), 0, null, 0, null, updatedAt, Map.of(),
                1, null, List.of(), List.of()));
    }
}
