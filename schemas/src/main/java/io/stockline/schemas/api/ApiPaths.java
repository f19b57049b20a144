package io.stockline.schemas.api;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Every route of the HTTP API, named once: the server registers these, the clients build their URLs from them. */
public final class ApiPaths {

    public static final String HEALTH = "/health";
    public static final String READY = "/ready";
    public static final String METRICS = "/metrics";
    public static final String STOCK = "/stock";
    public static final String STOCK_BY_SKU = STOCK + "/{sku}";
    public static final String ORDERS = "/orders";
    public static final String ORDER_BY_ID = ORDERS + "/{orderId}";
    /** The local-only twin of each query route, which peers call so a question is forwarded at most once. */
    public static final String INTERNAL = "/internal";
    /** The SKUs with the least available, across every instance: {@code ?limit=N}. */
    public static final String LOWEST_STOCK = "/lowest-stock";
    /** The latest dead letters the console has seen: {@code ?limit=N}. */
    public static final String DEAD_LETTERS = "/dead-letters";
    /** The latest stock alerts the console has seen: {@code ?limit=N}. */
    public static final String STOCK_ALERTS = "/stock-alerts";
    /** The console page. */
    public static final String CONSOLE = "/";
    /** The console's live figures, once as JSON. */
    public static final String CONSOLE_FIGURES = "/console/figures";
    /** The console's live figures as server-sent events, one {@code figures} event a second. */
    public static final String CONSOLE_EVENTS = "/console/events";
    /** The console's script and style sheet, served from the jar. */
    public static final String ASSETS = "/assets";
    /** This API's OpenAPI 3.1 description, and the documentation page that shows it. */
    public static final String OPENAPI = "/openapi.json";
    public static final String DOCS = "/docs";

    public static final String AFTER = "after";
    public static final String LIMIT = "limit";
    public static final String ALLOW_STALE = "allowStale";
    /** {@code GET /stock/{sku}?location=L}: that location's levels alone. */
    public static final String LOCATION = "location";
    /** {@code GET /stock?product=P}: the page holds that product's SKUs alone. */
    public static final String PRODUCT = "product";

    private ApiPaths() {
    }

    /** {@code /stock/{sku}}, the SKU percent-encoded. */
    public static String stock(final String sku) {
        return STOCK + "/" + encode(sku);
    }

    /** {@code /stock/{sku}?location=L}, or {@code /stock/{sku}} when {@code location} is null; both encoded. */
    public static String stock(final String sku, final String location) {
        return location == null ? stock(sku) : stock(sku) + "?" + LOCATION + "=" + encode(location);
    }

    /** {@code /orders/{orderId}}, the id percent-encoded. */
    public static String order(final String orderId) {
        return ORDERS + "/" + encode(orderId);
    }

    /** {@code /stock?limit=N[&after=SKU]}: a page of SKUs in order, from the first when {@code after} is null. */
    public static String stockPage(final String after, final int limit) {
        return stockPage(after, limit, null);
    }

    /** {@code /stock?limit=N[&after=SKU][&product=P]}: a page of the product's SKUs, of every SKU when it is null. */
    public static String stockPage(final String after, final int limit, final String product) {
        return STOCK + "?" + LIMIT + "=" + limit + (after == null ? "" : "&" + AFTER + "=" + encode(after))
                + (product == null ? "" : "&" + PRODUCT + "=" + encode(product));
    }

    /** {@code /lowest-stock?limit=N}. */
    public static String lowestStock(final int limit) {
        return LOWEST_STOCK + "?" + LIMIT + "=" + limit;
    }

    /** Path-segment and query encoding: every reserved character, and space as %20 (not '+'). */
    public static String encode(final String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
