package io.stockline.app.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.stockline.app.http.HttpApi;
import io.stockline.app.http.Problem;
import io.stockline.app.service.Endpoints;
import io.stockline.ledger.AllocationPolicy;
import io.stockline.schemas.EventTopic;
import io.stockline.schemas.StockAdjusted;
import io.stockline.schemas.api.ApiPaths;
import io.stockline.schemas.api.Json;
import io.stockline.testkit.Await;
import io.stockline.testkit.Http;
import io.stockline.testkit.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /stock/{sku}?location=} on two instances of a ledger knowing three locations: the owner narrows, so a
 * forwarded request keeps its location; a location the ledger does not know is a 404 problem naming those it does.
 */
class StockByLocationQueryTest {

    private static final AllocationPolicy LOCATIONS =
            new AllocationPolicy(List.of("default", "paris", "berlin"), false);
    private static final int SKUS = 12;
    private static final long UNITS = 40;
    private static final Instant EXPIRES = Instant.parse("2100-01-01T00:00:00Z");

    @TempDir
    Path dir;
    private TwoInstances two;

    @AfterEach
    void stop() {
        if (two != null) {
            two.close();
        }
    }

    @Test
    void aLocationNarrowsTheAnswerOnEitherInstanceAndAnUnknownOneIsA404NamingTheKnownOnes() throws Exception {
        // Given two instances knowing default, paris and berlin; SKUs with 40 at the default location and, in two
        // batches at paris, 3 + 4 more
        two = TwoInstances.start(dir, "stockline-located", config -> config.withAllocation(LOCATIONS));
        final Endpoints a = two.a();
        final Endpoints b = two.b();
        adjustEverySku();
        Await.until("every SKU stocked", Duration.ofSeconds(60), () -> everySkuStocked(a) && everySkuStocked(b));

        int forwarded = 0;
        for (int i = 0; i < SKUS; i++) {
            // When a SKU is asked whole, at paris, at berlin and at default, of both instances
            final HttpResponse<String> whole = Http.get(a.httpUrl() + ApiPaths.stock(sku(i)));
            final HttpResponse<String> parisFromA = Http.get(a.httpUrl() + ApiPaths.stock(sku(i), "paris"));
            final HttpResponse<String> parisFromB = Http.get(b.httpUrl() + ApiPaths.stock(sku(i), "paris"));
            final HttpResponse<String> berlin = Http.get(a.httpUrl() + ApiPaths.stock(sku(i), "berlin"));
            final HttpResponse<String> atDefault = Http.get(b.httpUrl() + ApiPaths.stock(sku(i), "default"));

            // Then the whole view has the totals and both locations, in the ledger's order, paris's batches first to
            // expire first
            final JsonNode body = json(whole);
            assertEquals(List.of(UNITS + 7, UNITS + 7, 0L, 0L), totals(body));
            assertTrue(body.get("productId").isNull());
            assertEquals(0, body.get("attributes").size());
            assertEquals(locations("[" + location("default", UNITS, "") + "," + location("paris", 7,
                    batch("P-1", 3, EXPIRES) + "," + batch("P-2", 4, EXPIRES.plusSeconds(86_400))) + "]"),
                    body.get("locations"));
            // and paris is its part alone, the same on either instance, forwarded or not
            assertEquals(200, parisFromA.statusCode(), parisFromA.body());
            assertEquals(parisFromA.body(), parisFromB.body());
            final JsonNode paris = json(parisFromA);
            assertEquals(List.of(7L, 7L, 0L, 0L), totals(paris));
            assertEquals(1, paris.get("locations").size());
            assertEquals(2, paris.get("locations").get(0).get("batches").size());
            // and berlin, where nothing is, is zeros; default the units outside paris
            assertEquals(List.of(0L, 0L, 0L, 0L), totals(json(berlin)));
            assertEquals(locations("[" + location("berlin", 0, "") + "]"), json(berlin).get("locations"));
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

    private void adjustEverySku() {
        final List<TwoInstances.Keyed<StockAdjusted>> adjustments = new ArrayList<>();
        for (int i = 0; i < SKUS; i++) {
            adjustments.add(adjustment("adj-" + i, sku(i), UNITS, null, null, null));
            adjustments.add(adjustment("paris-1-" + i, sku(i), 3, "paris", "P-1", EXPIRES));
            adjustments.add(adjustment("paris-2-" + i, sku(i), 4, "paris", "P-2", EXPIRES.plusSeconds(86_400)));
        }
        two.produce(EventTopic.STOCK_ADJUSTMENTS, StockAdjusted.class, adjustments);
    }

    private static TwoInstances.Keyed<StockAdjusted> adjustment(final String id, final String sku, final long delta,
                                                                final String location, final String batch,
                                                                final Instant expires) {
        return new TwoInstances.Keyed<>(sku, new StockAdjusted(id, sku, delta, "received", Instant.now(), null,
                location, batch, expires, null, null, null));
    }

    private static boolean everySkuStocked(final Endpoints instance) {
        for (int i = 0; i < SKUS; i++) {
            final HttpResponse<String> response = Http.get(instance.httpUrl() + ApiPaths.stock(sku(i)));
            if (response.statusCode() != 200 || json(response).get("version").asLong() != 3) {
                return false;
            }
        }
        return true;
    }

    /** SKUs that need encoding, so the location is shown to survive forwarding beside them. */
    private static String sku(final int i) {
        return "JUICE/" + i + " ü";
    }

    /** One location holding {@code units}, all available, with these batches. */
    private static String location(final String name, final long units, final String batches) {
        return "{\"location\":\"" + name + "\",\"onHand\":" + units + ",\"available\":" + units
                + ",\"locked\":0,\"expired\":0,\"batches\":[" + batches + "]}";
    }

    private static String batch(final String name, final long units, final Instant expires) {
        return "{\"batch\":\"" + name + "\",\"expiresAt\":\"" + expires + "\",\"onHand\":" + units
                + ",\"available\":" + units + ",\"locked\":0}";
    }

    private static JsonNode locations(final String json) throws Exception {
        return Json.MAPPER.readTree(json);
    }

    private static List<Long> totals(final JsonNode view) {
        return List.of(view.get("onHand").asLong(), view.get("available").asLong(), view.get("locked").asLong(),
                view.get("expired").asLong());
    }

    private static String servedBy(final HttpResponse<String> response) {
        return response.headers().firstValue(HttpApi.SERVED_BY).orElseThrow();
    }

    private static JsonNode json(final HttpResponse<String> response) {
        try {
            return Json.MAPPER.readTree(response.body());
        } catch (final IOException e) {
            throw new UncheckedIOException("not JSON: " + response.body(), e);
        }
    }
}
