package io.stockline.app.query;

import io.stockline.testkit.Http;
import io.stockline.schemas.api.Json;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.stockline.testkit.Await;
import io.stockline.app.config.ClientOverrides;
import io.stockline.app.config.ServiceConfig;
import io.stockline.app.kafka.EmbeddedKafkaBroker;
import io.stockline.app.service.Endpoints;
import io.stockline.app.service.StocklineService;
import io.stockline.app.service.TopologyFactory;
import io.stockline.schemas.EventTopic;
import io.stockline.schemas.StockAdjusted;
import io.stockline.schemas.serde.SingleObjectSerdeFactory;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads over HTTP while the ledger writes the same stores. Kafka Streams 4.3 and 4.4 take a store's two
 * locks in opposite orders in an IQv2 query (position, then store) and in a put (store, then position), so
 * a query that meets a write can deadlock the stream thread and every later query with it (KAFKA-19629):
 * the ledger stops for good, with nothing in its log. Here queries hammer the stores while thousands of
 * adjustments are applied one put at a time (caches off, as {@code run} sets them): every adjustment must
 * land, and no thread may be deadlocked.
 */
class QueriesUnderLoadTest {

    private static final SingleObjectSerdeFactory SERDES = new SingleObjectSerdeFactory();
    private static final int SKUS = 8;
    private static final int ADJUSTMENTS = 40_000;
    private static final int QUERY_THREADS = 3;
    private static final Duration WITHIN = Duration.ofSeconds(120);

    @TempDir
    Path dir;
    private EmbeddedKafkaBroker broker;
    private StocklineService ledger;
    private final AtomicBoolean querying = new AtomicBoolean(true);
    private final List<Thread> readers = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        querying.set(false);
        for (final Thread reader : readers) {
            reader.join(Duration.ofSeconds(15).toMillis());
        }
        if (ledger != null) {
            ledger.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void queriesAndWritesOfTheSameStoresNeverDeadlock() {
        // Given a ledger with every read path busy: pages, single SKUs and stale reads
        broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0);
        ledger = new StocklineService(new ServiceConfig(dir.resolve("data"), Optional.of(broker.bootstrapServers()), 0,
                ClientOverrides.none(), 2, ServiceConfig.BROKER_DEFAULT_REPLICATION, "127.0.0.1", 0, "127.0.0.1",
                "stockline-queries-under-load", 0, Duration.ofHours(1), Duration.ofMinutes(5), Optional.empty()), TopologyFactory.ledger());
        final Endpoints endpoints = ledger.start();
        final String url = endpoints.httpUrl();
        awaitCondition("the ledger ready", () -> status(url + "/ready") == 200);
        final AtomicLong answered = new AtomicLong();
        final AtomicReference<String> failure = new AtomicReference<>();
        for (int i = 0; i < QUERY_THREADS; i++) {
            final List<String> paths = List.of("/stock?limit=100", "/stock/SKU-" + i, "/stock?limit=3&allowStale=true",
                    "/stock/SKU-" + (SKUS - 1 - i) + "?allowStale=true");
            final Thread reader = new Thread(() -> query(url, paths, answered, failure), "reader-" + i);
            reader.setDaemon(true);
            reader.start();
            readers.add(reader);
        }

        // When adjustments arrive, each one a write to the store being read
        produceAdjustments();

        // Then all of them land, queries go on being answered, and nothing is deadlocked
        awaitCondition("every adjustment applied", () -> onHandTotal(url) == ADJUSTMENTS);
        final long before = answered.get();
        awaitCondition("queries answered after the load", () -> answered.get() > before + 10);
        assertNull(failure.get(), "a query failed");
        assertNull(deadlocked(), "deadlocked threads");
        System.out.println("queries under load: " + answered.get() + " answers while " + ADJUSTMENTS
                + " adjustments were applied");
        assertTrue(answered.get() > 1000, "the readers kept the stores busy: " + answered.get() + " answers");
    }

    private void query(final String url, final List<String> paths, final AtomicLong answered,
                       final AtomicReference<String> failure) {
        // Runs until the test ends. A 5xx other than 503 (Streams settling) is a failure; a read left
        // unanswered is caught by the deadlock check and the writes that stop landing.
        int next = 0;
        while (querying.get()) {
            final String path = paths.get(next++ % paths.size());
            final int status = status(url + path);
            if (status == 200 || status == 404 || status == 503) {
                answered.incrementAndGet();
            } else if (status != -1) {
                failure.compareAndSet(null, "GET " + path + " answered " + status);
            }
        }
    }

    private void produceAdjustments() {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(broker.clientConfig().producer(),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < ADJUSTMENTS; i++) {
                final String sku = "SKU-" + i % SKUS;
                producer.send(new ProducerRecord<>(EventTopic.STOCK_ADJUSTMENTS.topicName(), sku,
                        SERDES.serde(StockAdjusted.class).serializer().serialize("",
                                new StockAdjusted("adj-" + i, sku, 1L, "restock", Instant.now(), null, null, null,
                                        null, null, null, null))));
            }
        }
    }

    private static long onHandTotal(final String url) {
        final HttpResponse<String> page = Http.tryGet(url + "/stock?limit=100").orElse(null);
        if (page == null || page.statusCode() != 200) {
            return -1;
        }
        long total = 0;
        for (final JsonNode item : readTree(page.body()).get("items")) {
            total += item.get("onHand").asLong();
        }
        return total;
    }

    private static JsonNode readTree(final String body) {
        try {
            return Json.MAPPER.readTree(body);
        } catch (final java.io.IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }

    /** {@link Await#until}, failing at once, with the stacks, if threads of this JVM are deadlocked. */
    private static void awaitCondition(final String what, final BooleanSupplier condition) {
        Await.until(what, WITHIN, () -> {
            final String deadlock = deadlocked();
            if (deadlock != null) {
                throw new AssertionError("deadlocked while waiting for " + what + ":\n" + deadlock);
            }
            return condition.getAsBoolean();
        });
    }

    /** The threads of this JVM stuck in a lock cycle, with their stacks; null if none. */
    private static String deadlocked() {
        final long[] ids = ManagementFactory.getThreadMXBean().findDeadlockedThreads();
        if (ids == null) {
            return null;
        }
        return Arrays.stream(ManagementFactory.getThreadMXBean().getThreadInfo(ids, true, true))
                .map(ThreadInfo::toString).collect(Collectors.joining("\n"));
    }

    /** The status, -1 when there was no answer (refused or timed out). */
    private static int status(final String url) {
        return Http.tryGet(url).map(HttpResponse::statusCode).orElse(-1);
    }
}
