package io.stockline.app.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.testtools.JavalinTest;
import io.javalin.testtools.Response;
import io.stockline.app.query.OrderView;
import io.stockline.ledger.AllocationPolicy;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The query routes over a fake ledger: status codes, problem bodies, parameters and key encoding. */
class QueryRoutesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final FakeQueries ledger = new FakeQueries().put("MUG-BLUE", 10, 2).put("TEE-M", 5, 0);
    private final HttpApi api = new HttpApi(() -> KafkaStreams.State.RUNNING, ledger, new HttpMetrics());

    @Test
    void stockOfAKnownSkuIsItsLevels() {
        JavalinTest.test(api.create(), (server, client) -> {
            final Response response = client.get("/stock/MUG-BLUE");

            assertEquals(200, response.code());
            final JsonNode body = json(response);
            assertEquals("MUG-BLUE", body.get("sku").asText());
            assertEquals(10, body.get("onHand").asLong());
            assertEquals(8, body.get("available").asLong());
            assertEquals(2, body.get("locked").asLong());
            assertEquals(1, body.get("version").asLong());
            assertEquals("2026-11-22T10:00:00Z", body.get("updatedAt").asText());
            assertEquals("routed", response.headers().get(HttpApi.SERVED_BY).get(0));
        });
    }

    @Test
    void aKnownLocationReachesTheLedgerAndAnUnknownOneIsA404NamingTheKnownOnes() {
        final HttpApi located = new HttpApi(() -> KafkaStreams.State.RUNNING, ledger, new HttpMetrics(),
                io.stockline.app.console.Console.unconnected(),
                new AllocationPolicy(List.of("berlin", "paris"), false));
        ledger.stock.put("MUG-BLUE@paris", ledger.stock.get("MUG-BLUE"));
        JavalinTest.test(located.create(), (server, client) -> {
            assertEquals(200, client.get("/stock/MUG-BLUE?location=paris").code());
            final Response unknown = client.get("/stock/MUG-BLUE?location=default");

            assertProblem(unknown, 404);
            assertEquals("no location 'default' in this ledger; it knows berlin, paris",
                    json(unknown).get("detail").asText());
            assertEquals(200, client.get("/internal/stock/MUG-BLUE?location=paris").code());
            assertEquals(List.of("stock:MUG-BLUE@paris:false", "local-stock:MUG-BLUE@paris:false"), ledger.asked);
        });
    }

    @Test
    void skuTheLedgerHasNeverSeenIsA404Problem() {
        JavalinTest.test(api.create(), (server, client) -> {
            final Response response = client.get("/stock/NOPE");

            assertProblem(response, 404);
            assertEquals("no such SKU in the ledger", json(response).get("detail").asText());
        });
    }

    @Test
    void storeThatCannotAnswerYetIsA503WithRetryAfterNotAWait() {
        JavalinTest.test(api.create(), (server, client) -> {
            final Response response = client.get("/stock/" + FakeQueries.BUSY);

            assertProblem(response, 503);
            assertEquals("2", response.headers().get("Retry-After").get(0));
            assertEquals("rebalancing", json(response).get("detail").asText());
        });
    }

    @Test
    void orderIsItsLinesStatusAndTimes() {
        ledger.orders.put("o-1", new OrderView("o-1", "RESERVED", List.of(new OrderView.LineView("MUG-BLUE", 2, null, null)),
                FakeQueries.AT, FakeQueries.AT.plusSeconds(900), FakeQueries.AT, null,
                List.of(new OrderView.LineView("MUG-BLUE", 2, null, null)), List.of()));
        JavalinTest.test(api.create(), (server, client) -> {
            final JsonNode body = json(client.get("/orders/o-1"));

            assertEquals("RESERVED", body.get("status").asText());
            assertEquals("MUG-BLUE", body.get("lines").get(0).get("sku").asText());
            assertEquals(2, body.get("locked").get(0).get("quantity").asLong());
            assertEquals(0, body.get("sold").size());
            assertEquals("2026-11-22T10:15:00Z", body.get("expiresAt").asText());
            assertTrue(body.get("reason").isNull());
            assertProblem(client.get("/orders/o-2"), 404);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/b", "with space", "100%", "ünïcødé-😀", "q?x#y", "a+b", "semi;colon", "..", "\\"})
    void keysWithAnyPrintableCharacterWorkPercentEncoded(final String sku) {
        ledger.put(sku, 3, 1);
        JavalinTest.test(api.create(), (server, client) -> {
            final Response response = client.get("/stock/" + URLEncoder.encode(sku, StandardCharsets.UTF_8)
                    .replace("+", "%20"));

            assertEquals(200, response.code(), () -> bodyOf(response));
            assertEquals(sku, json(response).get("sku").asText());
            assertEquals("stock:" + sku + ":false", ledger.asked.get(ledger.asked.size() - 1));
        });
    }

    @Test
    void keyLongerThan256CharactersIsA400NotA500() {
        JavalinTest.test(api.create(), (server, client) -> {
            assertProblem(client.get("/stock/" + "x".repeat(257)), 400);
            assertProblem(client.get("/orders/" + "x".repeat(10_000)), 400);
            assertEquals(200, client.get("/stock/MUG-BLUE").code());
            assertTrue(ledger.asked.stream().noneMatch(a -> a.contains("xxx")), "never reaches the ledger");
        });
    }

    @Test
    void pagesWalkTheSkusInOrderWithACursor() {
        ledger.put("A", 1, 0).put("B", 1, 0);
        JavalinTest.test(api.create(), (server, client) -> {
            final JsonNode first = json(client.get("/stock?limit=2"));
            assertEquals(List.of("A", "B"), skus(first));
            assertEquals("B", first.get("next").asText());

            final JsonNode second = json(client.get("/stock?limit=2&after=B"));
            assertEquals(List.of("MUG-BLUE", "TEE-M"), skus(second));
            assertTrue(second.get("next").isNull());
        });
    }

    /** What the ledger is asked, after HTTP decoding: the page size defaults to 100; allowStale gets through. */
    @ParameterizedTest
    @CsvSource({"/stock, page:null:100:false", "/stock/MUG-BLUE?allowStale=true, stock:MUG-BLUE:true",
            "/stock?product=JUICE%20ü&limit=3, page:null:3:product=JUICE ü:false"})
    void parametersReachTheLedger(final String path, final String asked) {
        JavalinTest.test(api.create(), (server, client) -> {
            client.get(path);

            assertEquals(asked, ledger.asked.get(0));
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"limit=0", "limit=1001", "limit=abc", "limit=", "limit=-5", "allowStale=maybe", "product=",
            "product=%20%20"})
    void badQueryParametersAreA400Problem(final String query) {
        JavalinTest.test(api.create(), (server, client) -> {
            final Response response = client.get("/stock?" + query);

            assertProblem(response, 400);
            assertTrue(ledger.asked.isEmpty());
        });
    }

    @Test
    void internalEndpointsAskOnlyTheLocalStores() {
        JavalinTest.test(api.create(), (server, client) -> {
            assertEquals("local", client.get("/internal/stock/MUG-BLUE").headers().get(HttpApi.SERVED_BY).get(0));
            client.get("/internal/orders/o-9");
            client.get("/internal/stock?limit=5");
            client.get("/internal/stock?limit=5&product=JUICE");

            assertEquals(List.of("local-stock:MUG-BLUE:false", "local-order:o-9:false", "local-page:null:5:false",
                    "local-page:null:5:product=JUICE:false"), ledger.asked);
        });
    }

    @Test
    void wrongMethodIsA4xxProblemNotA500() {
        JavalinTest.test(api.create(), (server, client) -> {
            final Response response = client.post("/stock/MUG-BLUE", "{}");

            assertTrue(response.code() >= 400 && response.code() < 500, "got " + response.code());
            assertFalse(bodyOf(response).contains("Exception"), "no stack trace in the response");
        });
    }

    @Test
    void metricsAreInPrometheusTextFormatWithRequestTimings() {
        JavalinTest.test(api.create(), (server, client) -> {
            client.get("/stock/MUG-BLUE");
            final Response response = client.get("/metrics");

            assertEquals(200, response.code());
            final String body = bodyOf(response);
            assertTrue(body.contains("http_server_requests_seconds_count{method=\"GET\",route=\"/stock/{sku}\",status=\"200\"}"),
                    body);
            assertTrue(body.contains("jvm_memory_used_bytes"), "JVM metrics");
        });
    }

    private static List<String> skus(final JsonNode page) {
        final List<String> skus = new java.util.ArrayList<>();
        page.get("items").forEach(item -> skus.add(item.get("sku").asText()));
        return skus;
    }

    private static void assertProblem(final Response response, final int status) throws Exception {
        assertEquals(status, response.code());
        assertTrue(response.headers().get("Content-Type").get(0).startsWith(Problem.CONTENT_TYPE));
        final JsonNode problem = json(response);
        assertEquals(status, problem.get("status").asInt());
        assertEquals("about:blank", problem.get("type").asText());
        assertTrue(problem.hasNonNull("title") && problem.hasNonNull("detail"));
    }

    private static String bodyOf(final Response response) {
        return response.body().string();
    }

    private static JsonNode json(final Response response) throws Exception {
        return JSON.readTree(response.body().string());
    }
}
