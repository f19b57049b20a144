package io.stockline.app.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.testtools.JavalinTest;
import io.javalin.testtools.Response;
import java.io.IOException;
import java.util.List;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The console's routes over a fake ledger and a console connected to nothing: page, assets, parameters. */
class ConsoleRoutesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final FakeQueries ledger = new FakeQueries().put("MUG", 10, 2).put("TEE", 5, 0).put("CAP", 1, 1);
    private final HttpApi api = new HttpApi(() -> KafkaStreams.State.RUNNING, ledger, new HttpMetrics());

    @Test
    void thePageIsServedWithAPolicyThatAllowsNoInlineScript() {
        JavalinTest.test(api.create(), (server, client) -> {
            final Response page = client.get("/");

            assertEquals(200, page.code());
            assertTrue(header(page, "Content-Type").startsWith("text/html"), header(page, "Content-Type"));
            assertEquals(ConsoleRoutes.POLICY, header(page, "Content-Security-Policy"));
            final String html = page.body().string();
            assertTrue(html.contains("<script src=\"/assets/console.js\""), "the console's script");
            assertTrue(!html.replaceAll("<script src=\"[^\"]+\" defer></script>", "").contains("<script"),
                    "no script but those loaded from files");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"/assets/console.js", "/assets/console.css", "/assets/favicon.svg",
        "/webjars/uplot/1.6.30/dist/uPlot.iife.min.js", "/webjars/uplot/1.6.30/dist/uPlot.min.css"})
    void everyAssetThePageNamesIsServedFromTheJar(final String path) {
        JavalinTest.test(api.create(), (server, client) -> {
            final Response asset = client.get(path);

            assertEquals(200, asset.code(), path);
            assertTrue(asset.body().string().length() > 100, path);
        });
    }

    @Test
    void lowestStockIsTheLeastAvailableFirst() {
        JavalinTest.test(api.create(), (server, client) -> {
            final JsonNode items = json(client.get("/lowest-stock?limit=2")).get("items");

            assertEquals(List.of("CAP", "TEE"), List.of(items.get(0).get("sku").asText(), items.get(1).get("sku").asText()));
            assertEquals(2, items.size());
            assertEquals("lowest:2", ledger.asked.get(ledger.asked.size() - 1));
            client.get("/lowest-stock");
            assertEquals("lowest:" + ConsoleRoutes.DEFAULT_LOWEST, ledger.asked.get(ledger.asked.size() - 1));
            client.get("/internal/lowest-stock?limit=3");
            assertEquals("local-lowest:3", ledger.asked.get(ledger.asked.size() - 1));
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"/lowest-stock?limit=0", "/lowest-stock?limit=101", "/lowest-stock?limit=x",
        "/internal/lowest-stock?limit=-1", "/dead-letters?limit=51", "/dead-letters?limit=0",
        "/stock-alerts?limit=51", "/stock-alerts?limit=0", "/stock-alerts?limit=x"})
    void aLimitOutOfRangeIsA400Problem(final String path) {
        JavalinTest.test(api.create(), (server, client) -> {
            final Response response = client.get(path);

            assertEquals(400, response.code(), path);
            assertTrue(json(response).get("detail").asText().startsWith("limit must be a whole number from 1 to "));
        });
    }

    @Test
    void withoutKafkaTheFiguresSayWhyAndTheDeadLettersAndStockAlertsAreEmpty() {
        JavalinTest.test(api.create(), (server, client) -> {
            final JsonNode figures = json(client.get("/console/figures"));

            assertEquals("WAITING: Kafka is not connected yet", figures.get("feed").asText());
            assertEquals(60, figures.get("window").get("seconds").size());
            assertTrue(figures.get("consumerLag").isNull());
            assertEquals("CREATED", figures.get("instances").get(0).get("streams").asText());
            assertEquals(0, json(client.get("/dead-letters")).get("items").size());
            assertEquals(0, json(client.get("/stock-alerts")).get("items").size());
            assertEquals(0, json(client.get("/stock-alerts?limit=50")).get("items").size());
        });
    }

    private static String header(final Response response, final String name) {
        return response.headers().get(name).get(0);
    }

    private static JsonNode json(final Response response) throws IOException {
        return JSON.readTree(response.body().string());
    }
}
