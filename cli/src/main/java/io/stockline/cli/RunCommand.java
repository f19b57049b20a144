package io.stockline.cli;

import io.stockline.app.config.KafkaConfigOption;
import io.stockline.app.config.DeductOnConverter;
import io.stockline.app.config.DurationConverter;
import io.stockline.app.config.LocationsConverter;
import io.stockline.cli.Stockline;
import io.stockline.app.config.Durations;
import io.stockline.app.config.ServiceConfig;
import io.stockline.app.config.SinkGroup;
import io.stockline.app.service.Endpoints;
import io.stockline.app.service.StocklineService;
import io.stockline.ledger.AllocationPolicy;
import io.stockline.ledger.DeductOn;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code stockline run}: the service, until Ctrl-C. */
@Command(name = "run",
        description = {"Run the ledger: the HTTP API, Kafka Streams and, unless --bootstrap-servers is given, "
                + "an embedded single-node Kafka broker keeping its data in --data-dir.",
                "Every option can also be set with the environment variable named after it, "
                        + "e.g. STOCKLINE_HTTP_PORT for --http-port."})
public final class RunCommand implements Callable<Integer> {

    @ParentCommand
    private Stockline root;

    @Spec
    private CommandSpec spec;

    @Mixin
    private DataDirOption dataDir;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
            defaultValue = "${env:STOCKLINE_BOOTSTRAP_SERVERS}",
            description = "Use this Kafka cluster instead of the embedded broker.")
    private String bootstrapServers;

    @Mixin
    private KafkaPortOption kafkaPort;

    @Mixin
    private KafkaConfigOption kafkaConfig;

    @Option(names = "--partitions", paramLabel = "N",
            defaultValue = "${env:STOCKLINE_PARTITIONS:-" + ServiceConfig.DEFAULT_PARTITIONS + "}",
            description = "Partitions of each ledger topic created at start-up. Default: ${DEFAULT-VALUE}.")
    private int partitions;

    @Option(names = "--replication-factor", paramLabel = "N",
            defaultValue = "${env:STOCKLINE_REPLICATION_FACTOR:-" + ServiceConfig.BROKER_DEFAULT_REPLICATION + "}",
            description = "Replicas of each topic created at start-up; -1 takes the broker's "
                    + "default.replication.factor (1 on the embedded broker). Default: ${DEFAULT-VALUE}.")
    private int replicationFactor;

    @Option(names = "--http-host", paramLabel = "HOST",
            defaultValue = "${env:STOCKLINE_HTTP_HOST:-" + ServiceConfig.DEFAULT_HTTP_HOST + "}",
            description = "The address the HTTP API binds. Default: ${DEFAULT-VALUE}.")
    private String httpHost;

    @Option(names = "--http-port", paramLabel = "PORT",
            defaultValue = "${env:STOCKLINE_HTTP_PORT:-" + ServiceConfig.DEFAULT_HTTP_PORT + "}",
            description = "The HTTP API's port (0 picks a free one). Default: ${DEFAULT-VALUE}.")
    private int httpPort;

    @Option(names = "--advertised-host", paramLabel = "HOST",
            defaultValue = "${env:STOCKLINE_ADVERTISED_HOST:-" + ServiceConfig.DEFAULT_HTTP_HOST + "}",
            description = "How other instances reach this one's HTTP API (Kafka Streams application.server). "
                    + "Default: ${DEFAULT-VALUE}.")
    private String advertisedHost;

    @Option(names = "--application-id", paramLabel = "ID",
            defaultValue = "${env:STOCKLINE_APPLICATION_ID:-" + ServiceConfig.DEFAULT_APPLICATION_ID + "}",
            description = "The Kafka Streams application id; instances with the same id share the work. "
                    + "Default: ${DEFAULT-VALUE}.")
    private String applicationId;

    @Option(names = "--standby-replicas", paramLabel = "N", defaultValue = "${env:STOCKLINE_STANDBY_REPLICAS:-1}",
            description = "Warm copies of each state store on other instances. Default: ${DEFAULT-VALUE}.")
    private int standbyReplicas;

    @Option(names = "--default-hold", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "${env:STOCKLINE_DEFAULT_HOLD:-15m}",
            description = "How long an order holds its stock when it names no hold, e.g. 15m or PT15M. "
                    + "Default: ${DEFAULT-VALUE}.")
    private Duration defaultHold;

    @Option(names = "--orphan-grace", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "${env:STOCKLINE_ORPHAN_GRACE:-5m}",
            description = "How long a payment, cancellation or shipment waits for its order before it is a dead "
                    + "letter. Default: ${DEFAULT-VALUE}.")
    private Duration orphanGrace;

    @Option(names = "--order-retention", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "${env:STOCKLINE_ORDER_RETENTION:-30d}",
            description = "How long a settled order and an applied adjustment id are remembered after their last "
                    + "change; an event older than this is a dead letter (STALE_EVENT). Default: ${DEFAULT-VALUE}.")
    private Duration orderRetention;

    @Option(names = "--deduct-on", paramLabel = "payment|shipment", converter = DeductOnConverter.class,
            defaultValue = "${env:STOCKLINE_DEDUCT_ON:-payment}",
            description = "When a paid order's units leave stock on hand: at its payment, or at its shipment (events "
                    + "on the shipments topic; until then they stay locked). Default: ${DEFAULT-VALUE}.")
    private DeductOn deductOn;

    @Option(names = "--locations", paramLabel = "LOCATION[,...]", converter = LocationsConverter.class,
            defaultValue = "${env:STOCKLINE_LOCATIONS:-default}",
            description = "Every location the ledger knows, in the priority order it allocates an order's units "
                    + "from; an event naming any other location is a dead letter (UNKNOWN_LOCATION), and "
                    + "GET /stock/{sku}?location= answers 404 for it. Events that name no location mean 'default'. "
                    + "Default: ${DEFAULT-VALUE}.")
    private AllocationPolicy locations;

    @Option(names = "--split-lines", defaultValue = "${env:STOCKLINE_SPLIT_LINES:-false}",
            description = "Let one order line take its units from more than one location (in the --locations order) "
                    + "when no single location has them all; without it such a line is short. Default: "
                    + "${DEFAULT-VALUE}.")
    private boolean splitLines;

    @Option(names = "--instance-id", paramLabel = "ID", defaultValue = "${env:STOCKLINE_INSTANCE_ID}",
            description = "A stable name for this instance (static group membership): restarted within the "
                    + "session timeout, it takes its partitions back without a rebalance. Default: none.")
    private String instanceId;

    @Option(names = "--sink-groups", paramLabel = "GROUP=TOPIC[,...]", defaultValue = "${env:STOCKLINE_SINK_GROUPS}",
            description = "The reporting sinks' consumer groups (a Kafka Connect connector N reads as connect-N), "
                    + "each with a topic it reads, whose lag /metrics reports as stockline_sink_lag_records. "
                    + "Default: none.")
    private String sinkGroups;

    @Override
    public Integer call() throws InterruptedException {
        final ServiceConfig config = config();
        final StocklineService service = new StocklineService(config, root.topologies());
        final Thread shutdown = new Thread(service::close, "stockline-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdown);
        final Endpoints endpoints;
        try {
            endpoints = service.start();
        } catch (final RuntimeException e) {
            removeHook(shutdown);
            throw e;
        }
        printBanner(endpoints, config);
        final Optional<String> failure = service.awaitStop();
        if (failure.isPresent()) {
            service.close();
            spec.commandLine().getErr().println("stockline: " + failure.get());
            return 1;
        }
        return 0;
    }

    /** The flags (and their environment fallbacks) as one immutable config. */
    ServiceConfig config() {
        return new ServiceConfig(dataDir.dataDir(), Optional.ofNullable(bootstrapServers).filter(s -> !s.isBlank()),
                kafkaPort.kafkaPort(), kafkaConfig.overrides(), partitions, replicationFactor, httpHost, httpPort,
                advertisedHost, applicationId, standbyReplicas, defaultHold, orphanGrace,
                Optional.ofNullable(instanceId).filter(s -> !s.isBlank()), orderRetention,
                SinkGroup.parseAll(sinkGroups), deductOn, new AllocationPolicy(locations.locations(), splitLines));
    }

    private void printBanner(final Endpoints endpoints, final ServiceConfig config) {
        final PrintWriter out = spec.commandLine().getOut();
        out.println("Stockline " + Stockline.version());
        out.println("  Kafka  " + endpoints.bootstrapServers() + (endpoints.embeddedKafka()
                ? " (embedded broker, cluster " + endpoints.clusterId() + ")"
                : " (cluster " + endpoints.clusterId() + ")"));
        out.println("  HTTP   " + endpoints.httpUrl() + "  (GET /stock/{sku}, /stock, /orders/{id}, /health, /ready, /metrics)");
        out.println("  UI     " + endpoints.httpUrl() + "/  (the console; the API described at /docs)");
        out.println("  Data   " + endpoints.dataDir());
        out.println("  Ledger default hold " + Durations.format(config.defaultHold())
                + ", orphan grace " + Durations.format(config.orphanGrace())
                + ", order retention " + Durations.format(config.orderRetention())
                + ", stock deducted on " + DeductOnConverter.format(config.deductOn()));
        out.println("  Locations " + LocationsConverter.format(config.allocation())
                + (config.allocation().splitLines() ? ", a line may be split across them" : ", lines not split"));
        out.println("Press Ctrl-C to stop.");
        out.flush();
    }

    private static void removeHook(final Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (final IllegalStateException e) {
            // Already shutting down: the hook runs anyway, and closing twice is harmless.
        }
    }
}
