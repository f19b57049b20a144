package io.stockline.reporting;

import io.stockline.schemas.api.LedgerHttpClient;
import io.stockline.schemas.api.StockPage;
import io.stockline.schemas.api.StockView;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * The ledger's stock answers for reconcile: {@code GET /stock/{sku}} and the paged {@code GET /stock}, each SKU
 * with its breakdown by location and batch ({@link StockView#locations()}), through {@link LedgerHttpClient}. A 503 (the ledger is rebalancing) is retried after its Retry-After, a
 * few times; a ledger that cannot be reached, or anything else unexpected, is an error naming the URL.
 */
public final class LedgerClient {

    /** Large pages: reconcile reads every SKU. */
    static final int PAGE_SIZE = 500;
    private static final int ATTEMPTS = 10;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final LedgerHttpClient http;

    public LedgerClient(final URI base) {
        this.http = new LedgerHttpClient(base, HttpClient.newBuilder().connectTimeout(TIMEOUT).build(), TIMEOUT);
    }

    public URI base() {
        return http.base();
    }

    /** The SKU's levels, or empty when the ledger has never seen it. */
    public Optional<StockView> stock(final String sku) {
        final LedgerHttpClient.Answer<StockView> answer = ask(() -> http.stock(sku));
        return answer.status() == 404 ? Optional.empty() : Optional.of(answer.require());
    }

    /** Every SKU the ledger has, page by page in SKU order. */
    public List<StockView> allStock() {
        final List<StockView> all = new ArrayList<>();
        String after = null;
        do {
            final String from = after;
            final StockPage page = ask(() -> http.stockPage(from, PAGE_SIZE)).require();
            all.addAll(page.items());
            after = page.next();
        } while (after != null);
        return all;
    }

    private <T> LedgerHttpClient.Answer<T> ask(final Request<T> request) {
        for (int attempt = 1; ; attempt++) {
            final LedgerHttpClient.Answer<T> answer;
            try {
                answer = request.send();
            } catch (final LedgerHttpClient.MalformedAnswerException e) {
                throw new IllegalStateException(e.getMessage(), e);
            } catch (final IOException e) {
                throw new IllegalStateException("cannot reach the ledger at " + http.base() + ": " + e.getMessage(), e);
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while asking the ledger at " + http.base(), e);
            }
            if (answer.status() != 503 || attempt == ATTEMPTS) {
                return answer;
            }
            LockSupport.parkNanos(Duration.ofSeconds(Math.max(1, Math.min(answer.retryAfterSeconds(), 5))).toNanos());
        }
    }

    @FunctionalInterface
    private interface Request<T> {
        LedgerHttpClient.Answer<T> send() throws IOException, InterruptedException;
    }
}
