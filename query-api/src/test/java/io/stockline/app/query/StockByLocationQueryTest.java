package io.stockline.app.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.stockline.app.config.ClientOverrides;
import io.stockline.app.config.ServiceConfig;
import io.stockline.app.http.HttpApi;
import io.stockline.app.http.Problem;
import io.stockline.app.kafka.EmbeddedKafkaBroker;
import io.stockline.app.service.Endpoints;
import io.stockline.app.service.StocklineService;
import io.stockline.app.service.TopologyFactory;
import io.stockline.ledger.AllocationPolicy;
import io.stockline.schemas.EventTopic;
import io.stockline.schemas.StockAdjusted;
import io.stockline.schemas.api.ApiPaths;
import io.stockline.schemas.api.Json;
import io.stockline.schemas.serde.SingleObjectSerdeFactory;
import io.stockline.testkit.Await;
import io.stockline.testkit.Http;
import io.stockline.testkit.Ports;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /stock/{sku}?location=} on two instances of a ledger knowing three locations: the owner narrows, so a
 * forwarded request keeps its location; a location the ledger does not know is a 404 problem naming those it does.
 */
class StockByLocationQueryTest {

    private static final SingleObjectSerdeFactory SERDES = new SingleObjectSerdeFactory();
    private static final AllocationPolicy LOCATIONS =
            new AllocationPolicy(List.of("default", "paris", "berlin"), false);
    private static final int SKUS = 12;
    private static final long UNITS = 40;

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
    void stop() throws Exception {
        for (final AutoCloseable closeable : new AutoCloseable[] {second, first, broker}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    @Test
    void aLocationNarrowsTheAnswerOnEitherInstanceAndAnUnknownOneIsA404NamingTheKnownOnes() throws Exception {
        // Given two instances knowing default, paris and berlin, and SKUs kept at the default location
        first = new StocklineService(config("a"), TopologyFactory.ledger());
        second = new StocklineService(config("b"), TopologyFactory.ledger());
        final Endpoints a = first.start();
        final Endpoints b = second.start();
        Await.until("both ready", Duration.ofSeconds(90), () -> ready(a) && ready(b));
        adjustEverySku();
        Await.until("every SKU readable", Duration.ofSeconds(60), () -> everySkuAnswers(a) && everySkuAnswers(b));

        int forwarded = 0;
        for (int i = 0; i < SKUS; i++) {
            // When a SKU is asked whole, at paris and at default, of both instances
            final HttpResponse<String> whole = Http.get(a.httpUrl() + ApiPaths.stock(sku(i)));
            final HttpResponse<String> parisFromA = Http.get(a.httpUrl() + ApiPaths.stock(sku(i), "paris"));
            final HttpResponse<String> parisFromB = Http.get(b.httpUrl() + ApiPaths.stock(sku(i), "paris"));
            final HttpResponse<String> atDefault = Http.get(b.httpUrl() + ApiPaths.stock(sku(i), "default"));

            // Then the whole view lists the one default location with everything
            final JsonNode body = json(whole);
            assertEquals(0, body.get("expired").asLong());
            assertTrue(body.get("productId").isNull());
            assertEquals(0, body.get("attributes").size());
            assertEquals(location("default", UNITS), body.get("locations"));
            // and paris, where nothing is, is zeros on either instance, forwarded or not
            assertEquals(200, parisFromA.statusCode(), parisFromA.body());
            assertEquals(parisFromA.body(), parisFromB.body());
            final JsonNode paris = json(parisFromA);
            assertEquals(List.of(0L, 0L, 0L, 0L), totals(paris));
            assertEquals(location("paris", 0), paris.get("locations"));
            // and default is the SKU's totals
            assertEquals(List.of(UNITS, UNITS, 0L, 0L), totals(json(atDefault)));
            forwarded += servedBy(parisFromA).equals(Ports.hostOf(a.httpUrl())) ? 0 : 1;
            forwarded += servedBy(parisFromB).equals(Ports.hostOf(b.httpUrl())) ? 0 : 1;
        }
        assertTrue(forwarded > 0, "some requests were forwarded to the other instance");

        // When a location the ledger does not know is asked
        final HttpResponse<String> rome = Http.get(b.httpUrl() + ApiPaths.stock(sku(0), "rome"));

        // Then it is a 404 problem naming the locations it knows
        assertEquals(404, rome.statusCode());
        assertTrue(rome.headers().firstValue("Content-Type").orElseThrow().startsWith(Problem.CONTENT_TYPE));
        assertEquals("no location 'rome' in this ledger; it knows default, paris, berlin",
                json(rome).get("detail").asText());
    }

    private ServiceConfig config(final String name) {
        return new ServiceConfig(dir.resolve(name), Optional.of(broker.bootstrapServers()), 0, ClientOverrides.none(),
                6, ServiceConfig.BROKER_DEFAULT_REPLICATION, "127.0.0.1", 0, "127.0.0.1", "stockline-located", 1,
                Duration.ofHours(1), Duration.ofMinutes(5), Optional.empty()).withAllocation(LOCATIONS);
    }

    private void adjustEverySku() {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(broker.clientConfig().producer(),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < SKUS; i++) {
                producer.send(new ProducerRecord<>(EventTopic.STOCK_ADJUSTMENTS.topicName(), sku(i),
                        SERDES.serde(StockAdjusted.class).serializer().serialize("",
                                new StockAdjusted("adj-" + i, sku(i), UNITS, "initial", Instant.now(), null, null, null, null, null, null, null))));
            }
        }
    }

    private static boolean everySkuAnswers(final Endpoints instance) {
        for (int i = 0; i < SKUS; i++) {
            if (Http.get(instance.httpUrl() + ApiPaths.stock(sku(i))).statusCode() != 200) {
                return false;
            }
        }
        return true;
    }

    /** SKUs that need encoding, so the location is shown to survive forwarding beside them. */
    private static String sku(final int i) {
        return "JUICE/" + i + " ü";
    }

    /** A list of one location holding {@code units}, all available, none in a batch. */
    private static JsonNode location(final String name, final long units) throws Exception {
        return Json.MAPPER.readTree("[{\"location\":\"" + name + "\",\"onHand\":" + units + ",\"available\":" + units
                + ",\"locked\":0,\"expired\":0,\"batches\":[]}]");
    }

    private static List<Long> totals(final JsonNode view) {
        return List.of(view.get("onHand").asLong(), view.get("available").asLong(), view.get("locked").asLong(),
                view.get("expired").asLong());
    }

    private static boolean ready(final Endpoints instance) {
        return Http.get(instance.httpUrl() + ApiPaths.READY).statusCode() == 200;
    }

    private static String servedBy(final HttpResponse<String> response) {
        return response.headers().firstValue(HttpApi.SERVED_BY).orElseThrow();
    }

    private static JsonNode json(final HttpResponse<String> response) throws Exception {
        return Json.MAPPER.readTree(response.body());
    }
}
