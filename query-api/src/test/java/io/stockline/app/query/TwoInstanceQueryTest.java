package io.stockline.app.query;

import io.stockline.schemas.api.Json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.stockline.app.config.ClientOverrides;
import io.stockline.app.config.ServiceConfig;
import io.stockline.app.http.HttpApi;
import io.stockline.app.kafka.EmbeddedKafkaBroker;
import io.stockline.app.service.Endpoints;
import io.stockline.app.service.StocklineService;
import io.stockline.app.service.TopologyFactory;
import io.stockline.schemas.EventTopic;
import io.stockline.schemas.OrderLine;
import io.stockline.schemas.OrderPlaced;
import io.stockline.schemas.StockAdjusted;
import io.stockline.schemas.serde.SingleObjectSerdeFactory;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances of the service in one JVM on one broker, 6 partitions: every key is answered the same by
 * both (forwarding when the other owns it), and when one stops the other takes over, answering 503 with
 * Retry-After, never wrong data, during the gap.
 */
class TwoInstanceQueryTest {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final SingleObjectSerdeFactory SERDES = new SingleObjectSerdeFactory();
    private static final Duration POLL = Duration.ofMillis(100);
    private static final int SKUS = 30;

    @TempDir
    Path dir;
    private EmbeddedKafkaBroker broker;
    private StocklineService first;
    private StocklineService second;

    @BeforeEach
    void start() {
        broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0);
    }

    @AfterEach
    void stop() {
        for (final AutoCloseable closeable : new AutoCloseable[] {second, first, broker}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (final Exception e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void bothInstancesAnswerEveryKeyAlikeAndTheSurvivorTakesOverWithin30Seconds() throws Exception {
        // Given two instances, and stock and orders spread over all six partitions
        first = new StocklineService(config("a"), TopologyFactory.ledger());
        second = new StocklineService(config("b"), TopologyFactory.ledger());
        final Endpoints a = first.start();
        final Endpoints b = second.start();
        await(Duration.ofSeconds(90), "both ready", () -> ready(a) && ready(b));
        produceStockAndOrders();
        final List<String> paths = keyPaths();
        await(Duration.ofSeconds(60), "every key readable", () -> paths.stream().allMatch(p -> get(a, p).statusCode() == 200
                && !json(get(a, p)).path("status").asText().equals("PENDING")));

        // When every key is asked of both instances
        final Map<String, String> answers = new HashMap<>();
        int forwardedByA = 0;
        int forwardedByB = 0;
        for (final String path : paths) {
            final HttpResponse<String> fromA = get(a, path);
            final HttpResponse<String> fromB = get(b, path);
            // Then both give the identical answer, and each forwards the keys the other owns
            assertEquals(200, fromA.statusCode(), path);
            assertEquals(fromA.body(), fromB.body(), path);
            answers.put(path, fromA.body());
            forwardedByA += servedBy(fromA).equals(hostOf(a)) ? 0 : 1;
            forwardedByB += servedBy(fromB).equals(hostOf(b)) ? 0 : 1;
        }
        assertTrue(forwardedByA > 0 && forwardedByB > 0,
                "forwarded by a: " + forwardedByA + ", by b: " + forwardedByB);
        assertEquals(allSkusByPaging(a), allSkusByPaging(b));
        assertEquals(SKUS, allSkusByPaging(a).size());

        // When the second instance stops
        second.close();
        second = null;
        final Instant stoppedAt = Instant.now();

        // Then the first answers every key again within 30 s; meanwhile only the right data or 503 + Retry-After
        await(Duration.ofSeconds(30), "the survivor answering every key", () -> {
            boolean all = true;
            for (final String path : paths) {
                final HttpResponse<String> response = get(a, path);
                if (response.statusCode() == 200) {
                    assertEquals(answers.get(path), response.body(), "never wrong data: " + path);
                } else {
                    assertEquals(503, response.statusCode(), path + ": " + response.body());
                    assertTrue(response.headers().firstValue("Retry-After").isPresent(), "Retry-After on 503");
                    all = false;
                }
            }
            return all;
        });
        System.out.println("survivor answered every key " + Duration.between(stoppedAt, Instant.now()).toMillis()
                + " ms after the other instance stopped");
        assertEquals(SKUS, allSkusByPaging(a).size());
    }

    private ServiceConfig config(final String name) {
        return new ServiceConfig(dir.resolve(name), Optional.of(broker.bootstrapServers()), 0, ClientOverrides.none(),
                6, ServiceConfig.BROKER_DEFAULT_REPLICATION, "127.0.0.1", 0, "127.0.0.1", "stockline-two", 1,
                Duration.ofHours(1), Duration.ofMinutes(5));
    }

    private void produceStockAndOrders() {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(broker.clientConfig().producer(),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < SKUS; i++) {
                final String sku = sku(i);
                producer.send(new ProducerRecord<>(EventTopic.STOCK_ADJUSTMENTS.topicName(), sku,
                        SERDES.serde(StockAdjusted.class).serializer().serialize("",
                                new StockAdjusted("adj-" + i, sku, 100L, "initial", Instant.now()))));
            }
            producer.flush();
            for (int i = 0; i < SKUS; i++) {
                final OrderPlaced order = OrderPlaced.newBuilder().setEventId("e-" + i).setOrderId(orderId(i))
                        .setLines(List.of(new OrderLine(sku(i), 1L + i % 3))).setPlacedAt(Instant.now())
                        .setHoldMillis(null).build();
                producer.send(new ProducerRecord<>(EventTopic.ORDERS.topicName(), order.getOrderId(),
                        SERDES.serde(OrderPlaced.class).serializer().serialize("", order)));
            }
        }
    }

    private static List<String> keyPaths() {
        final List<String> paths = new ArrayList<>();
        for (int i = 0; i < SKUS; i++) {
            paths.add("/stock/" + encode(sku(i)));
            paths.add("/orders/" + encode(orderId(i)));
        }
        return paths;
    }

    /** SKUs with characters that need encoding, so forwarding is shown to keep them intact. */
    private static String sku(final int i) {
        return "SKU/" + i + " ü";
    }

    private static String orderId(final int i) {
        return "order #" + i;
    }

    private List<String> allSkusByPaging(final Endpoints instance) {
        final List<String> skus = new ArrayList<>();
        String after = null;
        do {
            final String cursor = after == null ? "" : "&after=" + encode(after);
            final HttpResponse<String> response = get(instance, "/stock?limit=7" + cursor);
            assertEquals(200, response.statusCode(), response.body());
            final JsonNode page = json(response);
            page.get("items").forEach(item -> skus.add(item.get("sku").asText()));
            after = page.get("next").isNull() ? null : page.get("next").asText();
        } while (after != null);
        assertFalse(skus.isEmpty());
        return skus;
    }

    private static boolean ready(final Endpoints instance) {
        return get(instance, "/ready").statusCode() == 200;
    }

    private static String servedBy(final HttpResponse<String> response) {
        return response.headers().firstValue(HttpApi.SERVED_BY).orElseThrow();
    }

    private static String hostOf(final Endpoints instance) {
        return URI.create(instance.httpUrl()).getHost() + ":" + URI.create(instance.httpUrl()).getPort();
    }

    private static HttpResponse<String> get(final Endpoints instance, final String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(instance.httpUrl() + path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (final Exception e) {
            throw new AssertionError("GET " + path, e);
        }
    }

    private static JsonNode json(final HttpResponse<String> response) {
        try {
            return Json.MAPPER.readTree(response.body());
        } catch (final Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String encode(final String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static void await(final Duration within, final String what, final BooleanSupplier condition) {
        final Instant deadline = Instant.now().plus(within);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not within " + within + ": " + what);
            }
            LockSupport.parkNanos(POLL.toNanos());
        }
    }
}
