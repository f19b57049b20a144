package io.stockline.bench;

import io.stockline.app.UserError;
import io.stockline.app.config.KafkaConfigOption;
import io.stockline.app.config.DeductOnConverter;
import io.stockline.app.config.DurationConverter;
import io.stockline.app.config.JdbcOptions;
import io.stockline.app.config.ParsingConverter;
import io.stockline.app.config.Durations;
import io.stockline.ledger.DeductOn;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code stockline bench}: drives a workload through Stockline and its competitors, measures and checks. */
@Command(name = "bench", sortOptions = false, usageHelpWidth = 110,
        description = {"Drive a generated workload through an inventory engine, measure it, and check the end state.",
                "",
                "Engines: 'stockline' (the ledger itself: the embedded Kafka broker in this JVM, or --bootstrap-servers,"
                        + " Kafka Streams with exactly-once), 'redis-lua' (Redis, one Lua script reserving all of an"
                        + " order's lines or none), 'mysql' (MariaDB/MySQL, one transaction of conditional updates per"
                        + " order). Every engine gets the same event sequence and the same all-or-nothing rules; an"
                        + " engine whose server cannot be reached is skipped, and says so.",
                "",
                "Measures orders decided per second, order lines per second, the latency from sending an order to"
                        + " its decision (p50, p99, p99.9, max), and the CPU and peak memory of the serving process."
                        + " Then checks: no SKU oversold, every order exactly the outcomes its events call for, levels"
                        + " equal to a reference computed from the events. A failed check is printed loudly and the"
                        + " exit code is 1.",
                "",
                "Results: a table on stdout, and the same as JSON and Markdown under --out."},
        footer = {"", "Examples:",
                "  stockline bench --workload flash-sale --units 10000 --orders 1000000",
                "  stockline bench --workload mixed --skus 100000 --orders 300000 --compare stockline,redis-lua,mysql",
                "  stockline bench --workload mixed --rate 5000 --orders 100000 --commit-interval 20ms"})
public final class BenchCommand implements Callable<Integer> {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);
    private static final String DEFAULT_JDBC_URL = "jdbc:mariadb://127.0.0.1:3306/stockline_bench";
    private static final String DEFAULT_JDBC_USER = "root";
    private static final List<String> ENGINES = List.of(StocklineEngine.NAME, RedisLuaEngine.NAME, MysqlEngine.NAME);

    @Spec
    private CommandSpec spec;

    @Option(names = "--workload", paramLabel = "NAME", defaultValue = "flash-sale", converter = WorkloadConverter.class,
            description = "flash-sale: one SKU with --units units and --orders single-unit orders from many buyers; "
                    + "mixed: --skus SKUs of Zipf-skewed popularity, orders of 1 to --max-lines lines, and payments, "
                    + "failed payments, cancellations, refunds, expiries, partial cancels, partial refunds and "
                    + "shipments by --mix. Default: ${DEFAULT-VALUE}.")
    private Workload workload;

    @Option(names = "--orders", paramLabel = "N", defaultValue = "100000",
            description = "Orders to place. Default: ${DEFAULT-VALUE}.")
    private int orders;

    @Option(names = "--units", paramLabel = "N", defaultValue = "10000",
            description = "flash-sale: units of the one SKU. Default: ${DEFAULT-VALUE}.")
    private long units;

    @Option(names = "--skus", paramLabel = "N", defaultValue = "100000",
            description = "mixed: number of SKUs. Default: ${DEFAULT-VALUE}.")
    private int skus;

    @Option(names = "--stock", paramLabel = "N", defaultValue = "-1",
            description = "mixed: units every SKU starts with; -1 stocks each SKU by --stock-cover. "
                    + "Default: ${DEFAULT-VALUE}.")
    private long stock;

    @Option(names = "--stock-cover", paramLabel = "F", defaultValue = "1.0",
            description = "mixed: each SKU starts with F times the units the run is expected to ask of it "
                    + "(at least 1), so popular SKUs are stocked deeper and all of them run short near the end. "
                    + "Default: ${DEFAULT-VALUE}.")
    private double stockCover;

    @Option(names = "--skew", paramLabel = "S", defaultValue = "1.1",
            description = "mixed: Zipf exponent of SKU popularity (0 = uniform). Default: ${DEFAULT-VALUE}.")
    private double skew;

    @Option(names = "--max-lines", paramLabel = "N", defaultValue = "5",
            description = "mixed: orders have 1 to N lines of distinct SKUs, uniformly (average (1+N)/2). "
                    + "Default: ${DEFAULT-VALUE}.")
    private int maxLines;

    @Option(names = "--max-quantity", paramLabel = "N", defaultValue = "2",
            description = "mixed: each line asks for 1 to N units. Default: ${DEFAULT-VALUE}.")
    private int maxQuantity;

    @Option(names = "--mix", paramLabel = "NAME=PCT,...", defaultValue = Mix.DEFAULT,
            description = "mixed: how orders end, in percent: pay (captured), fail (payment failed), cancel, refund "
                    + "(captured, then refunded), expire (short hold, never paid), partial-cancel (some units "
                    + "cancelled, the rest paid; a one-unit order is cancelled whole), partial-refund (captured, "
                    + "shipped when deducting on shipment, then some units returned restocked and some damaged), "
                    + "ship (captured, then shipped in one or two shipments; needs --deduct-on shipment), hold "
                    + "(never settled during the run; takes what the others leave). Default: ${DEFAULT-VALUE}. "
                    + "The mix before partial steps and shipments, to compare with older figures: "
                    + Mix.BEFORE_21 + ".")
    private String mix;

    @Option(names = "--deduct-on", paramLabel = "payment|shipment", converter = DeductOnConverter.class,
            description = "When the ledger takes a paid order's units off hand, as stockline run --deduct-on: at "
                    + "payment, or at shipment (until then they stay locked). Every engine follows it. Default: "
                    + "shipment when --mix has ship, payment otherwise; payment with ship in the mix is refused. "
                    + "With --ledger-url, that ledger must run with the same --deduct-on.")
    private DeductOn deductOn;

    @Option(names = "--expire-hold", paramLabel = "DURATION", defaultValue = "5s", converter = DurationConverter.class,
            description = "Hold of the orders left to expire; the others take the ledger's default hold (15m). "
                    + "Default: ${DEFAULT-VALUE}.")
    private Duration expireHold;

    @Option(names = "--follow-up-lag", paramLabel = "N", defaultValue = "1000",
            description = "An order's first follow-up (payment, cancellation...) is sent N orders after it, each next "
                    + "one (a refund, a shipment, a return) N orders after the one before; one on another topic than "
                    + "the one before (a shipment after a payment, a return after a shipment) is held back until "
                    + "that one's outcome has come, as a warehouse ships once it sees the payment confirmed. "
                    + "Default: ${DEFAULT-VALUE}.")
    private int followUpLag;

    @Option(names = "--locations", paramLabel = "N", defaultValue = "1",
            description = "Spread each SKU's starting stock as evenly as its units allow over N locations, loc-1 to "
                    + "loc-N; the ledger runs with --locations loc-1,...,loc-N and --split-lines, so an order is "
                    + "decided by a SKU's totals alone, as on every other engine (which keep totals only). 1 keeps "
                    + "it all at the ledger's one location, default, as before locations. With --ledger-url, that "
                    + "ledger must run with those same flags. Default: ${DEFAULT-VALUE}.")
    private int locations;

    @Option(names = "--batches", paramLabel = "M", defaultValue = "0",
            description = "Bring each location's share in as M batches, b-1 to b-M, expiring in that order in "
                    + "2100, so none expires during a run and orders take them first expiry first. 0: no batch. "
                    + "Default: ${DEFAULT-VALUE}.")
    private int batches;

    @Option(names = "--buyers", paramLabel = "N", defaultValue = "0",
            description = "Distinct buyers the orders come from; 0 = as many as orders. Default: ${DEFAULT-VALUE}.")
    private int buyers;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
            description = "Random seed: the same seed sends the same events. Default: ${DEFAULT-VALUE}.")
    private long seed;

    @Option(names = "--rate", paramLabel = "ORDERS/S", defaultValue = "0",
            description = "Open loop: place orders at this fixed rate whatever the engine does, and time each from "
                    + "its scheduled send. 0 = as fast as the engine decides (see --max-in-flight). "
                    + "Default: ${DEFAULT-VALUE}.")
    private double rate;

    @Option(names = "--warmup", paramLabel = "N", defaultValue = "0",
            description = "The first N orders are sent, decided and checked like the others but left out of the "
                    + "throughput and latency figures (they pay for JIT compilation and the first transactions). "
                    + "Default: ${DEFAULT-VALUE}.")
    private int warmup;

    @Option(names = "--max-in-flight", paramLabel = "N", defaultValue = "20000",
            description = "Without --rate: at most N orders sent and not yet decided. Default: ${DEFAULT-VALUE}.")
    private int maxInFlight;

    @Option(names = "--engine", paramLabel = "NAME", defaultValue = "stockline",
            description = "The engine to run: stockline, redis-lua or mysql. Default: ${DEFAULT-VALUE}.")
    private String engine;

    @Option(names = "--compare", paramLabel = "NAME,...", split = ",",
            description = "Run several engines one after the other on the same events and print Stockline's "
                    + "ratios against the others, e.g. stockline,redis-lua,mysql. Overrides --engine.")
    private List<String> compare;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
            description = "stockline: use this Kafka cluster instead of starting the embedded broker "
                    + "(Kafka Streams still runs in this JVM; ids carry a run id, so earlier runs do not interfere).")
    private String bootstrapServers;

    @Mixin
    private KafkaConfigOption kafkaConfig;

    @Option(names = "--ledger-url", paramLabel = "URL",
            description = "stockline: drive a ledger already running in stockline run processes on "
                    + "--bootstrap-servers instead of starting Kafka Streams here; levels are read from this "
                    + "instance's HTTP API. Those processes may be stopped, killed and restarted during the run "
                    + "(the reliability drills do).")
    private URI ledgerUrl;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "6",
            description = "stockline: partitions of every ledger topic. Default: ${DEFAULT-VALUE}, as stockline run.")
    private int partitions;

    @Option(names = "--stream-threads", paramLabel = "N", defaultValue = "1",
            description = "stockline: Kafka Streams threads. Default: ${DEFAULT-VALUE}, as stockline run.")
    private int streamThreads;

    @Option(names = "--commit-interval", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "stockline: commit.interval.ms. Default: Kafka Streams' own under exactly-once (100ms), "
                    + "as stockline run.")
    private Duration commitInterval;

    @Option(names = "--cache-bytes", paramLabel = "BYTES",
            description = "stockline: statestore.cache.max.bytes (0 turns the record caches off). "
                    + "Default: 0, as stockline run (see docs/PERFORMANCE.md).")
    private Long cacheBytes;

    @Option(names = {"-S", "--streams-property"}, paramLabel = "KEY=VALUE",
            description = "stockline: any other Kafka Streams setting, e.g. -S producer.linger.ms=5; repeatable. "
                    + "Defaults as stockline run (producer.batch.size=262144); exactly-once, explicit naming and "
                    + "transactional stores with read-committed queries cannot be switched off.")
    private Map<String, String> streamsProperties = new LinkedHashMap<>();

    @Option(names = "--driver-linger", paramLabel = "DURATION", defaultValue = "5ms", converter = DurationConverter.class,
            description = "stockline: linger.ms of the shop-side producer that sends the events. "
                    + "Default: ${DEFAULT-VALUE}.")
    private Duration driverLinger;

    @Option(names = "--redis-url", paramLabel = "URL", defaultValue = "redis://127.0.0.1:6379",
            description = "redis-lua: the Redis server. Default: ${DEFAULT-VALUE}.")
    private URI redisUrl;

    @Option(names = "--redis-connections", paramLabel = "N", defaultValue = "8",
            description = "redis-lua: connections, each owning a share of the orders. Default: ${DEFAULT-VALUE}.")
    private int redisConnections;

    @Option(names = "--redis-pipeline", paramLabel = "N", defaultValue = "64",
            description = "redis-lua: scripts pipelined per round trip and connection, at most. "
                    + "Default: ${DEFAULT-VALUE}.")
    private int redisPipeline;

    @Mixin
    private JdbcOptions jdbc;

    @Option(names = "--mysql-connections", paramLabel = "N", defaultValue = "8",
            description = "mysql: connections, each owning a share of the orders. Default: ${DEFAULT-VALUE}.")
    private int mysqlConnections;

    @Option(names = "--quiet-timeout", paramLabel = "DURATION", defaultValue = "60s",
            converter = DurationConverter.class,
            description = "Fail the run when no outcome has come for this long. Default: ${DEFAULT-VALUE}.")
    private Duration quietTimeout;

    @Option(names = "--settle-timeout", paramLabel = "DURATION", defaultValue = "30s",
            converter = DurationConverter.class,
            description = "How long the levels may take, after the last outcome, to reach the reference (the "
                    + "ledger's stock side applies a rejected order's releases just after the outcome). "
                    + "Default: ${DEFAULT-VALUE}.")
    private Duration settleTimeout;

    @Option(names = "--jfr", paramLabel = "FILE",
            description = "Record the measured phase with Java Flight Recorder (profile settings) into FILE; "
                    + "with several engines, FILE gets the engine's name before its extension.")
    private Path jfr;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "bench-results",
            description = "Where the JSON and Markdown results go. Default: ${DEFAULT-VALUE}.")
    private Path out;

    @Option(names = "--label", paramLabel = "TEXT",
            description = "A label for this run, kept in the results and their file names (e.g. commit-20ms).")
    private String label;

    @Option(names = "--progress", paramLabel = "MODE", defaultValue = "auto", converter = ProgressConverter.class,
            description = "auto (a bar when stderr is a terminal, a line every 5 s otherwise), bar, lines or none. "
                    + "Default: ${DEFAULT-VALUE}.")
    private Progress.Mode progress;

    @Override
    public Integer call() throws InterruptedException {
        final List<String> engines = engines();
        final WorkloadSpec workloadSpec = workloadSpec();
        final String runId = runId();
        final Scenario scenario = Scenario.generate(workloadSpec, runId);
        final PrintWriter err = spec.commandLine().getErr();
        final PrintWriter stdout = spec.commandLine().getOut();
        final Instant started = Instant.now();
        final Report.Meta meta = new Report.Meta(started.toString(), commandLine(), Report.machine(),
                describe(workloadSpec, scenario));
        err.println("stockline bench: " + meta.workload().get("description") + "; load average "
                + Runner.loadAverage());
        err.flush();
        final List<RunResult> runs = new ArrayList<>();
        for (final String name : engines) {
            final Runner runner = new Runner(new Runner.Options(rate, warmup, maxInFlight, quietTimeout, settleTimeout,
                    jfrFile(name, engines.size()), progress), err);
            try (Engine candidate = create(name)) {
                final RunResult result = run(runner, candidate, scenario);
                if (!result.ran()) {
                    err.println("stockline bench: " + name + ": skipped: " + result.note());
                    err.flush();
                }
                runs.add(result);
            }
        }
        Report.print(stdout, meta, runs);
        final String fileName = STAMP.format(started) + "-" + workloadSpec.workload().label()
                + (label == null ? "" : "-" + label.replaceAll("[^A-Za-z0-9._-]", "_"));
        final List<Path> files = Report.write(out, fileName, meta, runs);
        stdout.println("Results: " + String.join(", ", files.stream().map(Path::toString).toList()));
        stdout.flush();
        return verdict(runs, err);
    }

    private RunResult run(final Runner runner, final Engine engine, final Scenario scenario)
            throws InterruptedException {
        try {
            return runner.run(engine, scenario);
        } catch (final ConfigException e) {
            // Kafka names the setting and the value it refused; that is all the user needs.
            throw new CommandLine.ParameterException(spec.commandLine(), engine.name() + ": " + e.getMessage(), e);
        }
    }

    private int verdict(final List<RunResult> runs, final PrintWriter err) {
        final List<RunResult> failed = runs.stream().filter(RunResult::failed).toList();
        if (!failed.isEmpty()) {
            err.println("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!");
            for (final RunResult run : failed) {
                for (final Check check : run.checks()) {
                    if (!check.passed()) {
                        err.println("!!! BENCH CHECK FAILED: " + run.engine() + ": " + check.name() + ": "
                                + check.detail());
                    }
                }
            }
            err.println("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!");
            err.flush();
            return 1;
        }
        if (runs.stream().noneMatch(RunResult::ran)) {
            err.println("stockline: no engine could run (every one was skipped)");
            err.flush();
            return 1;
        }
        return 0;
    }

    private void checkLedgerUrl() {
        if (ledgerUrl != null && (bootstrapServers == null || bootstrapServers.isBlank())) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--ledger-url needs --bootstrap-servers: the cluster the ledger at " + ledgerUrl + " runs on");
        }
    }

    private List<String> engines() {
        checkLedgerUrl();
        final List<String> requested = compare == null || compare.isEmpty() ? List.of(engine) : compare;
        final LinkedHashSet<String> engines = new LinkedHashSet<>();
        for (final String name : requested) {
            final String normal = name.trim().toLowerCase(Locale.ROOT);
            if (!ENGINES.contains(normal)) {
                throw new CommandLine.ParameterException(spec.commandLine(), "unknown engine '" + name
                        + "': expected one of " + String.join(", ", ENGINES));
            }
            engines.add(normal);
        }
        return List.copyOf(engines);
    }

    private WorkloadSpec workloadSpec() {
        try {
            final Mix parsed = Mix.parse(mix);
            final DeductOn when = deductOn != null ? deductOn
                    : workload == Workload.MIXED && parsed.has(Intention.SHIP) ? DeductOn.SHIPMENT : DeductOn.PAYMENT;
            return new WorkloadSpec(workload, orders, units, skus, stock, stockCover, skew, maxLines, maxQuantity,
                    parsed, when, expireHold, followUpLag, buyers == 0 ? orders : buyers, seed, locations, batches);
        } catch (final IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    private Engine create(final String name) {
        return switch (name) {
            case StocklineEngine.NAME -> new StocklineEngine(new StocklineEngine.Settings(
                    Optional.ofNullable(bootstrapServers).filter(s -> !s.isBlank()), partitions, streamThreads,
                    Optional.ofNullable(commitInterval), Optional.ofNullable(cacheBytes), driverLinger,
                    streamsProperties, Optional.ofNullable(ledgerUrl), kafkaConfig.overrides()));
            case RedisLuaEngine.NAME -> new RedisLuaEngine(new RedisLuaEngine.Settings(redisUrl, redisConnections,
                    redisPipeline));
            case MysqlEngine.NAME -> new MysqlEngine(new MysqlEngine.Settings(
                    jdbc.url().orElse(DEFAULT_JDBC_URL), jdbc.user().orElse(DEFAULT_JDBC_USER),
                    jdbc.password().or(() -> JdbcOptions.env("STOCKLINE_BENCH_JDBC_PASSWORD")).orElse(""),
                    mysqlConnections));
            default -> throw new UserError("unknown engine " + name);
        };
    }

    private Optional<Path> jfrFile(final String engineName, final int engineCount) {
        if (jfr == null) {
            return Optional.empty();
        }
        if (engineCount == 1) {
            return Optional.of(jfr);
        }
        final String file = jfr.getFileName().toString();
        final int dot = file.lastIndexOf('.');
        final String named = dot < 0 ? file + "-" + engineName : file.substring(0, dot) + "-" + engineName
                + file.substring(dot);
        return Optional.of(jfr.resolveSibling(named));
    }

    private Map<String, Object> describe(final WorkloadSpec workloadSpec, final Scenario scenario) {
        final Map<String, Object> described = new LinkedHashMap<>();
        final String sizes;
        if (workloadSpec.workload() == Workload.FLASH_SALE) {
            sizes = String.format(Locale.ROOT, "flash-sale: %,d units of 1 SKU, %,d single-unit orders from %,d buyers",
                    workloadSpec.units(), workloadSpec.orders(), workloadSpec.buyers());
        } else {
            long units = 0;
            for (int sku = 0; sku < scenario.skuCount(); sku++) {
                units += scenario.initialStock(sku);
            }
            sizes = String.format(Locale.ROOT, "mixed: %,d SKUs (Zipf %.2f, %,d units in stock), %,d orders of "
                            + "%,d lines (%.2f per order), mix %s", workloadSpec.skus(), workloadSpec.skew(), units,
                    workloadSpec.orders(), scenario.totalLines(),
                    scenario.totalLines() / (double) workloadSpec.orders(), workloadSpec.mix())
                    + ", stock deducted on " + DeductOnConverter.format(workloadSpec.deductOn());
        }
        final String spread = workloadSpec.locations() == 1 && workloadSpec.batches() == 0 ? ""
                : String.format(Locale.ROOT, "; stock spread over %d location%s%s", workloadSpec.locations(),
                        workloadSpec.locations() == 1 ? "" : "s",
                        workloadSpec.batches() == 0 ? "" : " in " + workloadSpec.batches() + " batches each");
        final String driving = rate > 0 ? String.format(Locale.ROOT, "open loop at %,.0f orders/s", rate)
                : String.format(Locale.ROOT, "as fast as it goes (at most %,d orders in flight)", maxInFlight);
        described.put("description", sizes + spread + "; " + String.format(Locale.ROOT, "%,d events", scenario.eventCount())
                + "; " + driving + (warmup > 0 ? String.format(Locale.ROOT, "; first %,d orders not measured", warmup)
                : "") + (label == null ? "" : "; label " + label));
        described.put("spec", specFields(workloadSpec));
        described.put("events", scenario.eventCount());
        described.put("lines", scenario.totalLines());
        described.put("rate", rate);
        described.put("maxInFlight", maxInFlight);
        described.put("warmup", warmup);
        described.put("runId", scenario.runId());
        if (label != null) {
            described.put("label", label);
        }
        return described;
    }

    /** The spec as plain values (durations as text), for the JSON results. */
    private static Map<String, Object> specFields(final WorkloadSpec workloadSpec) {
        final Map<String, Object> fields = new LinkedHashMap<>();
        for (final var component : WorkloadSpec.class.getRecordComponents()) {
            try {
                final Object value = component.getAccessor().invoke(workloadSpec);
                fields.put(component.getName(), value instanceof Number || value instanceof Boolean ? value
                        : value instanceof Duration duration ? Durations.format(duration) : String.valueOf(value));
            } catch (final ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + component.getName(), e);
            }
        }
        return fields;
    }

    private String commandLine() {
        // picocli gives a subcommand the whole command line, its own name included
        final List<String> args = spec.commandLine().getParseResult().originalArgs();
        return "stockline " + String.join(" ", args);
    }

    private static String runId() {
        return Long.toString(new SplittableRandom().nextLong(36L * 36 * 36 * 36 * 36, 36L * 36 * 36 * 36 * 36 * 36),
                36);
    }

    static final class WorkloadConverter extends ParsingConverter<Workload> {
        WorkloadConverter() {
            super(Workload::parse);
        }
    }

    static final class ProgressConverter extends ParsingConverter<Progress.Mode> {
        ProgressConverter() {
            super(Progress.Mode::parse);
        }
    }
}
