package io.stockline.app.http;

import io.stockline.app.query.LedgerQueries;
import io.stockline.app.query.Lookup;
import io.stockline.app.query.LowestStock;
import io.stockline.app.query.OrderView;
import io.stockline.app.query.PartialPage;
import io.stockline.schemas.api.StockPage;
import io.stockline.schemas.api.StockView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A ledger of fixed answers for route tests: it records what it was asked, so a test can see exactly which
 * key and parameters reached it after HTTP decoding.
 */
public final class FakeQueries implements LedgerQueries {

    static final Instant AT = Instant.parse("2026-11-22T10:00:00Z");
    /** A key, or a page's {@code after}, for which every query answers "ask again shortly". */
    static final String BUSY = "busy-key";

    final TreeMap<String, StockView> stock = new TreeMap<>();
    final Map<String, OrderView> orders = new TreeMap<>();
    public final List<String> asked = new ArrayList<>();

    public FakeQueries put(final String sku, final long onHand, final long locked) {
        stock.put(sku, new StockView(sku, onHand, onHand - locked, locked, 0, 1, AT, null, null, Map.of(),
                List.of(new StockView.Location("default", onHand, onHand - locked, locked, 0, List.of()))));
        return this;
    }

    @Override
    public Lookup<StockView> stock(final String sku, final String location, final boolean allowStale) {
        return lookup("stock", at(sku, location), allowStale, stock, "routed");
    }

    @Override
    public Lookup<OrderView> order(final String orderId, final boolean allowStale) {
        return lookup("order", orderId, allowStale, orders, "routed");
    }

    @Override
    public Lookup<StockPage> stockPage(final String after, final int limit, final String product,
                                       final boolean allowStale) {
        asked.add("page:" + after + ":" + limit + (product == null ? "" : ":product=" + product) + ":" + allowStale);
        if (BUSY.equals(after)) {
            return busy();
        }
        final List<StockView> tail = new ArrayList<>((after == null ? stock : stock.tailMap(after, false)).values());
        final List<StockView> items = tail.subList(0, Math.min(limit, tail.size()));
        return new Lookup.Found<>(new StockPage(List.copyOf(items),
                tail.size() > limit ? items.get(items.size() - 1).sku() : null), "routed");
    }

    @Override
    public Lookup<StockView> localStock(final String sku, final String location, final boolean allowStale) {
        return lookup("local-stock", at(sku, location), allowStale, stock, "local");
    }

    /** A SKU asked at a location is recorded and looked up as {@code sku@location}. */
    private static String at(final String sku, final String location) {
        return location == null ? sku : sku + "@" + location;
    }

    @Override
    public Lookup<OrderView> localOrder(final String orderId, final boolean allowStale) {
        return lookup("local-order", orderId, allowStale, orders, "local");
    }

    @Override
    public Lookup<PartialPage> localStockPage(final String after, final int limit, final String product,
                                              final boolean allowStale) {
        asked.add("local-page:" + after + ":" + limit + (product == null ? "" : ":product=" + product) + ":"
                + allowStale);
        if (BUSY.equals(after)) {
            return busy();
        }
        return new Lookup.Found<>(new PartialPage(List.copyOf(stock.values()), Set.of(0)), "local");
    }

    @Override
    public Lookup<LowestStock> lowestStock(final int limit) {
        asked.add("lowest:" + limit);
        return new Lookup.Found<>(new LowestStock(stock.values().stream()
                .sorted(Comparator.comparingLong(StockView::available)).limit(limit).toList()), "routed");
    }

    @Override
    public Lookup<PartialPage> localLowestStock(final int limit) {
        asked.add("local-lowest:" + limit);
        return new Lookup.Found<>(new PartialPage(List.copyOf(stock.values()), Set.of(0)), "local");
    }

    /** Records the question as {@code query:key:allowStale}, then answers it from {@code answers}. */
    private <T> Lookup<T> lookup(final String query, final String key, final boolean allowStale,
                                 final Map<String, T> answers, final String servedBy) {
        asked.add(query + ":" + key + ":" + allowStale);
        if (BUSY.equals(key)) {
            return busy();
        }
        final T value = answers.get(key);
        return value == null ? new Lookup.NotFound<>() : new Lookup.Found<>(value, servedBy);
    }

    private static <T> Lookup<T> busy() {
        return new Lookup.Unavailable<>("rebalancing", Duration.ofSeconds(2));
    }
}
