package io.stockline.cli.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.stockline.app.config.ClientOverrides;
import io.stockline.app.config.ServiceConfig;
import io.stockline.app.config.SinkGroup;
import io.stockline.app.http.HttpMetrics;
import io.stockline.app.kafka.KafkaClientConfig;
import io.stockline.app.service.Endpoints;
import io.stockline.app.service.StocklineService;
import io.stockline.app.service.TopologyFactory;
import io.stockline.cli.InProcessCli;
import io.stockline.ledger.DeductOn;
import io.stockline.schemas.EventTopic;
import io.stockline.schemas.api.ApiPaths;
import io.stockline.testkit.Await;
import io.stockline.testkit.Http;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.connect.util.SinkUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard and the alert rules of {@code compose/} against a real instance on a real broker: once the ledger has
 * decided orders, let one expire, refused an adjustment and forgotten what its retention let go, every metric they name
 * is one {@code GET /metrics} serves, and the gauges they alert on say what they should.
 */
class OperatorMetricsTest {

    /** What Prometheus records itself for every target it scrapes, which no /metrics serves. */
    private static final Set<String> PROMETHEUS_OWN = Set.of("up");
    private static final Duration WITHIN = Duration.ofSeconds(120);
    private static final Duration HOLD = Duration.ofSeconds(2);
    /** Long enough for the payment to come first on a busy machine; short enough to see the other order expire. */
    private static final Duration ORDER_HOLD = Duration.ofSeconds(8);
    private static final Duration RETENTION = Duration.ofSeconds(20);
    private static final int PARTITIONS = 2;
    private static final String SKU = "MUG-BLUE";
    private static final long STOCK = 10;
    private static final SinkGroup SINK = new SinkGroup(SinkUtils.consumerGroupId("operator-metrics-test"),
            EventTopic.STOCK_MOVEMENTS.topicName());
    /** A sample line of the Prometheus text format: name, labels, value. */
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})?\\s+(\\S+)");

    @TempDir
    static Path dataDir;
    private static StocklineService service;
    private static Endpoints endpoints;

    @BeforeAll
    static void startTheLedgerAndMoveEveryCounter() {
        service = new StocklineService(config(), TopologyFactory.ledger());
        endpoints = service.start();
        final Instant now = Instant.now();
        produce(EventTopic.STOCK_ADJUSTMENTS, adjustment("adj-1", STOCK, now), adjustment("adj-2", -1_000, now));
        // The orders come from another topic, which the ledger may read first: they must find the stock there.
        Await.until("the stock in the ledger", WITHIN, () -> Http.tryGet(endpoints.httpUrl() + ApiPaths.stock(SKU))
                .filter(r -> r.body().contains("\"available\":" + STOCK + ",")).isPresent());
        final Instant placed = Instant.now();
        produce(EventTopic.ORDERS, order("order-paid", placed), order("order-expires", placed));
        produce(EventTopic.PAYMENTS, "{\"paymentId\":\"pay-1\",\"orderId\":\"order-paid\",\"outcome\":\"CAPTURED\","
                + "\"at\":\"" + placed + "\"}");
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    @Test
    void everyMetricTheDashboardAndTheAlertsNameIsServed() {
        // Given every metric name in the dashboard's queries and the alert rules
        final Path root = ComposeFile.repositoryRoot();
        final Set<String> named = new TreeSet<>();
        OperatorFiles.dashboardExpressions(root).forEach(e -> named.addAll(OperatorFiles.metricNames(e)));
        OperatorFiles.ruleExpressions(root).forEach(e -> named.addAll(OperatorFiles.metricNames(e)));
        named.removeAll(PROMETHEUS_OWN);
        assertFalse(named.isEmpty(), "no metric names found in compose/");

        // When /metrics is scraped until the ledger's counters have all appeared
        final AtomicReference<Set<String>> missing = new AtomicReference<>(named);
        awaitQuietly(() -> {
            final Set<String> notServed = new TreeSet<>(named);
            notServed.removeAll(servedNames(scrape()));
            missing.set(notServed);
            return notServed.isEmpty();
        });

        // Then none is missing
        assertEquals(Set.of(), missing.get(), "named in compose/ but not served by /metrics");
    }

    @Test
    void namesAreReadFromPromQlWithoutFunctionsLabelsOrKeywords() {
        final String expression = "sum by (le, route) (rate(http_server_requests_seconds_bucket{route=~\"/a|b(c)\"}"
                + "[1m:10s])) > 0.99 and on (instance) up == 0 or deriv(stockline_ready[5m] offset 1h) > 1e3";

        assertEquals(Set.of("http_server_requests_seconds_bucket", "up", "stockline_ready"),
                OperatorFiles.metricNames(expression));
    }

    @Test
    void readinessIsOneOnceRunningAndNoOrderIsStuckPending() {
        awaitSample(prometheusName(HttpMetrics.READY), "", 1.0);
        awaitSample(prometheusName(HttpMetrics.STUCK_PENDING), "", 0.0);
    }

    @Test
    void sinkLagIsWhatTheGroupHasNotConsumedAndNothingOnceItCommitsTheEnd() {
        final String labels = "group=\"" + SINK.group() + "\",topic=\"" + SINK.topic() + "\"";
        final String name = prometheusName(HttpMetrics.SINK_LAG);
        try (KafkaConsumer<byte[], byte[]> sink = sinkConsumer()) {
            // Given a group that has consumed nothing: its lag is every offset a read_committed reader can reach
            Await.until(name + " equal to the offsets the group has not consumed", WITHIN,
                    () -> sample(name, labels).equals(Optional.of((double) sum(ends(sink)))));

            // When it commits the end of every partition, then it has no lag
            final Map<TopicPartition, OffsetAndMetadata> end = new HashMap<>();
            ends(sink).forEach((partition, offset) -> end.put(partition, new OffsetAndMetadata(offset)));
            sink.commitSync(end);
            awaitSample(name, labels, 0.0);
        }
    }

    private static ServiceConfig config() {
        return new ServiceConfig(dataDir, Optional.empty(), 0, ClientOverrides.none(), PARTITIONS,
                ServiceConfig.BROKER_DEFAULT_REPLICATION, ServiceConfig.DEFAULT_HTTP_HOST, 0,
                ServiceConfig.DEFAULT_HTTP_HOST, "operator-metrics-test", 0, HOLD, HOLD, Optional.empty(), RETENTION,
                List.of(SINK), DeductOn.PAYMENT);
    }

    private static void produce(final EventTopic topic, final String... lines) {
        final InProcessCli.Result produced = InProcessCli.run(String.join("\n", lines) + "\n", "produce",
                topic.topicName(), "--bootstrap-servers", endpoints.bootstrapServers());
        assertEquals(0, produced.exitCode(), produced.err());
    }

    private static String adjustment(final String id, final long delta, final Instant at) {
        return "{\"adjustmentId\":\"" + id + "\",\"sku\":\"" + SKU + "\",\"delta\":" + delta
                + ",\"reason\":\"test\",\"at\":\"" + at + "\"}";
    }

    private static String order(final String id, final Instant placedAt) {
        return "{\"eventId\":\"evt-" + id + "\",\"orderId\":\"" + id + "\",\"lines\":[{\"sku\":\"" + SKU
                + "\",\"quantity\":1}],\"placedAt\":\"" + placedAt + "\",\"holdMillis\":" + ORDER_HOLD.toMillis() + "}";
    }

    private static String scrape() {
        return Http.get(endpoints.httpUrl() + ApiPaths.METRICS).body();
    }

    private static Set<String> servedNames(final String scraped) {
        return scraped.lines().map(SAMPLE::matcher).filter(Matcher::find).map(m -> m.group(1))
                .collect(Collectors.toSet());
    }

    /** The value of the series {@code name} whose labels include {@code labels} (written as in the scrape). */
    private static Optional<Double> sample(final String name, final String labels) {
        return scrape().lines().map(SAMPLE::matcher).filter(Matcher::find)
                .filter(m -> m.group(1).equals(name) && (m.group(2) == null ? "" : m.group(2)).contains(labels))
                .map(m -> Double.parseDouble(m.group(3))).findFirst();
    }

    private static void awaitSample(final String name, final String labels, final double expected) {
        awaitQuietly(() -> sample(name, labels).equals(Optional.of(expected)));
        assertEquals(Optional.of(expected), sample(name, labels), name + "{" + labels + "}");
    }

    /** Polls until the condition holds or the deadline passes; the assertion after it says what was wrong. */
    private static void awaitQuietly(final BooleanSupplier condition) {
        try {
            Await.until("the metrics", WITHIN, condition);
        } catch (final AssertionError timedOut) {
            // the caller's assertion reports the last state
        }
    }

    /** Micrometer's name for a meter in the Prometheus text format. */
    private static String prometheusName(final String meter) {
        return meter.replace('.', '_');
    }

    private static KafkaConsumer<byte[], byte[]> sinkConsumer() {
        final Map<String, Object> config = new HashMap<>(
                new KafkaClientConfig(endpoints.bootstrapServers(), ClientOverrides.none()).consumer());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, SINK.group());
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** The last stable offset of each partition of the sink's topic (the consumer reads committed data only). */
    private static Map<TopicPartition, Long> ends(final KafkaConsumer<byte[], byte[]> consumer) {
        final List<TopicPartition> partitions = consumer.partitionsFor(SINK.topic()).stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        return consumer.endOffsets(partitions);
    }

    private static long sum(final Map<TopicPartition, Long> offsets) {
        return offsets.values().stream().mapToLong(Long::longValue).sum();
    }
}
