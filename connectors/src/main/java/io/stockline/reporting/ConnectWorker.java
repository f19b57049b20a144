package io.stockline.reporting;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.connect.cli.ConnectStandalone;
import org.apache.kafka.connect.connector.policy.ConnectorClientConfigOverridePolicy;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.runtime.Connect;
import org.apache.kafka.connect.runtime.Herder;
import org.apache.kafka.connect.runtime.WorkerConfig;
import org.apache.kafka.connect.runtime.isolation.Plugins;
import org.apache.kafka.connect.runtime.rest.RestClient;
import org.apache.kafka.connect.runtime.rest.ConnectRestServer;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.apache.kafka.connect.runtime.standalone.StandaloneConfig;
import org.apache.kafka.connect.runtime.standalone.StandaloneHerder;
import org.apache.kafka.connect.util.FutureCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka Connect standalone worker in this JVM, running the given sink connectors. The same steps as
 * Kafka's {@code connect-standalone} script, but a failure is an exception, not {@code System.exit}, and
 * the worker stops when closed.
 *
 * <p>Plugins are found with {@code plugin.discovery=service_load} on the plugin path: each plugin directory
 * gets its own class loader, so the connector's Hibernate, JDBC drivers and Jackson never meet ours.
 */
public final class ConnectWorker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectWorker.class);
    private static final Duration CREATE_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final String RUNNING = "RUNNING";
    private static final String FAILED = "FAILED";

    private final Connect<StandaloneHerder> connect;
    private final URI restUrl;
    private final List<String> connectorNames;
    private final Path secretsFile;

    private ConnectWorker(final Connect<StandaloneHerder> connect, final URI restUrl, final List<String> names,
                          final Path secretsFile) {
        this.connect = connect;
        this.restUrl = restUrl;
        this.connectorNames = List.copyOf(names);
        this.secretsFile = secretsFile;
    }

    /**
     * Starts the worker with the reporting connectors ({@link ReportingConnectors}) writing to {@code database};
     * returns once Connect accepted them (their tasks may still be starting: see {@link #awaitRunning}).
     */
    public static ConnectWorker start(final WorkerSettings config, final SinkDatabase database) {
        requirePlugins(config);
        createDirectories(config);
        ReportingConnectors.writeSecrets(database, config.secretsFile());
        try {
            return start(config, ReportingConnectors.forDatabase(database, config.secretsFile()));
        } catch (final RuntimeException e) {
            deleteQuietly(config.secretsFile());
            throw e;
        }
    }

    private static ConnectWorker start(final WorkerSettings config, final List<ConnectorDefinition> connectors) {
        final Map<String, String> properties = config.workerProperties();
        final Plugins plugins = new Plugins(properties);
        final ClassLoader saved = plugins.compareAndSwapWithDelegatingLoader();
        ConnectRestServer rest = null;
        Connect<StandaloneHerder> connect = null;
        try {
            final InProcessStandalone cli = new InProcessStandalone();
            final StandaloneConfig workerConfig = new StandaloneConfig(properties);
            final RestClient restClient = new RestClient(workerConfig);
            rest = new ConnectRestServer(workerConfig.rebalanceTimeout(), restClient, workerConfig.originals());
            rest.initializeServer();
            final URI advertised = rest.advertisedUrl();
            // newPlugins, not newPlugin: the latter's overloads need Maven's VersionRange to compile against.
            final ConnectorClientConfigOverridePolicy policy = plugins.newPlugins(
                    List.of(workerConfig.getString(WorkerConfig.CONNECTOR_CLIENT_POLICY_CLASS_CONFIG)),
                    workerConfig, ConnectorClientConfigOverridePolicy.class).get(0);
            final StandaloneHerder herder = cli.herder(workerConfig, advertised.getHost() + ":" + advertised.getPort(),
                    plugins, policy, rest, restClient);
            connect = new Connect<>(herder, rest);
            connect.start();
            for (final ConnectorDefinition connector : connectors) {
                create(herder, connector);
            }
            herder.ready();
            LOG.info("Kafka Connect worker up, REST at {}, connectors {}", advertised,
                    connectors.stream().map(ConnectorDefinition::name).toList());
            return new ConnectWorker(connect, advertised, connectors.stream().map(ConnectorDefinition::name).toList(),
                    config.secretsFile());
        } catch (final RuntimeException e) {
            if (connect != null) {
                connect.stop();
            } else if (rest != null) {
                rest.stop();
            }
            if (e instanceof ConnectException) {
                throw new IllegalStateException("Kafka Connect could not start: " + oneLine(rootMessage(e)), e);
            }
            throw e;
        } finally {
            Plugins.compareAndSwapLoaders(saved);
        }
    }

    private static void create(final Herder herder, final ConnectorDefinition connector) {
        final FutureCallback<Herder.Created<ConnectorInfo>> created = new FutureCallback<>();
        herder.putConnectorConfig(connector.name(), connector.config(), false, created);
        try {
            created.get(CREATE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (final ExecutionException e) {
            throw new IllegalStateException("Kafka Connect refused connector " + connector.name() + ": "
                    + oneLine(e.getCause().getMessage()), e.getCause());
        } catch (final TimeoutException e) {
            throw new IllegalStateException("Kafka Connect did not create connector " + connector.name() + " within "
                    + CREATE_TIMEOUT.toSeconds() + " s", e);
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating connector " + connector.name(), e);
        }
    }

    /** Connect's REST API, e.g. {@code GET /connectors/<name>/status}. */
    public URI restUrl() {
        return restUrl;
    }

    /**
     * Waits until every connector and each of its tasks is RUNNING.
     *
     * @throws IllegalStateException when one FAILED (with its error's first line), or on timeout
     */
    public void awaitRunning(final Duration timeout) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            final List<String> notRunning = new ArrayList<>();
            for (final String name : connectorNames) {
                final ConnectorStateInfo status = connect.herder().connectorStatus(name);
                failure(status).ifPresent(message -> {
                    throw new IllegalStateException(message);
                });
                if (!RUNNING.equals(status.connector().state()) || status.tasks().isEmpty()
                        || status.tasks().stream().anyMatch(t -> !RUNNING.equals(t.state()))) {
                    notRunning.add(name);
                }
            }
            if (notRunning.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("connectors still not running after " + timeout.toSeconds() + " s: "
                        + notRunning);
            }
            LockSupport.parkNanos(POLL.toNanos());
        }
    }

    /** The first failed connector or task, as one line naming it; empty while none has failed. */
    public Optional<String> failure() {
        for (final String name : connectorNames) {
            final Optional<String> failed = failure(connect.herder().connectorStatus(name));
            if (failed.isPresent()) {
                return failed;
            }
        }
        return Optional.empty();
    }

    private static Optional<String> failure(final ConnectorStateInfo status) {
        if (FAILED.equals(status.connector().state())) {
            return Optional.of("connector " + status.name() + " failed: " + firstLine(status.connector().trace()));
        }
        return status.tasks().stream().filter(t -> FAILED.equals(t.state())).findFirst()
                .map(t -> "connector " + status.name() + " task " + t.id() + " failed: " + firstLine(t.trace()));
    }

    /** Stops the connectors (committing what they wrote) and the worker, and removes the password file. */
    @Override
    public void close() {
        connect.stop();
        deleteQuietly(secretsFile);
    }

    private static void deleteQuietly(final Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (final IOException e) {
            LOG.warn("Could not delete {}: {}", file, e.getMessage());
        }
    }

    private static void requirePlugins(final WorkerSettings config) {
        if (!Files.isDirectory(PluginPaths.jdbcSinkDirectory(config.pluginPath()))) {
            throw new IllegalStateException("no Debezium JDBC sink plugin in " + config.pluginPath().toAbsolutePath()
                    + " (build it with 'mvn -pl connectors package', or point --plugin-path at the directory that "
                    + "holds " + PluginPaths.JDBC_SINK_DIRECTORY + "/)");
        }
    }

    private static void createDirectories(final WorkerSettings config) {
        try {
            Files.createDirectories(config.dataDir());
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot create the Connect data directory " + config.dataDir(), e);
        }
    }

    /** The root cause line of a Connect trace: the exception the task died of, not the whole stack. */
    private static String firstLine(final String trace) {
        if (trace == null || trace.isBlank()) {
            return "(no trace)";
        }
        String cause = trace.lines().findFirst().orElse(trace);
        for (final String line : trace.lines().toList()) {
            if (line.startsWith("Caused by: ")) {
                cause = line.substring("Caused by: ".length());
            }
        }
        return oneLine(cause);
    }

    private static String rootMessage(final Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    private static String oneLine(final String message) {
        return message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    /** Reaches {@link ConnectStandalone}'s herder factory, so the worker is wired exactly as Kafka wires it. */
    private static final class InProcessStandalone extends ConnectStandalone {

        StandaloneHerder herder(final StandaloneConfig config, final String workerId, final Plugins plugins,
                                final ConnectorClientConfigOverridePolicy policy, final ConnectRestServer rest,
                                final RestClient restClient) {
            return createHerder(config, workerId, plugins, policy, rest, restClient);
        }
    }
}
