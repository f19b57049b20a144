package io.stockline.cli.reporting;

import io.stockline.testkit.Topics;
import io.stockline.testkit.Await;
import io.stockline.app.kafka.EmbeddedKafkaBroker;
import io.stockline.app.kafka.KafkaAdmin;
import io.stockline.ledger.Order;
import io.stockline.ledger.StockLevel;
import io.stockline.schemas.EventTopic;
import io.stockline.schemas.OrderOutcome;
import io.stockline.schemas.StockMovement;
import io.stockline.schemas.serde.SingleObjectSerdeFactory;
import io.stockline.topology.LedgerConfig;
import io.stockline.topology.LedgerSerdes;
import io.stockline.topology.LedgerStores;
import io.stockline.topology.LedgerTopics;
import io.stockline.topology.LedgerTopology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
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
 * with interactive queries, and the topics the reporting tables are derived from, read committed.
 */
final class RunningLedger implements AutoCloseable {

    static final Duration POLL = Duration.ofMillis(50);

    private final EmbeddedKafkaBroker broker;
    private final String applicationId;
    private final KafkaStreams streams;

    private RunningLedger(final EmbeddedKafkaBroker broker, final String applicationId, final KafkaStreams streams) {
        this.broker = broker;
        this.applicationId = applicationId;
        this.streams = streams;
    }

    static RunningLedger start(final EmbeddedKafkaBroker broker, final Path stateDir, final String applicationId) {
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
                LedgerConfig.defaults().withPartitions(partitions), LedgerSerdes.create(new SingleObjectSerdeFactory())),
                props);
        streams.start();
        Await.until("Kafka Streams RUNNING", Duration.ofSeconds(60), () -> streams.state() == KafkaStreams.State.RUNNING);
        return new RunningLedger(broker, applicationId, streams);
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
        final Map<String, StockMovement> movements = new HashMap<>();
        for (final StockMovement movement : readCommitted(EventTopic.STOCK_MOVEMENTS, StockMovement.class)) {
            final StockMovement before = movements.put(movement.getMovementId(), movement);
            if (before != null) {
                throw new AssertionError("the ledger wrote movement " + before + " twice");
            }
        }
        return movements;
    }

    /** The last committed outcome of each order: an order's outcomes are in one partition, in order. */
    Map<String, OrderOutcome> lastOutcomes() {
        final Map<String, OrderOutcome> last = new HashMap<>();
        readCommitted(EventTopic.ORDER_OUTCOMES, OrderOutcome.class).forEach(o -> last.put(o.getOrderId(), o));
        return last;
    }

    /** Blocks until the ledger has consumed (and committed) everything in its source topics, twice in a row. */
    void awaitCaughtUp(final Duration timeout) {
        try (Admin admin = Admin.create(broker.clientConfig().admin())) {
            final int[] quiet = {0};
            Await.until("the ledger to process every event", timeout, () -> {
                quiet[0] = lag(admin) == 0 ? quiet[0] + 1 : 0;
                return quiet[0] >= 2;
            });
        }
    }

    private long lag(final Admin admin) {
        try {
            final Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(applicationId).partitionsToOffsetAndMetadata().get();
            final Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(LedgerTopics.coPartitioned()).allTopicNames().get().forEach((topic, description) ->
                    description.partitions().forEach(p -> latest.put(new TopicPartition(topic, p.partition()),
                            OffsetSpec.latest())));
            long lag = 0;
            for (final var end : admin.listOffsets(latest).all().get().entrySet()) {
                final OffsetAndMetadata done = committed.get(end.getKey());
                lag += end.getValue().offset() - (done == null ? 0 : done.offset());
            }
            return lag;
        } catch (final ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private <V extends SpecificRecord> List<V> readCommitted(final EventTopic eventTopic, final Class<V> type) {
        final String topic = eventTopic.topicName();
        final Map<String, Object> config = new HashMap<>(broker.clientConfig().consumer());
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        final List<V> values = new ArrayList<>();
        final Deserializer<V> reader = new SingleObjectSerdeFactory().serde(type).deserializer();
        try (KafkaConsumer<byte[], V> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), reader)) {
            Topics.readToEnd(consumer, topic, Duration.ofSeconds(30)).forEach(r -> values.add(r.value()));
        }
        return values;
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
