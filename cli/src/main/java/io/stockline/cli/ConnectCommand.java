package io.stockline.cli;

import io.stockline.app.UserError;
import io.stockline.app.kafka.KafkaAdmin;
import io.stockline.app.kafka.KafkaClientConfig;
import io.stockline.reporting.ConnectWorker;
import io.stockline.reporting.ConnectorDefinition;
import io.stockline.reporting.PluginPaths;
import io.stockline.reporting.ReportingConnectors;
import io.stockline.reporting.SinkDatabase;
import io.stockline.reporting.WorkerSettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code stockline connect}: the reporting tables kept up to date by a Kafka Connect worker, until Ctrl-C. */
@Command(name = "connect",
        description = {"Run a Kafka Connect standalone worker in this process with the reporting connectors "
                + "(Debezium's JDBC sink): stock-movements upserted into the tables stock_movements and "
                + "stock_levels, order-outcomes into order_status, which the sink creates. Stops on Ctrl-C, or "
                + "with exit code 1 when a connector fails.",
                "The connector configurations are connectors/src/main/connect/*.json; this fills in their "
                        + "connection settings."})
public final class ConnectCommand implements Callable<Integer> {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final long WATCH_SECONDS = 1;

    @Spec
    private CommandSpec spec;

    @Mixin
    private KafkaOptions kafka;

    @Mixin
    private DatabaseOptions database;

    @Mixin
    private DataDirOption dataDir;

    @Option(names = "--plugin-path", paramLabel = "DIR", defaultValue = "${env:STOCKLINE_PLUGIN_PATH}",
            description = "The directory holding debezium-connector-jdbc/ (env STOCKLINE_PLUGIN_PATH). Default: "
                    + "connectors/target/plugins of the source tree this jar was built in, where the build unpacks it.")
    private Path pluginPath;

    @Option(names = "--rest-port", paramLabel = "PORT", defaultValue = "${env:STOCKLINE_CONNECT_REST_PORT:-8083}",
            description = "Kafka Connect's REST API on 127.0.0.1 (0 picks a free one). Default: ${DEFAULT-VALUE}.")
    private int restPort;

    @Override
    public Integer call() {
        final SinkDatabase sink = database.database();
        final String server = sink.serverVersion();
        if (sink.truncatesTimesOn(server)) {
            spec.commandLine().getErr().println("stockline: warning: " + server + " through jdbc:mysql:// stores "
                    + "times to the whole second; use jdbc:mariadb:// for milliseconds");
        }
        final KafkaClientConfig clients = kafka.clientConfig();
        try (KafkaAdmin admin = KafkaAdmin.connect(clients)) {
            ReportingConnectors.topics().forEach(admin::requireTopic);
        }
        final List<ConnectorDefinition> connectors = ReportingConnectors.templates();
        final WorkerSettings settings = new WorkerSettings(clients.bootstrapServers(), clients.overrides().values(),
                pluginPath == null ? PluginPaths.defaultPluginPath() : pluginPath, dataDir.dataDir().resolve("connect"),
                "127.0.0.1", restPort);
        final ConnectWorker worker = ConnectWorker.start(settings, sink);
        final CountDownLatch stopped = new CountDownLatch(1);
        final Thread shutdown = new Thread(() -> {
            worker.close();
            stopped.countDown();
        }, "stockline-connect-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdown);
        try {
            worker.awaitRunning(START_TIMEOUT);
        } catch (final IllegalStateException e) {
            stop(worker, shutdown);
            throw new UserError(e.getMessage() + " (database " + sink.jdbcUrl() + ")", e);
        }
        printBanner(settings, worker, connectors, sink, server);
        try {
            while (!stopped.await(WATCH_SECONDS, TimeUnit.SECONDS)) {
                final Optional<String> failure = worker.failure();
                if (failure.isPresent()) {
                    stop(worker, shutdown);
                    spec.commandLine().getErr().println("stockline: " + failure.get());
                    return 1;
                }
            }
        } catch (final InterruptedException e) {
            // Run in-process (tests, an embedding program): interrupting the command stops the worker cleanly.
            stop(worker, shutdown);
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private void printBanner(final WorkerSettings settings, final ConnectWorker worker,
                             final List<ConnectorDefinition> connectors, final SinkDatabase sink, final String server) {
        final PrintWriter out = spec.commandLine().getOut();
        out.println("Stockline reporting: Kafka Connect standalone worker");
        out.println("  Kafka     " + settings.bootstrapServers());
        out.println("  Database  " + sink.jdbcUrl() + " (" + server + ", user " + sink.user() + ")");
        for (final ConnectorDefinition connector : connectors) {
            out.println("  " + connector.name() + ": " + connector.topic() + " -> " + connector.table());
        }
        out.println("  REST      " + worker.restUrl() + "connectors  (status: GET /connectors/<name>/status)");
        out.println("  Plugins   " + settings.pluginPath().toAbsolutePath());
        out.println("  Offsets   " + settings.offsetsFile().toAbsolutePath());
        out.println("Press Ctrl-C to stop.");
        out.flush();
    }

    private static void stop(final ConnectWorker worker, final Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (final IllegalStateException e) {
            // Already shutting down: the hook stops the worker.
            return;
        }
        worker.close();
    }
}
