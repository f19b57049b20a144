package io.stockline.app.http;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.BadRequestResponse;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.json.JavalinJackson;
import io.stockline.schemas.api.ApiPaths;
import io.stockline.schemas.api.Json;
import io.stockline.app.console.Console;
import io.stockline.app.query.LedgerQueries;
import io.stockline.app.query.Lookup;
import io.stockline.ledger.AllocationPolicy;
import io.stockline.topology.ContractRules;
import java.util.Objects;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.eclipse.jetty.http.UriCompliance;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stockline's HTTP API: read-only. Health and readiness answer from the moment the server starts, before
 * the broker or Kafka Streams are up, so an orchestrator can tell "starting" from "dead". Stock and order
 * queries are routed to the instance owning the key; {@code /internal/...} are the local-only twins that
 * peers call, which never forward again.
 */
public final class HttpApi {

    /** Which instance answered: shows forwarding at work. */
    public static final String SERVED_BY = "X-Stockline-Served-By";
    public static final int DEFAULT_PAGE_SIZE = 100;
    public static final int MAX_PAGE_SIZE = 1000;
    private static final int REQUEST_HEADER_BYTES = 64 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);

    private final Supplier<KafkaStreams.State> streamsState;
    private final LedgerQueries queries;
    private final HttpMetrics metrics;
    private final ConsoleRoutes console;
    private final AllocationPolicy allocation;

    /**
     * @param streamsState the Kafka Streams state now; {@code CREATED} until Streams starts
     * @param queries      where stock and order questions go
     * @param metrics      the registry behind {@code /metrics}, which also times every request
     * @param allocation   the locations the ledger knows: {@code ?location=} names one of them
     */
    public HttpApi(final Supplier<KafkaStreams.State> streamsState, final LedgerQueries queries,
                   final HttpMetrics metrics, final Console console, final AllocationPolicy allocation) {
        this.streamsState = Objects.requireNonNull(streamsState, "streamsState");
        this.queries = Objects.requireNonNull(queries, "queries");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.console = new ConsoleRoutes(console, queries);
        this.allocation = Objects.requireNonNull(allocation, "allocation");
    }

    /** An API for a ledger that knows the one location {@code default}. */
    public HttpApi(final Supplier<KafkaStreams.State> streamsState, final LedgerQueries queries,
                   final HttpMetrics metrics, final Console console) {
        this(streamsState, queries, metrics, console, AllocationPolicy.DEFAULT);
    }

    /** An API whose console is connected to nothing: for route tests that run no ledger. */
    public HttpApi(final Supplier<KafkaStreams.State> streamsState, final LedgerQueries queries,
                   final HttpMetrics metrics) {
        this(streamsState, queries, metrics, Console.unconnected());
    }

    /** The app, not yet started. */
    public Javalin create() {
        return Javalin.create(this::configure);
    }

    private void configure(final JavalinConfig config) {
        config.startup.showJavalinBanner = false;
        config.startup.showOldJavalinVersionWarning = false;
        config.jsonMapper(new JavalinJackson(Json.MAPPER, false));
        // Keys may hold any printable character, '/' included: %2F in a path segment is data, not a separator.
        config.jetty.modifyHttpConfiguration(http -> {
            http.setUriCompliance(UriCompliance.UNSAFE);
            // Room for a path far over the key limit, so an overlong key gets our 400, not the parser's 414.
            http.setRequestHeaderSize(REQUEST_HEADER_BYTES);
        });
        config.jetty.modifyServletContextHandler(handler -> handler.getServletHandler().setDecodeAmbiguousURIs(true));
        config.jetty.modifyServer(server -> server.setErrorHandler(new ProblemErrorHandler()));
        config.routes.before(metrics::start);
        config.routes.after(metrics::stop);
        config.routes.get(ApiPaths.HEALTH, this::health);
        config.routes.get(ApiPaths.READY, this::ready);
        config.routes.get(ApiPaths.METRICS, ctx -> ctx.contentType(HttpMetrics.CONTENT_TYPE).result(metrics.scrape()));
        config.routes.get(ApiPaths.STOCK_BY_SKU, this::stock);
        config.routes.get(ApiPaths.STOCK,
                ctx -> answer(ctx, queries.stockPage(after(ctx), limit(ctx), product(ctx), stale(ctx))));
        config.routes.get(ApiPaths.ORDER_BY_ID, ctx -> answer(ctx, queries.order(key(ctx, "orderId"), stale(ctx))));
        config.routes.get(ApiPaths.INTERNAL + ApiPaths.STOCK_BY_SKU,
                ctx -> answer(ctx, queries.localStock(key(ctx, "sku"), ctx.queryParam(ApiPaths.LOCATION),
                        stale(ctx))));
        config.routes.get(ApiPaths.INTERNAL + ApiPaths.STOCK,
                ctx -> answer(ctx, queries.localStockPage(after(ctx), limit(ctx), product(ctx), stale(ctx))));
        config.routes.get(ApiPaths.INTERNAL + ApiPaths.ORDER_BY_ID,
                ctx -> answer(ctx, queries.localOrder(key(ctx, "orderId"), stale(ctx))));
        // Every WebJar on the classpath under /webjars/{name}/{version}/: the console's uPlot, Swagger UI for /docs.
        config.staticFiles.enableWebjars();
        console.register(config);
        ApiDocs.register(config);
        config.routes.exception(HttpResponseException.class, HttpApi::httpError);
        config.routes.exception(Exception.class, HttpApi::unexpected);
    }

    private void health(final Context ctx) {
        ctx.json(new Health("UP"));
    }

    private void ready(final Context ctx) {
        final KafkaStreams.State state = streamsState.get();
        final boolean ready = state == KafkaStreams.State.RUNNING;
        ctx.status(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE)
                .json(new Readiness(ready ? "READY" : "NOT_READY", state.name()));
    }

    /**
     * {@code GET /stock/{sku}[?location=L]}. A location the ledger does not know is a 404 naming those it does; the
     * local-only twin takes the location as it comes, since the instance that forwarded it has checked it.
     */
    private void stock(final Context ctx) {
        final String sku = key(ctx, "sku");
        final String location = ctx.queryParam(ApiPaths.LOCATION);
        final boolean allowStale = stale(ctx);
        if (location != null && !allocation.knows(location)) {
            problem(ctx, Problem.of(HttpStatus.NOT_FOUND, "no location '" + abbreviate(location)
                    + "' in this ledger; it knows " + String.join(", ", allocation.locations())));
            return;
        }
        answer(ctx, queries.stock(sku, location, allowStale));
    }

    /** The one place where a query's answer becomes an HTTP response. */
    static <T> void answer(final Context ctx, final Lookup<T> lookup) {
        if (lookup instanceof Lookup.Found<T> found) {
            ctx.header(SERVED_BY, found.servedBy()).json(found.value());
        } else if (lookup instanceof Lookup.Unavailable<T> unavailable) {
            ctx.header("Retry-After", String.valueOf(Math.max(1, unavailable.retryAfter().toSeconds())));
            problem(ctx, Problem.of(HttpStatus.SERVICE_UNAVAILABLE, unavailable.reason()));
        } else {
            problem(ctx, Problem.of(HttpStatus.NOT_FOUND, "no such " + what(ctx) + " in the ledger"));
        }
    }

    private static String key(final Context ctx, final String name) {
        final String key = ctx.pathParam(name);
        if (key.isBlank() || key.length() > ContractRules.MAX_ID_LENGTH) {
            throw new BadRequestResponse(name + " must be 1 to " + ContractRules.MAX_ID_LENGTH
                    + " characters, not all blank; got " + key.length());
        }
        return key;
    }

    private static boolean stale(final Context ctx) {
        final String value = ctx.queryParam(ApiPaths.ALLOW_STALE);
        if (value == null || value.equals("false")) {
            return false;
        }
        if (value.equals("true")) {
            return true;
        }
        throw new BadRequestResponse("allowStale must be true or false, got '" + abbreviate(value) + "'");
    }

    private static String after(final Context ctx) {
        final String after = ctx.queryParam(ApiPaths.AFTER);
        if (after != null && after.length() > ContractRules.MAX_ID_LENGTH) {
            throw new BadRequestResponse("after must be at most " + ContractRules.MAX_ID_LENGTH + " characters");
        }
        return after == null || after.isEmpty() ? null : after;
    }

    /** {@code ?product=P}: a product id as an adjustment names it, or null for every SKU. */
    private static String product(final Context ctx) {
        final String product = ctx.queryParam(ApiPaths.PRODUCT);
        if (product != null && (product.isBlank() || product.length() > ContractRules.MAX_ID_LENGTH)) {
            throw new BadRequestResponse("product must be 1 to " + ContractRules.MAX_ID_LENGTH
                    + " characters, not all blank; got " + product.length());
        }
        return product;
    }

    private static int limit(final Context ctx) {
        return limit(ctx, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    }

    /** The {@code limit} parameter: 1 to {@code max}, {@code otherwise} when absent. */
    static int limit(final Context ctx, final int otherwise, final int max) {
        final String value = ctx.queryParam(ApiPaths.LIMIT);
        if (value == null) {
            return otherwise;
        }
        try {
            final int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= max) {
                return limit;
            }
        } catch (final NumberFormatException e) {
            // answered below, like any other out-of-range value
        }
        throw new BadRequestResponse("limit must be a whole number from 1 to " + max + ", got '"
                + abbreviate(value) + "'");
    }

    private static String what(final Context ctx) {
        return ctx.path().contains(ApiPaths.ORDERS + "/") ? "order" : "SKU";
    }

    private static void httpError(final HttpResponseException e, final Context ctx) {
        final HttpStatus status = HttpStatus.forStatus(e.getStatus());
        problem(ctx, Problem.of(status, e.getMessage()));
    }

    private static void unexpected(final Exception e, final Context ctx) {
        LOG.error("{} {} failed", ctx.method(), pathOf(ctx), e);
        problem(ctx, Problem.of(HttpStatus.INTERNAL_SERVER_ERROR, "the server could not answer this request"));
    }

    /** The request's path, or a word saying it is gone: a request the server already let go has none. */
    private static String pathOf(final Context ctx) {
        try {
            return ctx.path();
        } catch (final RuntimeException gone) {
            return "(a request already ended)";
        }
    }

    private static void problem(final Context ctx, final Problem problem) {
        ctx.status(problem.status()).json(problem).contentType(Problem.CONTENT_TYPE);
    }

    private static String abbreviate(final String value) {
        return value.length() <= 40 ? value : value.substring(0, 37) + "...";
    }

    /** The body of {@code GET /health}. */
    public record Health(String status) {
    }

    /**
     * The body of {@code GET /ready}.
     *
     * @param status  READY or NOT_READY
     * @param streams the Kafka Streams state behind it
     */
    public record Readiness(String status, String streams) {
    }
}
