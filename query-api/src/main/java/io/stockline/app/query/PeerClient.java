package io.stockline.app.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.stockline.schemas.api.ApiPaths;
import io.stockline.schemas.api.Json;
import io.stockline.schemas.api.LedgerHttpClient;
import io.stockline.schemas.api.StockView;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Calls another instance's local-only endpoints, through one shared HTTP client. Every failure is a value:
 * a peer that is down, slow or answers garbage makes the answer Unavailable, never an exception.
 */
public final class PeerClient {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(3);
    /** What {@link #streamsState} says of a peer that did not answer with its state. */
    public static final String UNREACHABLE = "UNREACHABLE";

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    private final Duration retryAfter;

    public PeerClient(final Duration retryAfter) {
        this.retryAfter = retryAfter;
    }

    /** The SKU's levels, narrowed to {@code location} unless it is null: the peer narrows as we would. */
    public Lookup<StockView> stock(final HostInfo peer, final String sku, final String location,
                                   final boolean allowStale) {
        return get(peer, ApiPaths.stock(sku, location) + (location == null ? "?" : "&") + stale(allowStale),
                StockView.class);
    }

    public Lookup<OrderView> order(final HostInfo peer, final String orderId, final boolean allowStale) {
        return get(peer, ApiPaths.order(orderId) + "?" + stale(allowStale), OrderView.class);
    }

    /** The peer's share of a page, of {@code product}'s SKUs alone unless it is null. */
    public Lookup<PartialPage> stockPage(final HostInfo peer, final String after, final int limit,
                                         final String product, final boolean allowStale) {
        return get(peer, ApiPaths.stockPage(after, limit, product) + "&" + stale(allowStale), PartialPage.class);
    }

    public Lookup<PartialPage> lowestStock(final HostInfo peer, final int limit) {
        return get(peer, ApiPaths.lowestStock(limit), PartialPage.class);
    }

    /**
     * The peer's Kafka Streams state as its {@code GET /ready} tells it (200 or 503 alike), or UNREACHABLE.
     */
    public String streamsState(final HostInfo peer) {
        final LedgerHttpClient root = new LedgerHttpClient(
                URI.create("http://" + peer.host() + ":" + peer.port()), client, REQUEST_TIMEOUT);
        try {
            final LedgerHttpClient.Answer<JsonNode> answer = root.get(ApiPaths.READY, JsonNode.class);
            final JsonNode body = answer.status() == 200 ? answer.body().orElseThrow() : Json.MAPPER.readTree(answer.text());
            return body.path("streams").asText(UNREACHABLE);
        } catch (final IOException e) {
            return UNREACHABLE;
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return UNREACHABLE;
        }
    }

    private <T> Lookup<T> get(final HostInfo peer, final String pathAndQuery, final Class<T> type) {
        final LedgerHttpClient local = new LedgerHttpClient(
                URI.create("http://" + peer.host() + ":" + peer.port() + ApiPaths.INTERNAL), client, REQUEST_TIMEOUT);
        try {
            final LedgerHttpClient.Answer<T> answer = local.get(pathAndQuery, type);
            return switch (answer.status()) {
                case 200 -> new Lookup.Found<>(answer.body().orElseThrow(), peer.host() + ":" + peer.port());
                case 404 -> new Lookup.NotFound<>();
                default -> unavailable(peer, "answered " + answer.status());
            };
        } catch (final IOException e) {
            return unavailable(peer, "cannot be reached (" + e.getClass().getSimpleName() + ")");
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return unavailable(peer, "was not asked: interrupted");
        }
    }

    private <T> Lookup<T> unavailable(final HostInfo peer, final String what) {
        return new Lookup.Unavailable<>("the instance owning this key, " + peer.host() + ":" + peer.port() + ", "
                + what, retryAfter);
    }

    private static String stale(final boolean allowStale) {
        return ApiPaths.ALLOW_STALE + "=" + allowStale;
    }
}
