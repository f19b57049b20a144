package io.stockline.app.query;

import io.stockline.schemas.api.ApiPaths;
import io.stockline.testkit.Ports;
import io.stockline.testkit.Http;
import io.stockline.testkit.Await;
import io.stockline.schemas.api.Json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.stockline.app.http.HttpApi;
import io.stockline.app.service.Endpoints;
import io.stockline.schemas.EventTopic;
import io.stockline.schemas.OrderLine;
import io.stockline.schemas.OrderPlaced;
import io.stockline.schemas.StockAdjusted;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two instances of the service in one JVM on one broker, 6 partitions: every key is answered the same by
 * both (forwarding when the other owns it), and when one stops the other takes over, answering 503 with
 * Retry-After, never wrong data, during the gap.
 */
class TwoInstanceQueryTest {

    private static final Duration POLL = Duration.ofMillis(100);
    private static final int SKUS = 30;
    private static final int LOW_STOCK = 5;
    private static final int LOWEST = 5;

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
    void bothInstancesAnswerEveryKeyAlikeAndTheSurvivorTakesOverWithin30Seconds() throws Exception {
        // Given two instances, and stock and orders spread over all six partitions
        two = TwoInstances.start(dir, "stockline-two", config -> config);
        final Endpoints a = two.a();
        final Endpoints b = two.b();
        produceStockAndOrders();
        final List<String> paths = keyPaths();
        Await.until("every key readable", Duration.ofSeconds(60), () -> paths.stream().allMatch(p -> Http.get(a.httpUrl() + p).statusCode() == 200
                && !json(Http.get(a.httpUrl() + p)).path("status").asText().equals("PENDING")));

        // When every key is asked of both instances
        final Map<String, String> answers = new HashMap<>();
        int forwardedByA = 0;
        int forwardedByB = 0;
        for (final String path : paths) {
            final HttpResponse<String> fromA = Http.get(a.httpUrl() + path);
            final HttpResponse<String> fromB = Http.get(b.httpUrl() + path);
            // Then both give the identical answer, and each forwards the keys the other owns
            assertEquals(200, fromA.statusCode(), path);
            assertEquals(fromA.body(), fromB.body(), path);
            answers.put(path, fromA.body());
            forwardedByA += servedBy(fromA).equals(Ports.hostOf(a.httpUrl())) ? 0 : 1;
            forwardedByB += servedBy(fromB).equals(Ports.hostOf(b.httpUrl())) ? 0 : 1;
        }
        assertTrue(forwardedByA > 0 && forwardedByB > 0,
                "forwarded by a: " + forwardedByA + ", by b: " + forwardedByB);
        assertEquals(allSkusByPaging(a), allSkusByPaging(b));
        assertEquals(SKUS, allSkusByPaging(a).size());
        // and a SKU's low-stock threshold is shown where an adjustment set one, null where none did
        assertEquals(LOW_STOCK, json(Http.get(b.httpUrl() + ApiPaths.stock(sku(0)))).get("lowStockThreshold").asLong());
        assertTrue(json(Http.get(a.httpUrl() + ApiPaths.stock(sku(1)))).get("lowStockThreshold").isNull());
        // and the lowest available, merged from both, are the same from either: the SKUs whose order took 3
        assertEquals(lowestExpected(), lowest(a));
        assertEquals(lowestExpected(), lowest(b));
        // and either's console lists both instances, ready
        final JsonNode instances = json(Http.get(a.httpUrl() + ApiPaths.CONSOLE_FIGURES)).get("instances");
        assertEquals(2, instances.size(), instances.toString());
        instances.forEach(instance -> assertTrue(instance.get("ready").asBoolean(), instances.toString()));

        // When the second instance stops
        two.stopSecond();
        final Instant stoppedAt = Instant.now();

        // Then the first answers every key again within 30 s; meanwhile only the right data or 503 + Retry-After
        Await.until("the survivor answering every key", Duration.ofSeconds(30), () -> {
            boolean all = true;
            for (final String path : paths) {
                final HttpResponse<String> response = Http.get(a.httpUrl() + path);
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

    /** Stock first, acknowledged, then an order per SKU. */
    private void produceStockAndOrders() {
        final List<TwoInstances.Keyed<StockAdjusted>> adjustments = new ArrayList<>();
        final List<TwoInstances.Keyed<OrderPlaced>> orders = new ArrayList<>();
        for (int i = 0; i < SKUS; i++) {
            adjustments.add(new TwoInstances.Keyed<>(sku(i), new StockAdjusted("adj-" + i, sku(i), 100L, "initial",
                    Instant.now(), i % 2 == 0 ? (long) LOW_STOCK : null, null, null, null, null, null, null)));
            orders.add(new TwoInstances.Keyed<>(orderId(i), OrderPlaced.newBuilder().setEventId("e-" + i)
                    .setOrderId(orderId(i)).setLines(List.of(new OrderLine(sku(i), 1L + i % 3, null, null)))
                    .setPlacedAt(Instant.now()).setHoldMillis(null).build()));
        }
        two.produce(EventTopic.STOCK_ADJUSTMENTS, StockAdjusted.class, adjustments);
        two.produce(EventTopic.ORDERS, OrderPlaced.class, orders);
    }

    private static List<String> keyPaths() {
        final List<String> paths = new ArrayList<>();
        for (int i = 0; i < SKUS; i++) {
            paths.add(ApiPaths.stock(sku(i)));
            paths.add(ApiPaths.order(orderId(i)));
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
            final String cursor = after == null ? "" : "&after=" + ApiPaths.encode(after);
            final HttpResponse<String> response = Http.get(instance.httpUrl() + "/stock?limit=7" + cursor);
            assertEquals(200, response.statusCode(), response.body());
            final JsonNode page = json(response);
            page.get("items").forEach(item -> skus.add(item.get("sku").asText()));
            after = page.get("next").isNull() ? null : page.get("next").asText();
        } while (after != null);
        assertFalse(skus.isEmpty());
        return skus;
    }

    private static List<String> lowest(final Endpoints instance) {
        final HttpResponse<String> response = Http.get(instance.httpUrl() + ApiPaths.lowestStock(LOWEST));
        assertEquals(200, response.statusCode(), response.body());
        final List<String> skus = new ArrayList<>();
        json(response).get("items").forEach(item -> skus.add(item.get("sku").asText() + "=" + item.get("available")));
        return skus;
    }

    /** Order i locked 1 + i % 3 of its SKU's 100: the lowest are those with i % 3 == 2, in the stores' order. */
    private static List<String> lowestExpected() {
        final List<String> skus = new ArrayList<>();
        for (int i = 2; i < SKUS; i += 3) {
            skus.add(sku(i));
        }
        skus.sort(Comparator.comparing(sku -> sku.getBytes(StandardCharsets.UTF_8), Arrays::compareUnsigned));
        return skus.subList(0, LOWEST).stream().map(sku -> sku + "=97").toList();
    }

    private static String servedBy(final HttpResponse<String> response) {
        return response.headers().firstValue(HttpApi.SERVED_BY).orElseThrow();
    }

    private static JsonNode json(final HttpResponse<String> response) {
        try {
            return Json.MAPPER.readTree(response.body());
        } catch (final Exception e) {
            throw new AssertionError(e);
        }
    }
}
