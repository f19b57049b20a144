package io.stockline.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.stockline.app.query.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * A run's levels as a ledger running elsewhere answers them over its HTTP API ({@code GET /stock} pages,
 * merged from every instance by the one asked). A run's SKUs share a prefix, so they are one contiguous
 * stretch of the store's order: the pages start just before it and stop at its end.
 *
 * <p>Not {@link io.stockline.reporting.LedgerClient}, which fails at once when the ledger cannot be reached
 * (right for {@code reconcile}): here the ledger may be restarting after a drill's kill, so a refused
 * connection is asked again for as long as 503s are.
 */
final class HttpLevels {

    private static final int PAGE = 1000;
    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final Duration RETRY = Duration.ofMillis(250);

    private final URI ledger;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    HttpLevels(final URI ledger) {
        this.ledger = ledger;
    }

    Levels read(final Scenario scenario) {
        final Levels levels = new Levels(scenario.skuCount());
        String after = scenario.skuPrefix();
        while (after != null) {
            final JsonNode page = page(after);
            after = page.get("next").isNull() ? null : page.get("next").asText();
            for (final JsonNode item : page.get("items")) {
                final int sku = scenario.skuIndex(item.get("sku").asText());
                if (sku < 0) {
                    return levels;
                }
                levels.put(sku, item.get("onHand").asLong(), item.get("available").asLong(),
                        item.get("locked").asLong());
            }
        }
        return levels;
    }

    /** One page; while the ledger is rebalancing or restarting (503, refused connection) it is asked again. */
    private JsonNode page(final String after) {
        final URI uri = ledger.resolve("/stock?limit=" + PAGE + "&after=" + URLEncoder.encode(after, StandardCharsets.UTF_8));
        final long deadline = System.nanoTime() + PATIENCE.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                final HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri)
                        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return Json.MAPPER.readTree(response.body());
                }
                last = "HTTP " + response.statusCode() + " " + response.body();
                if (response.statusCode() != 503) {
                    break;
                }
            } catch (final IOException e) {
                last = e.toString();
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading levels from " + ledger, e);
            }
            LockSupport.parkNanos(RETRY.toNanos());
        }
        throw new IllegalStateException("the ledger at " + ledger + " gave no levels within "
                + PATIENCE.toSeconds() + " s: " + last);
    }
}
