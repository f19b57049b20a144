package io.stockline.cli.reporting;

import io.stockline.app.kafka.EmbeddedKafkaBroker;
import io.stockline.app.kafka.KafkaAdmin;
import io.stockline.ledger.DeductOn;
import io.stockline.ledger.Order;
import io.stockline.ledger.StockLevel;
import io.stockline.schemas.OrderOutcome;
import io.stockline.schemas.StockMovement;
import io.stockline.schemas.serde.SingleObjectSerdeFactory;
import io.stockline.testkit.Await;
import io.stockline.topology.LedgerConfig;
import io.stockline.topology.LedgerSerdes;
import io.stockline.topology.LedgerStores;
import io.stockline.topology.LedgerTopology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The ledger topology running on a real broker with exactly-once, and what it holds: its stores, read
 * with interactive queries, and the topics the reporting tables are derived from, read committed
 * ({@link LedgerOutputs}).
 */
final class RunningLedger implements AutoCloseable {

    static final Duration POLL = Duration.ofMillis(50);

    private final KafkaStreams streams;
    private final LedgerOutputs outputs;

    private RunningLedger(final KafkaStreams streams, final LedgerOutputs outputs) {
        this.streams = streams;
        this.outputs = outputs;
    }

    static RunningLedger start(final EmbeddedKafkaBroker broker, final Path stateDir, final String applicationId) {
        return start(broker, stateDir, applicationId, DeductOn.PAYMENT);
    }

    /** The ledger taking a paid order's units off hand at {@code deductOn}. */
    static RunningLedger start(final EmbeddedKafkaBroker broker, final Path stateDir, final String applicationId,
                               final DeductOn deductOn) {
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.putAll(LedgerTopology.requiredStreamsProperties());
        final int partitions;
        try (KafkaAdmin admin = KafkaAdmin.connect(broker.clientConfig())) {
            partitions = admin.coPartitionedCount();
        }
        final KafkaStreams streams = new KafkaStreams(LedgerTopology.build(
                LedgerConfig.defaults().withPartitions(partitions).withDeductOn(deductOn),
                LedgerSerdes.create(new SingleObjectSerdeFactory())),
                props);
        streams.start();
        Await.until("Kafka Streams RUNNING", Duration.ofSeconds(60), () -> streams.state() == KafkaStreams.State.RUNNING);
        return new RunningLedger(streams, new LedgerOutputs(broker.clientConfig(), applicationId));
    }

    Map<String, StockLevel> levels() {
        return all(LedgerStores.STOCK_LEVELS);
    }

    /** The orders that have been decided, and so have an outcome. */
    Map<String, Order> decidedOrders() {
        final Map<String, Order> decided = new HashMap<>();
        this.<Order>all(LedgerStores.ORDERS).forEach((id, order) -> {
            if (order.status().isDecided()) {
                decided.put(id, order);
            }
        });
        return decided;
    }

    /** Every committed record of stock-movements, by movement id; a second record for one id fails. */
    Map<String, StockMovement> movements() {
        return outputs.movements();
    }

    /** The last committed outcome of each order. */
    Map<String, OrderOutcome> lastOutcomes() {
        return outputs.lastOutcomes();
    }

    /** Blocks until the ledger has consumed (and committed) everything in its source topics, twice in a row. */
    void awaitCaughtUp(final Duration timeout) {
        outputs.awaitCaughtUp(timeout);
    }

    private <V> Map<String, V> all(final String store) {
        final ReadOnlyKeyValueStore<String, V> view = streams.store(
                StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.<String, V>keyValueStore()));
        final Map<String, V> all = new HashMap<>();
        try (KeyValueIterator<String, V> it = view.all()) {
            while (it.hasNext()) {
                final KeyValue<String, V> next = it.next();
                all.put(next.key, next.value);
            }
        }
        return all;
    }

    @Override
    public void close() {
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(10)));
    }
}
