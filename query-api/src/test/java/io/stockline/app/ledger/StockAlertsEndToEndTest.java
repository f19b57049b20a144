package io.stockline.app.ledger;

import static io.stockline.app.ledger.EndToEndLedger.partitionOf;
import static io.stockline.app.ledger.EndToEndLedger.send;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.stockline.app.kafka.EmbeddedKafkaBroker;
import io.stockline.ledger.StockLevel;
import io.stockline.schemas.EventTopic;
import io.stockline.schemas.OrderLine;
import io.stockline.schemas.OrderPlaced;
import io.stockline.schemas.PaymentEvent;
import io.stockline.schemas.PaymentOutcome;
import io.stockline.schemas.StockAdjusted;
import io.stockline.schemas.StockAlert;
import io.stockline.schemas.StockAlertKind;
import io.stockline.schemas.serde.SingleObjectSerdeFactory;
import io.stockline.testkit.Await;
import io.stockline.testkit.Topics;
import io.stockline.topology.LedgerMetrics;
import io.stockline.topology.LedgerStores;
import io.stockline.topology.LedgerTopics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
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
 * The stock alerts on a real broker with exactly-once: a SKU's life of restocks, orders from other tasks, an
 * expiry, a payment and a threshold change, and a read_committed consumer that finds each crossing once.
 */
class StockAlertsEndToEndTest {

    private static final int PARTITIONS = EndToEndLedger.PARTITIONS;
    private static final Duration DEADLINE = EndToEndLedger.DEADLINE;
    private static final SingleObjectSerdeFactory SERDES = EndToEndLedger.SERDES;
    private static final String SKU = "MUG-BLUE";
    private static final long SHORT_HOLD_MILLIS = 2_000L;
    private static final long LONG_HOLD_MILLIS = 600_000L;

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
    void eachCrossingOfASkusAvailableStockIsOneCommittedAlert() throws Exception {
        final String kept = orderElsewhere("kept");
        final String expiring = orderElsewhere("expiring");
        try (KafkaStreams streams = startLedger();
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(broker.clientConfig().producer(),
                     new StringSerializer(), new ByteArraySerializer())) {
            final ReadOnlyKeyValueStore<String, StockLevel> levels = streams.store(StoreQueryParameters
                    .fromNameAndType(LedgerStores.STOCK_LEVELS, QueryableStoreTypes.keyValueStore()));
            // Given 3 units with a threshold of 2: the SKU's first stock
            send(producer, EventTopic.STOCK_ADJUSTMENTS, SKU, adjustment("a1", 3, 2L));
            awaitVersion(levels, 1);
            // When an order takes 1 (down to the threshold), another the last 2 and lets its hold run out
            send(producer, EventTopic.ORDERS, kept, order(kept, 1, LONG_HOLD_MILLIS));
            awaitVersion(levels, 2);
            send(producer, EventTopic.ORDERS, expiring, order(expiring, 2, SHORT_HOLD_MILLIS));
            awaitVersion(levels, 4);
            // and the first is paid, 10 arrive, the first adjustment comes again, and the threshold goes up to 20
            send(producer, EventTopic.PAYMENTS, kept, new PaymentEvent("p1", kept, PaymentOutcome.CAPTURED,
                    Instant.now(), null, true));
            send(producer, EventTopic.STOCK_ADJUSTMENTS, SKU, adjustment("a2", 10, null));
            send(producer, EventTopic.STOCK_ADJUSTMENTS, SKU, adjustment("a1", 3, 2L));
            send(producer, EventTopic.STOCK_ADJUSTMENTS, SKU, adjustment("a3", 0, 20L));
            awaitVersion(levels, 7);

            // Then each crossing is on stock-alerts once, in the order it happened
            assertEquals(List.of(
                    expected(StockAlertKind.BACK_IN_STOCK, 3, 2L), expected(StockAlertKind.LOW_STOCK, 2, 2L),
                    expected(StockAlertKind.SOLD_OUT, 0, 2L), expected(StockAlertKind.BACK_IN_STOCK, 2, 2L),
                    expected(StockAlertKind.LOW_STOCK, 2, 2L), expected(StockAlertKind.LOW_STOCK, 12, 20L)),
                    committedAlerts());
            assertEquals(Map.of("BACK_IN_STOCK", 2.0, "LOW_STOCK", 3.0, "SOLD_OUT", 1.0), alertCounters(streams));
        }
    }

    private KafkaStreams startLedger() throws Exception {
        return EndToEndLedger.start(broker, dir, "stockline-alerts");
    }

    /**
     * Waits until the SKU's committed level has this version: each step is applied before the next is sent, so
     * steps on different topics cannot overtake each other.
     */
    private static void awaitVersion(final ReadOnlyKeyValueStore<String, StockLevel> levels, final long version) {
        Await.until(SKU + " at version " + version, DEADLINE, () -> {
            final StockLevel level = levels.get(SKU);
            return level != null && level.version() == version;
        });
    }

    /** An order id whose task is not the SKU's, so every lock and release crosses the SKU command topic. */
    private static String orderElsewhere(final String prefix) {
        final String order = IntStream.range(0, 1_000).mapToObj(i -> prefix + "-" + i)
                .filter(id -> partitionOf(id) != partitionOf(SKU)).findFirst().orElseThrow();
        assertNotEquals(partitionOf(SKU), partitionOf(order));
        return order;
    }

    private static StockAdjusted adjustment(final String id, final long delta, final Long threshold) {
        return new StockAdjusted(id, SKU, delta, "delivery", Instant.now(), threshold, null, null, null, null, null,
                null);
    }

    private static OrderPlaced order(final String orderId, final long quantity, final long holdMillis) {
        return OrderPlaced.newBuilder().setEventId(orderId + "-placed").setOrderId(orderId)
                .setLines(List.of(new OrderLine(SKU, quantity, null, null)))
                .setPlacedAt(Instant.now()).setHoldMillis(holdMillis)
                .build();
    }

    /** An alert as the test expects it: its time is the ledger's, so it is left out of the comparison. */
    private static String expected(final StockAlertKind kind, final long available, final Long threshold) {
        return SKU + " " + kind + " " + available + " " + threshold;
    }

    private List<String> committedAlerts() {
        final Map<String, Object> config = new HashMap<>(broker.clientConfig().consumer());
        config.put("group.id", "alerts-" + System.nanoTime());
        try (KafkaConsumer<String, StockAlert> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                SERDES.serde(StockAlert.class).deserializer())) {
            return Topics.readToEnd(consumer, EventTopic.STOCK_ALERTS.topicName(), DEADLINE).stream()
                    .map(StockAlertsEndToEndTest::describe).toList();
        }
    }

    private static String describe(final ConsumerRecord<String, StockAlert> record) {
        final StockAlert alert = record.value();
        assertEquals(alert.getSku(), record.key(), "keyed by sku");
        assertNull(alert.getLocation(), "no location: stock is kept per SKU");
        return alert.getSku() + " " + alert.getKind() + " " + alert.getAvailable() + " " + alert.getThreshold();
    }

    /** The ledger's stock-alerts counters by kind, summed over tasks and threads. */
    private static Map<String, Double> alertCounters(final KafkaStreams streams) {
        final Map<String, Double> counts = new HashMap<>();
        streams.metrics().forEach((name, metric) -> {
            if (name.group().equals("stream-" + LedgerMetrics.SCOPE + "-metrics")
                    && name.name().equals(LedgerMetrics.STOCK_ALERTS + "-total")) {
                counts.merge(name.tags().get("kind"), ((Number) metric.metricValue()).doubleValue(), Double::sum);
            }
        });
        return counts;
    }
}
