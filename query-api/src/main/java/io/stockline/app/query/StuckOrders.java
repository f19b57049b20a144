package io.stockline.app.query;

import io.stockline.ledger.Order;
import io.stockline.ledger.OrderStatus;
import io.stockline.topology.LedgerStores;
import java.time.Duration;
import java.util.Iterator;
import java.util.OptionalLong;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;

/**
 * The orders of this instance's active partitions that have been PENDING for longer than {@link #THRESHOLD}. An order
 * is PENDING only while the tasks owning its SKUs answer its reserve requests, which takes milliseconds; one that stays
 * so is waiting on a task that does not answer. The ledger keeps no count of them, so this reads the whole store:
 * call it seldom, and never on a request thread.
 */
public final class StuckOrders {

    public static final Duration THRESHOLD = Duration.ofMinutes(1);

    private StuckOrders() {
    }

    /** The count now, or empty while Kafka Streams is not RUNNING or a partition of the store cannot be read. */
    public static OptionalLong count(final KafkaStreams streams, final long nowMillis) {
        if (streams == null || streams.state() != KafkaStreams.State.RUNNING) {
            return OptionalLong.empty();
        }
        try (KeyValueIterator<String, Order> orders = streams.store(StoreQueryParameters.fromNameAndType(
                LedgerStores.ORDERS, QueryableStoreTypes.<String, Order>keyValueStore())).all()) {
            return OptionalLong.of(countPendingSince(orders, nowMillis - THRESHOLD.toMillis()));
        } catch (final InvalidStateStoreException e) {
            return OptionalLong.empty();
        }
    }

    /** The PENDING orders whose last change is at or before {@code cutoffMillis}. */
    static long countPendingSince(final Iterator<KeyValue<String, Order>> orders, final long cutoffMillis) {
        long stuck = 0;
        while (orders.hasNext()) {
            final Order order = orders.next().value;
            if (order.status() == OrderStatus.PENDING && order.updatedAt() <= cutoffMillis) {
                stuck++;
            }
        }
        return stuck;
    }
}
