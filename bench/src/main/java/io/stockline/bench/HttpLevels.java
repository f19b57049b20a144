package io.stockline.bench;

import io.stockline.schemas.api.LedgerHttpClient;
import io.stockline.schemas.api.StockPage;
import io.stockline.schemas.api.StockView;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * A run's levels as a ledger running elsewhere answers them over its HTTP API ({@code GET /stock} pages,
 * merged from every instance by the one asked). A run's SKUs share a prefix, so they are one contiguous
 * stretch of the store's order: the pages start just before it and stop at its end.
 *
 * <p>Not reconcile's policy (connectors' {@code LedgerClient}), which fails at once when the ledger cannot be
 * reached (right for {@code reconcile}): here the ledger may be restarting after a drill's kill, so a refused
 * connection is asked again for as long as 503s are.
 */
final class HttpLevels {

    private static final int PAGE = 1000;
    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final Duration RETRY = Duration.ofMillis(250);

    private final LedgerHttpClient ledger;

    HttpLevels(final URI ledger) {
        this.ledger = new LedgerHttpClient(ledger, HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build(), Duration.ofSeconds(10));
    }

    Levels read(final Scenario scenario) {
        final Levels levels = new Levels(scenario.skuCount());
        String after = scenario.skuPrefix();
        while (after != null) {
            final StockPage page = page(after);
            after = page.next();
            for (final StockView item : page.items()) {
                final int sku = scenario.skuIndex(item.sku());
                if (sku < 0) {
                    return levels;
                }
                levels.put(sku, item.onHand(), item.available(), item.locked());
                putPlaces(levels, sku, item);
            }
        }
        return levels;
    }

    /**
     * The sums over the SKU's locations; its places holding units are its batches holding units, and each location's
     * units outside any batch.
     */
    private static void putPlaces(final Levels levels, final int sku, final StockView item) {
        long onHand = 0;
        long available = 0;
        long locked = 0;
        int holding = 0;
        for (final StockView.Location location : item.locations()) {
            onHand += location.onHand();
            available += location.available();
            locked += location.locked();
            final long inBatches = location.batches().stream().mapToLong(StockView.Batch::onHand).sum();
            holding += (int) location.batches().stream().filter(batch -> batch.onHand() > 0).count()
                    + (location.onHand() > inBatches ? 1 : 0);
        }
        levels.putPlaces(sku, onHand, available, locked, holding);
    }

    /** One page; while the ledger is rebalancing or restarting (503, refused connection) it is asked again. */
    private StockPage page(final String after) {
        final long deadline = System.nanoTime() + PATIENCE.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            try {
                final LedgerHttpClient.Answer<StockPage> answer = ledger.stockPage(after, PAGE);
                if (answer.body().isPresent()) {
                    return answer.body().get();
                }
                last = "HTTP " + answer.status() + " " + answer.text();
                if (answer.status() != 503) {
                    break;
                }
            } catch (final IOException e) {
                last = e.toString();
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading levels from " + ledger.base(), e);
            }
            LockSupport.parkNanos(RETRY.toNanos());
        }
        throw new IllegalStateException("the ledger at " + ledger.base() + " gave no levels within "
                + PATIENCE.toSeconds() + " s: " + last);
    }
}
