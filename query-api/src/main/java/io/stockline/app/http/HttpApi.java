package io.stockline.app.http;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import java.util.Objects;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stockline's HTTP API. Health and readiness answer from the moment the server starts, before the
 * broker or Kafka Streams are up, so an orchestrator can tell "starting" from "dead".
 */
public final class HttpApi {

    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);

    private final Supplier<KafkaStreams.State> streamsState;

    /** @param streamsState the Kafka Streams state now; {@code CREATED} until Streams starts */
    public HttpApi(final Supplier<KafkaStreams.State> streamsState) {
        this.streamsState = Objects.requireNonNull(streamsState, "streamsState");
    }

    /** The app, not yet started. */
    public Javalin create() {
        return Javalin.create(this::configure);
    }

    private void configure(final JavalinConfig config) {
        config.startup.showJavalinBanner = false;
        config.startup.showOldJavalinVersionWarning = false;
        config.routes.get("/health", this::health);
        config.routes.get("/ready", this::ready);
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

    private static void httpError(final HttpResponseException e, final Context ctx) {
        final HttpStatus status = HttpStatus.forStatus(e.getStatus());
        problem(ctx, Problem.of(status, e.getMessage()));
    }

    private static void unexpected(final Exception e, final Context ctx) {
        LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
        problem(ctx, Problem.of(HttpStatus.INTERNAL_SERVER_ERROR, "the server could not answer this request"));
    }

    private static void problem(final Context ctx, final Problem problem) {
        ctx.status(problem.status()).json(problem).contentType(Problem.CONTENT_TYPE);
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
