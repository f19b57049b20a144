package io.stockline.app.http;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.staticfiles.Location;
import io.stockline.app.console.Console;
import io.stockline.app.console.DeadLetterView;
import io.stockline.app.console.OutputTail;
import io.stockline.app.console.StockAlertView;
import io.stockline.app.query.LedgerQueries;
import io.stockline.schemas.api.ApiPaths;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The console: its page and assets from the jar, and the routes it reads (live figures, lowest stock, latest
 * dead letters and stock alerts). The page runs no inline script and its policy forbids any, so a SKU or a dead letter's text,
 * which the page only ever sets as text, cannot become code.
 */
final class ConsoleRoutes {

    /** Only this server's own scripts, styles and connections; nothing inline, nothing framed. */
    static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    static final int DEFAULT_LOWEST = 10;
    static final int MAX_LOWEST = 100;
    static final int DEFAULT_DEAD_LETTERS = 20;
    static final int DEFAULT_STOCK_ALERTS = 20;
    private static final String PAGE = "/console/index.html";
    private static final String ASSET_DIRECTORY = "/console/assets";

    private final Console console;
    private final LedgerQueries queries;
    private final byte[] page;

    ConsoleRoutes(final Console console, final LedgerQueries queries) {
        this.console = Objects.requireNonNull(console, "console");
        this.queries = Objects.requireNonNull(queries, "queries");
        this.page = JarResource.read(PAGE);
    }

    void register(final JavalinConfig config) {
        config.staticFiles.add(files -> {
            files.hostedPath = ApiPaths.ASSETS;
            files.directory = ASSET_DIRECTORY;
            files.location = Location.CLASSPATH;
            files.headers = Map.of("X-Content-Type-Options", "nosniff", "Cache-Control", "no-cache");
        });
        config.routes.get(ApiPaths.CONSOLE, this::page);
        config.routes.get(ApiPaths.CONSOLE_FIGURES, ctx -> ctx.json(console.figures()));
        config.routes.sse(ApiPaths.CONSOLE_EVENTS, console::listen);
        // While the server can still end them cleanly: an event sent after it stopped made Javalin loop.
        config.events.serverStopping(console::letListenersGo);
        config.routes.get(ApiPaths.LOWEST_STOCK,
                ctx -> HttpApi.answer(ctx, queries.lowestStock(HttpApi.limit(ctx, DEFAULT_LOWEST, MAX_LOWEST))));
        config.routes.get(ApiPaths.INTERNAL + ApiPaths.LOWEST_STOCK,
                ctx -> HttpApi.answer(ctx, queries.localLowestStock(HttpApi.limit(ctx, DEFAULT_LOWEST, MAX_LOWEST))));
        config.routes.get(ApiPaths.DEAD_LETTERS, ctx -> ctx.json(new DeadLetters(
                console.deadLetters(HttpApi.limit(ctx, DEFAULT_DEAD_LETTERS, OutputTail.LATEST)))));
        config.routes.get(ApiPaths.STOCK_ALERTS, ctx -> ctx.json(new StockAlerts(
                console.stockAlerts(HttpApi.limit(ctx, DEFAULT_STOCK_ALERTS, OutputTail.LATEST)))));
    }

    private void page(final Context ctx) {
        ctx.header("Content-Security-Policy", POLICY)
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .contentType("text/html; charset=utf-8")
                .result(page);
    }

    /** The body of {@code GET /dead-letters}: the newest first. */
    record DeadLetters(List<DeadLetterView> items) {
    }

    /** The body of {@code GET /stock-alerts}: the newest first. */
    record StockAlerts(List<StockAlertView> items) {
    }
}
