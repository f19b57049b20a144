package io.stockline.app.http;

import io.javalin.http.Context;
import io.javalin.router.Endpoint;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import org.apache.kafka.streams.KafkaStreams;

/**
 * What {@code GET /metrics} serves, in Prometheus text format: the JVM, every HTTP request timed by
 * method, route and status, and every Kafka Streams metric, the ledger's own counters (outcomes by
 * status, rollbacks by cause, dead letters by code) among them, and the gauges an operator alerts on
 * ({@link #READY}, {@link #STUCK_PENDING}, {@link #SINK_LAG}). What takes work to measure is measured on a thread of
 * its own ({@link #every}), never while a scrape waits.
 */
public final class HttpMetrics implements AutoCloseable {

    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    /** 1 while Kafka Streams is RUNNING (what {@code /ready} answers 200 to), else 0. */
    public static final String READY = "stockline.ready";
    /** Orders of this instance PENDING for longer than a minute. */
    public static final String STUCK_PENDING = "stockline.orders.stuck.pending";
    /** A reporting sink group's lag, by group and topic. */
    public static final String SINK_LAG = "stockline.sink.lag.records";
    private static final String STARTED = "stockline.request.started";
    private static final Duration STOP_WAIT = Duration.ofSeconds(5);
    /** A few thousand metrics compared with what is bound: cheap, and a new counter shows within seconds. */
    static final Duration KAFKA_METRICS_REFRESH = Duration.ofSeconds(10);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(task -> {
        final Thread thread = new Thread(task, "stockline-metrics");
        thread.setDaemon(true);
        return thread;
    });
    /** Micrometer's, for finding new Kafka metrics; a scheduler we pass it is ours to stop. */
    private final ScheduledExecutorService kafkaRefresher = Executors.newSingleThreadScheduledExecutor(task -> {
        final Thread thread = new Thread(task, "stockline-kafka-metrics");
        thread.setDaemon(true);
        return thread;
    });
    private KafkaStreamsMetrics streams;

    public HttpMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        gc.bindTo(registry);
    }

    /**
     * Adds the Kafka Streams metrics once Streams exists (it is created after HTTP starts). Streams creates some
     * metrics only later (a ledger counter at its first count, a task's after a rebalance); Micrometer looks for
     * new ones every {@link #KAFKA_METRICS_REFRESH} rather than its default minute, on a thread of its own.
     */
    public synchronized void bind(final KafkaStreams kafkaStreams) {
        streams = new KafkaStreamsMetrics(kafkaStreams, Tags.empty(), kafkaRefresher, KAFKA_METRICS_REFRESH);
        streams.bindTo(registry);
    }

    /** A gauge read at each scrape: {@code value} must be cheap (a field, not a query). */
    public void gauge(final String name, final String description, final Tags tags, final DoubleSupplier value) {
        Gauge.builder(name, value::getAsDouble).description(description).tags(tags).register(registry);
    }

    /** Runs {@code task} now and then every {@code period} after it ends, on the metrics thread. */
    public void every(final Duration period, final Runnable task) {
        refresher.scheduleWithFixedDelay(task, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    }

    void start(final Context ctx) {
        ctx.attribute(STARTED, System.nanoTime());
    }

    void stop(final Context ctx) {
        final Long started = ctx.attribute(STARTED);
        if (started == null) {
            return;
        }
        final Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
        Timer.builder("http.server.requests")
                .tag("method", ctx.method().name())
                .tag("route", endpoint == null ? "unmatched" : endpoint.path)
                .tag("status", String.valueOf(ctx.statusCode()))
                .publishPercentileHistogram()
                .register(registry)
                .record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /**
     * Stops the measurements of {@link #every} and waits for one under way: call it before closing what they read
     * (Kafka Streams' stores).
     */
    public void stopMeasuring() {
        refresher.shutdownNow();
        try {
            refresher.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    String scrape() {
        return registry.scrape();
    }

    @Override
    public synchronized void close() {
        if (streams != null) {
            streams.close();
        }
        kafkaRefresher.shutdownNow();
        stopMeasuring();
        gc.close();
        registry.close();
    }
}
