package io.stockline.app.service;

import io.micrometer.core.instrument.Tags;
import io.stockline.app.Errors;
import io.stockline.app.config.SinkGroup;
import io.stockline.app.http.HttpMetrics;
import io.stockline.app.kafka.KafkaClientConfig;
import io.stockline.app.kafka.SinkLag;
import io.stockline.app.query.StuckOrders;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gauges {@code compose/prometheus/alerts.yml} alerts on that Kafka Streams does not give: readiness, orders stuck
 * PENDING and the reporting sinks' lag. The last two take a store scan and Kafka round trips, so they are measured
 * every so often on the metrics thread and a scrape reads the last value (NaN until the first measurement).
 */
final class OperatorGauges implements AutoCloseable {

    /** A scan of every order of the instance: seldom. */
    static final Duration STUCK_ORDERS_EVERY = Duration.ofSeconds(30);
    /** Three small admin requests per group. */
    static final Duration SINK_LAG_EVERY = Duration.ofSeconds(10);
    private static final String GROUP = "group";
    private static final String TOPIC = "topic";
    private static final Logger LOG = LoggerFactory.getLogger(OperatorGauges.class);

    private final SinkLag sinkLag;

    private OperatorGauges(final SinkLag sinkLag) {
        this.sinkLag = sinkLag;
    }

    /**
     * Registers the gauges and starts measuring.
     *
     * @param sinkClients the cluster the sink groups consume from, asked only when there are sink groups
     */
    static OperatorGauges start(final HttpMetrics metrics, final Supplier<KafkaStreams.State> state,
                                final Supplier<KafkaStreams> streams, final List<SinkGroup> sinkGroups,
                                final KafkaClientConfig sinkClients) {
        metrics.gauge(HttpMetrics.READY, "1 while Kafka Streams is RUNNING, else 0", Tags.empty(),
                () -> state.get() == KafkaStreams.State.RUNNING ? 1 : 0);
        final Reading stuck = new Reading();
        metrics.gauge(HttpMetrics.STUCK_PENDING, "orders of this instance PENDING for longer than "
                + StuckOrders.THRESHOLD.toSeconds() + " s", Tags.empty(), stuck::value);
        metrics.every(STUCK_ORDERS_EVERY, () -> StuckOrders.count(streams.get(), System.currentTimeMillis())
                .ifPresent(stuck::set));
        if (sinkGroups.isEmpty()) {
            return new OperatorGauges(null);
        }
        final SinkLag lag = new SinkLag(sinkClients);
        for (final SinkGroup sink : sinkGroups) {
            final Reading reading = new Reading();
            metrics.gauge(HttpMetrics.SINK_LAG, "offsets of the topic the sink group has not consumed yet",
                    Tags.of(GROUP, sink.group(), TOPIC, sink.topic()), reading::value);
            metrics.every(SINK_LAG_EVERY, () -> reading.set(measure(lag, sink)));
        }
        return new OperatorGauges(lag);
    }

    private static OptionalLong measure(final SinkLag lag, final SinkGroup sink) {
        try {
            return OptionalLong.of(lag.lag(sink));
        } catch (final ExecutionException | TimeoutException e) {
            LOG.debug("Cannot measure the lag of sink group {}: {}", sink, Errors.rootMessage(e));
            return OptionalLong.empty();
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalLong.empty();
        }
    }

    @Override
    public void close() {
        if (sinkLag != null) {
            sinkLag.close();
        }
    }

    /** The last measurement, read by scrapes on other threads. */
    private static final class Reading {

        private volatile double value = Double.NaN;

        double value() {
            return value;
        }

        void set(final long measured) {
            value = measured;
        }

        /** Unknown when it could not be measured: a stale number would hide that Kafka does not answer. */
        void set(final OptionalLong measured) {
            value = measured.isPresent() ? measured.getAsLong() : Double.NaN;
        }
    }
}
