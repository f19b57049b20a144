package io.stockline.reporting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * The ledger's stock answers over its HTTP API: {@code GET /stock/{sku}} and the paged
 * {@code GET /stock?after=&limit=}. A 503 (the ledger is rebalancing) is retried after its Retry-After,
 * a few times; anything else unexpected is an error naming the URL.
 */
public final class LedgerClient {

    /** Large pages: reconcile reads every SKU. */
    static final int PAGE_SIZE = 500;
    private static final int ATTEMPTS = 10;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final HttpClient http;

    public LedgerClient(final URI base) {
        final String text = base.toString();
        this.base = URI.create(text.endsWith("/") ? text : text + "/");
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    }

    public URI base() {
        return base;
    }

    /** The SKU's levels, or empty when the ledger has never seen it. */
    public Optional<LedgerLevel> stock(final String sku) {
        final URI uri = base.resolve("stock/" + encode(sku));
        final HttpResponse<String> response = get(uri);
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        return Optional.of(level(read(uri, response)));
    }

    /** Every SKU the ledger has, page by page in SKU order. */
    public List<LedgerLevel> allStock() {
        final List<LedgerLevel> all = new ArrayList<>();
        String after = "";
        do {
            final URI uri = base.resolve("stock?limit=" + PAGE_SIZE + "&after=" + encode(after));
            final JsonNode page = read(uri, get(uri));
            page.path("items").forEach(item -> all.add(level(item)));
            after = page.path("next").isTextual() ? page.path("next").asText() : null;
        } while (after != null);
        return all;
    }

    private HttpResponse<String> get(final URI uri) {
        final HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                .header("Accept", "application/json").GET().build();
        for (int attempt = 1; ; attempt++) {
            final HttpResponse<String> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (final IOException e) {
                throw new IllegalStateException("cannot reach the ledger at " + uri + ": " + e.getMessage(), e);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while asking the ledger at " + uri, e);
            }
            if (response.statusCode() != 503 || attempt == ATTEMPTS) {
                return response;
            }
            final long retryAfter = response.headers().firstValueAsLong("Retry-After").orElse(1);
            LockSupport.parkNanos(Duration.ofSeconds(Math.max(1, Math.min(retryAfter, 5))).toNanos());
        }
    }

    private static JsonNode read(final URI uri, final HttpResponse<String> response) {
        if (response.statusCode() != 200) {
            throw new IllegalStateException("the ledger answered " + response.statusCode() + " to GET " + uri + ": "
                    + abbreviate(response.body()));
        }
        try {
            return JSON.readTree(response.body());
        } catch (final IOException e) {
            throw new IllegalStateException("the ledger's answer to GET " + uri + " is not JSON: "
                    + abbreviate(response.body()), e);
        }
    }

    private static LedgerLevel level(final JsonNode node) {
        final JsonNode updatedAt = node.path("updatedAt");
        final Instant at = updatedAt.isNumber() ? Instant.ofEpochMilli(updatedAt.asLong())
                : updatedAt.isTextual() ? Instant.parse(updatedAt.asText()) : null;
        return new LedgerLevel(node.path("sku").asText(), node.path("onHand").asLong(),
                node.path("available").asLong(), node.path("locked").asLong(), node.path("version").asLong(), at);
    }

    private static String encode(final String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String abbreviate(final String body) {
        final String flat = body == null ? "" : body.strip().replaceAll("\\s+", " ");
        return flat.length() <= 200 ? flat : flat.substring(0, 197) + "...";
    }
}
