package io.stockline.app.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stockline.app.http.HttpApi;
import io.stockline.app.http.Problem;
import io.stockline.app.service.Endpoints;
import io.stockline.schemas.EventTopic;
import io.stockline.schemas.StockAdjusted;
import io.stockline.schemas.api.ApiPaths;
import io.stockline.schemas.api.Json;
import io.stockline.testkit.Await;
import io.stockline.testkit.Http;
import io.stockline.testkit.Ports;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /stock?product=P} on two instances: a product's SKUs, kept by both, are listed whole from either, with
 * their totals and attributes, a page at a time like the scan; a SKU that moved to another product is not listed, an
 * unknown product is an empty page and a blank one a 400 problem.
 */
class ProductStockQueryTest {

    private static final String JUICE = "JUICE";
    private static final int JUICE_SKUS = 10;
    private static final String FORMER_JUICE = "JUICE-LEMON-2L";

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
    void listsEverySkuOfAProductFromEitherInstanceWithTotalsAndAttributes() throws Exception {
        // Given two instances, ten SKUs of the product JUICE, a SKU first named JUICE then TEA, and SKUs of no product
        two = TwoInstances.start(dir, "stockline-products", config -> config);
        final Endpoints a = two.a();
        final Endpoints b = two.b();
        adjust();
        Await.until("every SKU adjusted", Duration.ofSeconds(60),
                () -> version(a, FORMER_JUICE) == 2 && allAnswer(b));
        // and the product's SKUs are kept by both instances
        final Set<String> keepers = new TreeSet<>();
        for (int i = 0; i < JUICE_SKUS; i++) {
            keepers.add(Http.get(a.httpUrl() + ApiPaths.stock(juice(i))).headers()
                    .firstValue(HttpApi.SERVED_BY).orElseThrow());
        }
        assertEquals(Set.of(Ports.hostOf(a.httpUrl()), Ports.hostOf(b.httpUrl())), keepers);

        for (final Endpoints instance : List.of(a, b)) {
            // When the product is asked of this instance, whole and three SKUs a page
            final HttpResponse<String> whole = Http.get(instance.httpUrl() + ApiPaths.stockPage(null, 100, JUICE));
            final List<JsonNode> paged = pages(instance, JUICE, 3);

            // Then both list exactly the product's SKUs in order, each with its totals and attributes
            assertEquals(200, whole.statusCode(), whole.body());
            final JsonNode page = json(whole);
            assertTrue(page.get("next").isNull());
            final List<JsonNode> items = new ArrayList<>();
            page.get("items").forEach(items::add);
            assertEquals(expected(), items.stream().map(ProductStockQueryTest::withoutWhen).toList());
            assertEquals(items, paged);
        }

        // When a product no SKU belongs to is asked
        final HttpResponse<String> unknown = Http.get(b.httpUrl() + ApiPaths.stockPage(null, 100, "COFFEE"));

        // Then it is an empty page, not an error
        assertEquals(200, unknown.statusCode(), unknown.body());
        assertEquals(Json.MAPPER.readTree("{\"items\":[],\"next\":null}"), json(unknown));

        // When a blank or an overlong product is asked, Then it is a 400 problem
        for (final String bad : List.of(" ", "", "P".repeat(257))) {
            final HttpResponse<String> refused = Http.get(a.httpUrl() + ApiPaths.STOCK + "?" + ApiPaths.PRODUCT + "="
                    + ApiPaths.encode(bad));
            assertEquals(400, refused.statusCode(), refused.body());
            assertTrue(refused.headers().firstValue("Content-Type").orElseThrow().startsWith(Problem.CONTENT_TYPE));
            assertEquals("product must be 1 to 256 characters, not all blank; got " + bad.length(),
                    json(refused).get("detail").asText());
        }
    }

    /** Every page of the product, {@code limit} at a time, following next. */
    private static List<JsonNode> pages(final Endpoints instance, final String product, final int limit)
            throws Exception {
        final List<JsonNode> items = new ArrayList<>();
        String after = null;
        do {
            final HttpResponse<String> response = Http.get(instance.httpUrl()
                    + ApiPaths.stockPage(after, limit, product));
            assertEquals(200, response.statusCode(), response.body());
            final JsonNode page = json(response);
            assertTrue(page.get("items").size() <= limit);
            page.get("items").forEach(items::add);
            after = page.get("next").isNull() ? null : page.get("next").asText();
        } while (after != null);
        return items;
    }

    private void adjust() {
        final List<TwoInstances.Keyed<StockAdjusted>> adjustments = new ArrayList<>();
        for (int i = 0; i < JUICE_SKUS; i++) {
            adjustments.add(adjustment("adj-" + i, juice(i), units(i), JUICE, attributes(i)));
        }
        adjustments.add(adjustment("adj-former-1", FORMER_JUICE, 7, JUICE, Map.of("flavour", "lemon")));
        adjustments.add(adjustment("adj-former-2", FORMER_JUICE, 1, "TEA", Map.of("flavour", "lemon")));
        for (int i = 0; i < 5; i++) {
            adjustments.add(adjustment("adj-plain-" + i, "PLAIN-" + i, 3, null, null));
        }
        two.produce(EventTopic.STOCK_ADJUSTMENTS, StockAdjusted.class, adjustments);
    }

    private static TwoInstances.Keyed<StockAdjusted> adjustment(final String id, final String sku, final long delta,
                                                                final String product,
                                                                final Map<String, String> attributes) {
        return new TwoInstances.Keyed<>(sku, new StockAdjusted(id, sku, delta, "initial", Instant.now(), null, null,
                null, null, null, product, attributes));
    }

    /** A view without what depends on when it was written: version, updatedAt, lowStockThreshold. */
    private static JsonNode withoutWhen(final JsonNode view) {
        final ObjectNode copy = view.deepCopy();
        copy.remove(List.of("version", "updatedAt", "lowStockThreshold"));
        return copy;
    }

    /** The product's SKUs as the list shows them: in SKU order, all available at the default location. */
    private static List<JsonNode> expected() throws Exception {
        final List<JsonNode> views = new ArrayList<>();
        for (int i = 0; i < JUICE_SKUS; i++) {
            final Map<String, String> attributes = attributes(i);
            views.add(Json.MAPPER.readTree("{\"sku\":\"" + juice(i) + "\",\"onHand\":" + units(i) + ",\"available\":"
                    + units(i) + ",\"locked\":0,\"expired\":0,\"productId\":\"JUICE\",\"attributes\":{\"flavour\":\""
                    + attributes.get("flavour") + "\",\"size\":\"" + attributes.get("size") + "\"},\"locations\":"
                    + "[{\"location\":\"default\",\"onHand\":" + units(i) + ",\"available\":" + units(i)
                    + ",\"locked\":0,\"expired\":0,\"batches\":[]}]}"));
        }
        return views;
    }

    private static String juice(final int i) {
        return "JUICE-" + i;
    }

    private static long units(final int i) {
        return 10L + i;
    }

    private static Map<String, String> attributes(final int i) {
        return Map.of("flavour", i % 2 == 0 ? "orange" : "apple", "size", (i % 3 + 1) + "L");
    }

    private static long version(final Endpoints instance, final String sku) {
        final HttpResponse<String> response = Http.get(instance.httpUrl() + ApiPaths.stock(sku));
        try {
            return response.statusCode() == 200 ? json(response).get("version").asLong() : 0;
        } catch (final Exception e) {
            throw new AssertionError(e);
        }
    }

    private static boolean allAnswer(final Endpoints instance) {
        for (int i = 0; i < JUICE_SKUS; i++) {
            if (Http.get(instance.httpUrl() + ApiPaths.stock(juice(i))).statusCode() != 200) {
                return false;
            }
        }
        for (int i = 0; i < 5; i++) {
            if (Http.get(instance.httpUrl() + ApiPaths.stock("PLAIN-" + i)).statusCode() != 200) {
                return false;
            }
        }
        return true;
    }

    private static JsonNode json(final HttpResponse<String> response) throws Exception {
        return Json.MAPPER.readTree(response.body());
    }
}
