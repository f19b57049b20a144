package io.stockline.app.query;

import com.fasterxml.jackson.databind.JavaType;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Calls another instance's local-only endpoints, through one shared HTTP client. Every failure is a value:
 * a peer that is down, slow or answers garbage makes the answer Unavailable, never an exception.
 */
public final class PeerClient {

    public static final String INTERNAL_PREFIX = "/internal";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(3);

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    private final Duration retryAfter;

    public PeerClient(final Duration retryAfter) {
        this.retryAfter = retryAfter;
    }

    public Lookup<StockView> stock(final HostInfo peer, final String sku, final boolean allowStale) {
        return get(peer, "/stock/" + encode(sku) + "?allowStale=" + allowStale,
                Json.MAPPER.constructType(StockView.class));
    }

    public Lookup<OrderView> order(final HostInfo peer, final String orderId, final boolean allowStale) {
        return get(peer, "/orders/" + encode(orderId) + "?allowStale=" + allowStale,
                Json.MAPPER.constructType(OrderView.class));
    }

    public Lookup<PartialPage> stockPage(final HostInfo peer, final String after, final int limit,
                                         final boolean allowStale) {
        final String cursor = after == null ? "" : "&after=" + encode(after);
        return get(peer, "/stock?limit=" + limit + "&allowStale=" + allowStale + cursor,
                Json.MAPPER.constructType(PartialPage.class));
    }

    private <T> Lookup<T> get(final HostInfo peer, final String pathAndQuery, final JavaType type) {
        final URI uri = URI.create("http://" + peer.host() + ":" + peer.port() + INTERNAL_PREFIX + pathAndQuery);
        final HttpRequest request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).GET().build();
        try {
            final HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return switch (response.statusCode()) {
                case 200 -> new Lookup.Found<>(Json.MAPPER.readValue(response.body(), type),
                        peer.host() + ":" + peer.port());
                case 404 -> new Lookup.NotFound<>();
                default -> unavailable(peer, "answered " + response.statusCode());
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

    /** Path-segment encoding: every reserved character, and space as %20 (not '+'). */
    static String encode(final String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
