package io.stockline.app.query;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.stockline.app.config.ClientOverrides;
import io.stockline.app.config.ServiceConfig;
import io.stockline.app.kafka.EmbeddedKafkaBroker;
import io.stockline.app.service.StocklineService;
import io.stockline.app.service.TopologyFactory;
import io.stockline.schemas.EventTopic;
import io.stockline.schemas.OrderLine;
import io.stockline.schemas.OrderPlaced;
import io.stockline.schemas.StockAdjusted;
import io.stockline.schemas.api.Json;
import io.stockline.schemas.serde.SingleObjectSerdeFactory;
import io.stockline.testkit.Await;
import io.stockline.testkit.Http;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A query shows committed state only. The ledger commits every 15 s here, so a transaction stays open long
 * enough to look into: its writes are known to be done once its stock movements can be read uncommitted
 * from the topic, and until it commits a query must still answer with the state before them. Run with the
 * record cache off (as {@code run} ships) and on, since the stock levels go through it when it has room.
 */
class ReadCommittedQueryTest {

    private static final SingleObjectSerdeFactory SERDES = new SingleObjectSerdeFactory();
    private static final Duration COMMIT_INTERVAL = Duration.ofSeconds(15);
    private static final Duration TRANSACTION_TIMEOUT = COMMIT_INTERVAL.multipliedBy(4);
    private static final Duration WITHIN = Duration.ofSeconds(90);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final String SKU = "MUG";
    private static final String ORDER_ID = "order-1";
    /** Three level changes: the first adjustment, the second, the order's lock. */
    private static final int MOVEMENTS_WRITTEN = 3;

    @TempDir
    Path dir;
    private EmbeddedKafkaBroker broker;
    private StocklineService ledger;

    @AfterEach
    void stop() {
        if (ledger != null) {
            ledger.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @ParameterizedTest(name = "record cache of {0} bytes")
    @ValueSource(longs = {0L, 10_485_760L})
    void aQueryNeverShowsWritesWhoseTransactionHasNotCommitted(final long cacheBytes) {
        // Given a ledger holding 5 committed units of a SKU (seen the moment a commit makes them visible,
        // so the next commit is about 15 s away)
        final String url = startLedger(cacheBytes);
        produce(EventTopic.STOCK_ADJUSTMENTS, SKU, new StockAdjusted("adj-1", SKU, 5L, "received",
                Instant.now(), null, null, null, null, null, null, null));
        Await.until(SKU + " committed with 5 units", WITHIN, () -> "5/5/0".equals(levels(url)));

        // When 7 more arrive and an order locks 2, and the ledger has written both but not committed them
        produce(EventTopic.STOCK_ADJUSTMENTS, SKU, new StockAdjusted("adj-2", SKU, 7L, "received",
                Instant.now(), null, null, null, null, null, null, null));
        produce(EventTopic.ORDERS, ORDER_ID, new OrderPlaced("evt-1", ORDER_ID,
                List.of(new OrderLine(SKU, 2L, null, null)), Instant.now(), null, null));
        awaitUncommittedMovements(MOVEMENTS_WRITTEN);

        // Then queries still answer with the committed state: 5 units on hand, no such order
        assertEquals("5/5/0", levels(url), "on hand/available/locked before the commit");
        assertEquals(404, Http.get(url + "/orders/" + ORDER_ID).statusCode(), "the order before the commit");

        // and with the new state once the transaction commits
        Await.until(SKU + " committed with 12 units, 2 locked", WITHIN, () -> "12/10/2".equals(levels(url)));
        assertEquals("RESERVED", readTree(Http.get(url + "/orders/" + ORDER_ID).body()).get("status").asText());
    }

    private String startLedger(final long cacheBytes) {
        broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0);
        final ClientOverrides streams = new ClientOverrides(Map.of(
                StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Long.toString(COMMIT_INTERVAL.toMillis()),
                // Streams refuses a commit interval longer than the transaction timeout (10 s under exactly-once).
                StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG),
                Long.toString(TRANSACTION_TIMEOUT.toMillis()),
                StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, Long.toString(cacheBytes)));
        ledger = new StocklineService(new ServiceConfig(dir.resolve("data"), Optional.of(broker.bootstrapServers()), 0,
                streams, 1, ServiceConfig.BROKER_DEFAULT_REPLICATION, "127.0.0.1", 0, "127.0.0.1",
                "stockline-read-committed", 0, Duration.ofHours(1), Duration.ofMinutes(5), Optional.empty()),
                TopologyFactory.ledger());
        final String url = ledger.start().httpUrl();
        Await.until("the ledger ready", WITHIN,
                () -> Http.tryGet(url + "/ready").map(HttpResponse::statusCode).orElse(-1) == 200);
        return url;
    }

    /** Waits until {@code count} movements are on the topic, read as a read_uncommitted consumer reads them. */
    private void awaitUncommittedMovements(final int count) {
        final Map<String, Object> config = broker.clientConfig().consumer();
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_UNCOMMITTED.toString());
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            final TopicPartition partition = new TopicPartition(EventTopic.STOCK_MOVEMENTS.topicName(), 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            final AtomicInteger seen = new AtomicInteger();
            Await.until(count + " movements written, committed or not", WITHIN, () -> {
                seen.addAndGet(consumer.poll(POLL).count());
                return seen.get() >= count;
            });
        }
    }

    /** The SKU's levels as {@code onHand/available/locked}, or the status code when there are none to show. */
    private static String levels(final String url) {
        final HttpResponse<String> answer = Http.get(url + "/stock/" + SKU);
        if (answer.statusCode() != 200) {
            return Integer.toString(answer.statusCode());
        }
        final JsonNode level = readTree(answer.body());
        return level.get("onHand").asLong() + "/" + level.get("available").asLong() + "/"
                + level.get("locked").asLong();
    }

    private <T extends SpecificRecord> void produce(final EventTopic topic, final String key, final T event) {
        @SuppressWarnings("unchecked")
        final Class<T> type = (Class<T>) event.getClass();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(broker.clientConfig().producer(),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic.topicName(), key,
                    SERDES.serde(type).serializer().serialize(topic.topicName(), event)));
        }
    }

    private static JsonNode readTree(final String body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (final IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }
}
