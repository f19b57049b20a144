package io.stockline.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** The tests' one HTTP GET, through one shared client. */
public final class Http {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Http() {
    }

    /** {@code GET url}; a server that cannot be reached fails the test. */
    public static HttpResponse<String> get(final String url) {
        return tryGet(url).orElseThrow(() -> new AssertionError("GET " + url + ": no answer"));
    }

    /** {@code GET url}, empty when the server cannot be reached (yet, or any more). */
    public static Optional<HttpResponse<String>> tryGet(final String url) {
        try {
            return Optional.of(CLIENT.send(HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString()));
        } catch (final IOException e) {
            return Optional.empty();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted during GET " + url, e);
        }
    }
}
