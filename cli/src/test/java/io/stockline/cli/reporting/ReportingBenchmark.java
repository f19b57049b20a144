package io.stockline.cli.reporting;

import io.stockline.testkit.Await;
import io.stockline.app.kafka.EmbeddedKafkaBroker;
import io.stockline.reporting.ConnectWorker;
import io.stockline.reporting.Tables;
import io.stockline.reporting.WorkerSettings;
import io.stockline.schemas.EventTopic;
import io.stockline.schemas.StockAdjusted;
import io.stockline.schemas.serde.SingleObjectSerdeFactory;
import io.stockline.topology.LedgerTopics;
import io.stockline.reporting.ReportingRows.StockLevels;
import io.stockline.reporting.ReportingRows.StockMovements;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Measures the reporting path on this machine, everything in one JVM: an embedded broker, the ledger with
 * exactly-once, the Connect worker with the shipped connector configs, and the local MariaDB.
 *
 * <ol>
 *   <li>Lag: stock adjustments at a fixed rate (default 5,000 a second) for a while; for each one, the time
 *       from the producer's send to its stock_movements row being written (a column the benchmark adds,
 *       {@code written_at DEFAULT UTC_TIMESTAMP(6)}), split at the ledger's own time stamp (occurred_at) into
 *       the ledger's part and the sink's part.</li>
 *   <li>Sink throughput: a backlog of adjustments, each on a new SKU, processed by the ledger while the worker
 *       is stopped; then the worker starts and the rows it writes a second into stock_movements and
 *       stock_levels are counted until it has caught up.</li>
 * </ol>
 *
 * <p>Run with {@code mvn -B -ntp -pl cli -am verify -DskipTests -Preporting-bench
 * -Dbench.args="--rate 5000 --seconds 30 --backlog 60000"}.
 */
public final class ReportingBenchmark {

    private static final Duration WARM_UP = Duration.ofSeconds(5);
    private static final Duration DEADLINE = Duration.ofMinutes(5);
    private static final int LAG_SKUS = 1_000;
    private static final String LAG_PREFIX = "lag-";
    private static final String BULK_PREFIX = "bulk-";

    private final int rate;
    private final int seconds;
    private final int backlog;
    private final int partitions;
    private final Serializer<StockAdjusted> serializer =
            new SingleObjectSerdeFactory().serde(StockAdjusted.class).serializer();

    private ReportingBenchmark(final Map<String, Integer> options) {
        this.rate = options.get("--rate");
        this.seconds = options.get("--seconds");
        this.backlog = options.get("--backlog");
        this.partitions = options.get("--partitions");
    }

    public static void main(final String[] args) throws Exception {
        final Map<String, Integer> options = new java.util.HashMap<>(Map.of("--rate", 5_000, "--seconds", 30,
                "--backlog", 60_000, "--partitions", 6));
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!options.containsKey(args[i])) {
                throw new IllegalArgumentException("unknown option " + args[i] + "; known: " + options.keySet());
            }
            options.put(args[i], Integer.parseInt(args[i + 1]));
        }
        new ReportingBenchmark(options).run();
        System.exit(0);
    }

    private void run() throws Exception {
        final Path dir = Files.createTempDirectory("stockline-reporting-bench");
        System.out.printf("reporting benchmark: %d partitions, lag at %d adjustments/s for %d s, backlog %d; %d cores%n",
                partitions, rate, seconds, backlog, Runtime.getRuntime().availableProcessors());
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0);
             TestDatabase database = TestDatabase.create()) {
            broker.createTopics(partitions, LedgerTopics.all());
            try (RunningLedger ledger = RunningLedger.start(broker, dir.resolve("streams"), "stockline-bench")) {
                final WorkerSettings settings = new WorkerSettings(broker.bootstrapServers(), Map.of(),
                        Path.of(System.getProperty("stockline.plugin.path", "connectors/target/plugins")),
                        dir.resolve("connect"), "127.0.0.1", 0);
                measureLag(broker, ledger, database, settings);
                measureSinkThroughput(broker, ledger, database, settings);
            }
        }
    }

    private void measureLag(final EmbeddedKafkaBroker broker, final RunningLedger ledger,
                            final TestDatabase database, final WorkerSettings settings) {
        try (ConnectWorker worker = ConnectWorker.start(settings, database.mariadb())) {
            worker.awaitRunning(Duration.ofSeconds(60));
            // One adjustment first, so the sink creates the table and the benchmark can add its clock column.
            produce(broker, List.of(adjustment("warm-up", "warm-up-sku")), 0, new long[1]);
            Await.until("the sink to create " + Tables.STOCK_MOVEMENTS, DEADLINE,
                    () -> database.count(Tables.STOCK_MOVEMENTS) == 1);
            database.update("ALTER TABLE " + Tables.STOCK_MOVEMENTS
                    + " ADD COLUMN written_at DATETIME(6) NOT NULL DEFAULT (UTC_TIMESTAMP(6))");

            final int events = rate * seconds;
            final List<StockAdjusted> adjustments = new ArrayList<>(events);
            for (int i = 0; i < events; i++) {
                adjustments.add(adjustment(LAG_PREFIX + i, "sku-" + (i % LAG_SKUS)));
            }
            final long[] sentMicros = new long[events];
            final long began = System.nanoTime();
            produce(broker, adjustments, rate, sentMicros);
            final double sendSeconds = (System.nanoTime() - began) / 1e9;
            Await.until("every movement row", DEADLINE,
                    () -> database.count(Tables.STOCK_MOVEMENTS) >= events + 1L);
            ledger.awaitCaughtUp(DEADLINE);

            final long warmUpEnd = sentMicros[0] + WARM_UP.toNanos() / 1_000;
            final List<long[]> lags = new ArrayList<>();
            for (final List<Object> row : database.rows("SELECT " + StockMovements.ADJUSTMENT_ID + ", "
                    + StockMovements.OCCURRED_AT + ", written_at FROM " + Tables.STOCK_MOVEMENTS + " WHERE "
                    + StockMovements.ADJUSTMENT_ID + " LIKE '" + LAG_PREFIX + "%'")) {
                final long sent = sentMicros[Integer.parseInt(((String) row.get(0)).substring(LAG_PREFIX.length()))];
                if (sent >= warmUpEnd) {
                    final long occurred = micros(row.get(1));
                    final long written = micros(row.get(2));
                    lags.add(new long[] {written - sent, occurred - sent, written - occurred});
                }
            }
            System.out.printf("lag: sent %d adjustments in %.1f s (%.0f/s); %d measured after a %d s warm-up%n",
                    events, sendSeconds, events / sendSeconds, lags.size(), WARM_UP.toSeconds());
            printDistribution("  event -> MySQL row  ", lags, 0);
            printDistribution("  event -> ledger     ", lags, 1);
            printDistribution("  ledger -> MySQL row ", lags, 2);
        }
    }

    private void measureSinkThroughput(final EmbeddedKafkaBroker broker, final RunningLedger ledger,
                                       final TestDatabase database, final WorkerSettings settings) {
        final List<StockAdjusted> bulk = new ArrayList<>(backlog);
        for (int i = 0; i < backlog; i++) {
            bulk.add(adjustment(BULK_PREFIX + i, BULK_PREFIX + "sku-" + i));
        }
        produce(broker, bulk, 0, new long[backlog]);
        ledger.awaitCaughtUp(DEADLINE);
        final String movements = "SELECT COUNT(*) FROM " + Tables.STOCK_MOVEMENTS + " WHERE "
                + StockMovements.ADJUSTMENT_ID + " LIKE '" + BULK_PREFIX + "%'";
        final String levels = "SELECT COUNT(*) FROM " + Tables.STOCK_LEVELS + " WHERE " + StockLevels.SKU
                + " LIKE '" + BULK_PREFIX + "%'";
        final long started = System.nanoTime();
        try (ConnectWorker worker = ConnectWorker.start(settings, database.mariadb())) {
            worker.awaitRunning(Duration.ofSeconds(60));
            final long running = System.nanoTime();
            long firstRow = 0;
            long movementsDone = 0;
            long levelsDone = 0;
            final long deadline = System.nanoTime() + DEADLINE.toNanos();
            while ((movementsDone == 0 || levelsDone == 0) && System.nanoTime() < deadline) {
                final long now = System.nanoTime();
                final long movementRows = count(database, movements);
                final long levelRows = count(database, levels);
                if (firstRow == 0 && movementRows + levelRows > 0) {
                    firstRow = now;
                }
                if (movementsDone == 0 && movementRows == backlog) {
                    movementsDone = now;
                }
                if (levelsDone == 0 && levelRows == backlog) {
                    levelsDone = now;
                }
                LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
            }
            System.out.printf("sink throughput: backlog of %d adjustments on %d new SKUs (worker running %.1f s "
                    + "after start, first row %.1f s after that)%n", backlog, backlog, (running - started) / 1e9,
                    (firstRow - running) / 1e9);
            System.out.printf("  stock_movements  %,8.0f rows/s  (%d inserts in %.1f s)%n",
                    backlog / ((movementsDone - firstRow) / 1e9), backlog, (movementsDone - firstRow) / 1e9);
            System.out.printf("  stock_levels     %,8.0f rows/s  (%d upserts in %.1f s)%n",
                    backlog / ((levelsDone - firstRow) / 1e9), backlog, (levelsDone - firstRow) / 1e9);
            System.out.printf("  both tables      %,8.0f rows/s%n",
                    2.0 * backlog / ((Math.max(movementsDone, levelsDone) - firstRow) / 1e9));
        }
    }

    private void produce(final EmbeddedKafkaBroker broker, final List<StockAdjusted> adjustments, final int perSecond,
                         final long[] sentMicros) {
        final Map<String, Object> config = new java.util.HashMap<>(broker.clientConfig().producer());
        config.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(),
                new ByteArraySerializer())) {
            final long start = System.nanoTime();
            for (int i = 0; i < adjustments.size(); i++) {
                if (perSecond > 0) {
                    LockSupport.parkNanos(start + i * 1_000_000_000L / perSecond - System.nanoTime());
                }
                final StockAdjusted adjustment = adjustments.get(i);
                final Instant now = Instant.now();
                sentMicros[i] = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
                producer.send(new ProducerRecord<>(EventTopic.STOCK_ADJUSTMENTS.topicName(), adjustment.getSku(),
                        serializer.serialize(EventTopic.STOCK_ADJUSTMENTS.topicName(), adjustment)));
            }
        }
    }

    private static StockAdjusted adjustment(final String id, final String sku) {
        return new StockAdjusted(id, sku, 1L, "benchmark", Instant.now(), null, null, null, null, null, null, null);
    }

    private static long count(final TestDatabase database, final String sql) {
        return ((Number) database.rows(sql).get(0).get(0)).longValue();
    }

    private static long micros(final Object value) {
        final LocalDateTime time = value instanceof LocalDateTime local ? local
                : ((java.sql.Timestamp) value).toLocalDateTime();
        final Instant instant = time.toInstant(ZoneOffset.UTC);
        return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
    }

    private static void printDistribution(final String label, final List<long[]> lags, final int index) {
        final long[] values = lags.stream().mapToLong(l -> l[index]).sorted().toArray();
        if (values.length == 0) {
            System.out.println(label + "no samples");
            return;
        }
        System.out.printf("%s p50 %6.1f ms  p95 %6.1f ms  p99 %6.1f ms  max %6.1f ms  mean %6.1f ms%n", label,
                percentile(values, 0.50), percentile(values, 0.95), percentile(values, 0.99),
                values[values.length - 1] / 1e3, Arrays.stream(values).average().orElse(0) / 1e3);
    }

    private static double percentile(final long[] sorted, final double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e3;
    }
}
