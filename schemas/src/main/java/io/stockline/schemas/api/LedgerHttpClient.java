package io.stockline.schemas.api;

import com.fasterxml.jackson.databind.JavaType;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The one client of the ledger's HTTP API: URLs from {@link ApiPaths}, answers parsed with {@link Json}.
 * It asks once and says what came back; what to do with a 503 or a refused connection (retry, give up,
 * answer Unavailable) is the caller's policy.
 */
public final class LedgerHttpClient {

    private final URI base;
    private final HttpClient http;
    private final Duration timeout;

    /**
     * @param base    the instance, e.g. {@code http://127.0.0.1:8080}; a path on it (e.g. {@code /internal}) is kept
     * @param http    the shared client to send with
     * @param timeout how long one request may take
     */
    public LedgerHttpClient(final URI base, final HttpClient http, final Duration timeout) {
        final String text = base.toString();
        this.base = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        this.http = Objects.requireNonNull(http, "http");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    public URI base() {
        return base;
    }

    /** {@code GET /stock/{sku}}. */
    public Answer<StockView> stock(final String sku) throws IOException, InterruptedException {
        return get(ApiPaths.stock(sku), StockView.class);
    }

    /** {@code GET /stock?limit=&after=}, from the first SKU when {@code after} is null. */
    public Answer<StockPage> stockPage(final String after, final int limit) throws IOException, InterruptedException {
        return get(ApiPaths.stockPage(after, limit), StockPage.class);
    }

    /** Any route of the API, its 200 body read as {@code type}. */
    public <T> Answer<T> get(final String pathAndQuery, final Class<T> type) throws IOException, InterruptedException {
        return get(pathAndQuery, Json.MAPPER.constructType(type));
    }

    private <T> Answer<T> get(final String pathAndQuery, final JavaType type) throws IOException, InterruptedException {
        final URI uri = URI.create(base + pathAndQuery);
        final HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Accept", "application/json").GET().build();
        final HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        final Optional<T> body;
        if (response.statusCode() == 200) {
            try {
                body = Optional.of(Json.MAPPER.readValue(response.body(), type));
            } catch (final IOException e) {
                throw new MalformedAnswerException("the ledger's answer to GET " + uri + " is not JSON: "
                        + abbreviate(response.body()), e);
            }
        } else {
            body = Optional.empty();
        }
        return new Answer<>(uri, response.statusCode(), body, response.body(),
                response.headers().firstValueAsLong("Retry-After").orElse(1));
    }

    /**
     * What one request got.
     *
     * @param uri               what was asked
     * @param status            the HTTP status
     * @param body              the parsed body of a 200, empty otherwise
     * @param text              the body as sent, for error messages
     * @param retryAfterSeconds the Retry-After of a 503 (1 when it names none)
     */
    public record Answer<T>(URI uri, int status, Optional<T> body, String text, long retryAfterSeconds) {

        /** The body of a 200; anything else is an error naming the URL and what came back. */
        public T require() {
            return body.orElseThrow(() -> new IllegalStateException("the ledger answered " + status + " to GET "
                    + uri + ": " + abbreviate(text)));
        }
    }

    /** A 200 whose body is not the JSON the route promises. */
    public static final class MalformedAnswerException extends IOException {
        MalformedAnswerException(final String message, final Throwable cause) {
            super(message, cause);
        }
    }

    private static String abbreviate(final String body) {
        final String flat = body == null ? "" : body.strip().replaceAll("\\s+", " ");
        return flat.length() <= 200 ? flat : flat.substring(0, 197) + "...";
    }
}
