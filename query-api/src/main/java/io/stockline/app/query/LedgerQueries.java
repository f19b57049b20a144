package io.stockline.app.query;

import io.stockline.schemas.api.StockPage;
import io.stockline.schemas.api.StockView;

/**
 * What the HTTP API can ask the ledger. The routed methods answer for any key, from whichever instance
 * owns it; the local ones answer only from this instance's stores and never forward, so a forwarded
 * request can never bounce between instances.
 */
public interface LedgerQueries {

    /** One SKU's levels; with a {@code location}, that location's alone (zeros where the SKU has nothing). */
    Lookup<StockView> stock(String sku, String location, boolean allowStale);

    Lookup<OrderView> order(String orderId, boolean allowStale);

    /**
     * SKUs after {@code after} (exclusive; null from the start), merged from every instance; with a {@code product},
     * only the SKUs whose product id it is (null: every SKU).
     */
    Lookup<StockPage> stockPage(String after, int limit, String product, boolean allowStale);

    /** The {@code limit} SKUs with the least available, lowest first and ties by SKU, from every instance. */
    Lookup<LowestStock> lowestStock(int limit);

    Lookup<StockView> localStock(String sku, String location, boolean allowStale);

    Lookup<OrderView> localOrder(String orderId, boolean allowStale);

    Lookup<PartialPage> localStockPage(String after, int limit, String product, boolean allowStale);

    /** This instance's share of {@link #lowestStock}: up to {@code limit} SKUs from each partition it owns. */
    Lookup<PartialPage> localLowestStock(int limit);
}
