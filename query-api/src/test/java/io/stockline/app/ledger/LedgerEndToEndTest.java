package io.stockline.app.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stockline.testkit.Topics;
import io.stockline.testkit.Await;
import io.stockline.app.kafka.EmbeddedKafkaBroker;
import io.stockline.ledger.StockLevel;
import io.stockline.schemas.EventTopic;
import io.stockline.schemas.OrderLine;
import io.stockline.schemas.OrderOutcome;
import io.stockline.schemas.OrderPlaced;
import io.stockline.schemas.OrderStatus;
import io.stockline.schemas.PaymentEvent;
import io.stockline.schemas.PaymentOutcome;
import io.stockline.schemas.RollbackCause;
import io.stockline.schemas.StockAdjusted;
import io.stockline.schemas.StockRollback;
import io.stockline.schemas.serde.SingleObjectSerdeFactory;
import io.stockline.topology.LedgerStores;
import io.stockline.topology.LedgerTopics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.zip.CRC32;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ledger on a real broker with exactly-once: a real producer writes thousands of orders and their
 * payments, a read_committed consumer reads the outcomes, and the levels come from the stores.
 */
class LedgerEndToEndTest {

    private static final int PARTITIONS = EndToEndLedger.PARTITIONS;
    private static final Duration DEADLINE = EndToEndLedger.DEADLINE;
    private static final SingleObjectSerdeFactory SERDES = EndToEndLedger.SERDES;

    @TempDir
    Path dir;
    private EmbeddedKafkaBroker broker;

    @BeforeEach
    void startBroker() {
        broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0);
        broker.createTopics(PARTITIONS, LedgerTopics.all());
    }

    @AfterEach
    void stopBroker() {
        broker.close();
    }

    @Test
    void thousandsOfOrdersNeverOversellAndLevelsMatchTheOutcomes() throws Exception {
        final Scenario scenario = new Scenario("e2e", 3_000, 20, 40, 42);
        runAndCheck(scenario, Map.of());
    }

    @Test
    void eventsOfOneOrderMeetEvenWhenProducersPartitionUnlikeJavasDefault() throws Exception {
        final Scenario scenario = new Scenario("crc", 600, 5, 100, 7);
        runAndCheck(scenario, Map.of(ProducerConfig.PARTITIONER_CLASS_CONFIG, Crc32Partitioner.class.getName()));
    }

    private void runAndCheck(final Scenario scenario, final Map<String, Object> producerOverrides)
            throws Exception {
        try (KafkaStreams streams = startLedger(scenario)) {
            produce(scenario, producerOverrides);
            final Map<String, List<OrderStatus>> outcomes = awaitOutcomes(scenario);
            final Map<String, Long> lockedBySku = new HashMap<>();
            final Map<String, Long> soldBySku = new HashMap<>();
            long paymentFailureLines = 0;
            for (final Scenario.PlannedOrder order : scenario.orders()) {
                final List<OrderStatus> statuses = outcomes.get(order.orderId());
                final OrderStatus last = statuses.get(statuses.size() - 1);
                assertEquals(scenario.expectedStatuses(order, statuses.get(0)), statuses, order.orderId());
                final Map<String, Long> target = last == OrderStatus.RESERVED ? lockedBySku
                        : last == OrderStatus.CONFIRMED ? soldBySku : null;
                if (last == OrderStatus.CANCELLED) {
                    paymentFailureLines += order.lines().size();
                }
                if (target != null) {
                    order.lines().forEach(l -> target.merge(l.getSku(), l.getQuantity(), Long::sum));
                }
            }
            awaitLevels(streams, scenario, lockedBySku, soldBySku);
            assertRollbacks(paymentFailureLines);
        }
    }

    private KafkaStreams startLedger(final Scenario scenario) throws Exception {
        return EndToEndLedger.start(broker, dir, "stockline-" + scenario.name());
    }

    private void produce(final Scenario scenario, final Map<String, Object> overrides) {
        final Map<String, Object> config = new HashMap<>(broker.clientConfig().producer());
        config.putAll(overrides);
        try (KafkaProducer<String, byte[]> producer =
                     new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            for (final StockAdjusted adjustment : scenario.adjustments()) {
                producer.send(new ProducerRecord<>(EventTopic.STOCK_ADJUSTMENTS.topicName(), adjustment.getSku(),
                        SERDES.serde(StockAdjusted.class).serializer().serialize("", adjustment)));
            }
            producer.flush();
            for (final Scenario.PlannedOrder order : scenario.orders()) {
                producer.send(new ProducerRecord<>(EventTopic.ORDERS.topicName(), order.orderId(),
                        SERDES.serde(OrderPlaced.class).serializer().serialize("", order.event())));
                if (order.payment() != null) {
                    producer.send(new ProducerRecord<>(EventTopic.PAYMENTS.topicName(), order.orderId(),
                            SERDES.serde(PaymentEvent.class).serializer().serialize("", order.payment())));
                }
            }
        }
    }

    private Map<String, List<OrderStatus>> awaitOutcomes(final Scenario scenario) {
        final Map<String, List<OrderStatus>> outcomes = new HashMap<>();
        try (KafkaConsumer<String, OrderOutcome> consumer = consumer(SERDES.serde(OrderOutcome.class))) {
            consumer.subscribe(List.of(EventTopic.ORDER_OUTCOMES.topicName()));
            Await.until("every order's outcomes", DEADLINE, () -> {
                for (final ConsumerRecord<String, OrderOutcome> record : consumer.poll(Duration.ofMillis(200))) {
                    outcomes.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(record.value().getStatus());
                }
                return scenario.orders().stream().allMatch(o -> scenario.isComplete(o, outcomes.get(o.orderId())));
            });
        }
        return outcomes;
    }

    private void awaitLevels(final KafkaStreams streams, final Scenario scenario, final Map<String, Long> locked,
                             final Map<String, Long> sold) {
        final ReadOnlyKeyValueStore<String, StockLevel> store = streams.store(
                StoreQueryParameters.fromNameAndType(LedgerStores.STOCK_LEVELS, QueryableStoreTypes.keyValueStore()));
        final Map<String, List<Long>> expected = new HashMap<>();
        for (final String sku : scenario.skus()) {
            final long onHand = scenario.initialStock() - sold.getOrDefault(sku, 0L);
            final long lockedNow = locked.getOrDefault(sku, 0L);
            expected.put(sku, List.of(onHand, onHand - lockedNow, lockedNow));
        }
        final Map<String, List<Long>> actual = new HashMap<>();
        Await.until("levels matching the outcomes", DEADLINE, () -> {
            for (final String sku : scenario.skus()) {
                final StockLevel level = store.get(sku);
                assertTrue(level.invariantsHold(), level.toString());
                actual.put(sku, List.of(level.onHand(), level.available(), level.locked()));
            }
            return actual.equals(expected);
        });
        for (final String sku : scenario.skus()) {
            assertTrue(sold.getOrDefault(sku, 0L) + locked.getOrDefault(sku, 0L) <= scenario.initialStock(),
                    "no oversell of " + sku);
        }
    }

    /** Runs after the levels settled, so every release, and the rollback written with it, is committed. */
    private void assertRollbacks(final long expectedPaymentFailures) {
        final List<StockRollback> rollbacks = new ArrayList<>();
        try (KafkaConsumer<String, StockRollback> consumer = consumer(SERDES.serde(StockRollback.class))) {
            Topics.readToEnd(consumer, EventTopic.STOCK_ROLLBACKS.topicName(), DEADLINE)
                    .forEach(r -> rollbacks.add(r.value()));
        }
        final Set<String> ids = new HashSet<>();
        rollbacks.forEach(r -> ids.add(r.getRollbackId()));
        assertEquals(rollbacks.size(), ids.size(), "no rollback id twice");
        assertEquals(expectedPaymentFailures,
                rollbacks.stream().filter(r -> r.getCause() == RollbackCause.PAYMENT_FAILED).count());
    }

    private <V> KafkaConsumer<String, V> consumer(final org.apache.kafka.common.serialization.Serde<V> serde) {
        final Map<String, Object> config = new HashMap<>(broker.clientConfig().consumer());
        config.put("group.id", "e2e-" + System.nanoTime());
        return new KafkaConsumer<>(config, new StringDeserializer(), serde.deserializer());
    }

    /**
     * CRC32 (librdkafka's hash, not Java's murmur2) over topic and key: an order and its payment usually
     * land on different partition numbers, as they can when two services use different clients.
     */
    public static final class Crc32Partitioner implements Partitioner {
        @Override
        public int partition(final String topic, final Object key, final byte[] keyBytes, final Object value,
                             final byte[] valueBytes, final Cluster cluster) {
            final CRC32 crc = new CRC32();
            crc.update(topic.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            crc.update(keyBytes);
            return (int) (crc.getValue() % cluster.partitionCountForTopic(topic));
        }

        @Override
        public void close() {
        }

        @Override
        public void configure(final Map<String, ?> configs) {
        }
    }
}
