package io.stockline.app.service;

import io.javalin.Javalin;
import io.stockline.app.DirectoryLock;
import io.stockline.app.Errors;
import io.stockline.app.UserError;
import io.stockline.app.config.ServiceConfig;
import io.stockline.app.console.Console;
import io.stockline.app.http.HttpApi;
import io.stockline.app.http.HttpMetrics;
import io.stockline.app.query.InteractiveQueries;
import io.stockline.app.query.StockViews;
import io.stockline.app.query.LedgerQueries;
import io.stockline.app.query.PeerClient;
import io.stockline.app.kafka.CleanupRule;
import io.stockline.app.kafka.EmbeddedKafkaBroker;
import io.stockline.app.kafka.KafkaAdmin;
import io.stockline.app.kafka.KafkaClientConfig;
import io.stockline.topology.LedgerTopics;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Stockline instance: the HTTP API, the embedded broker (unless an external cluster is
 * configured) and Kafka Streams running the topology, started in that order and stopped in reverse.
 */
public final class StocklineService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StocklineService.class);
    private static final Duration STREAMS_CLOSE_TIMEOUT = Duration.ofSeconds(10);
    private static final String LOCK_FILE = ".stockline.lock";
    private static final String TEMP_DIR_PROPERTY = "java.io.tmpdir";
    /** How long a client is told to wait when a store cannot answer yet; a rebalance usually takes seconds. */
    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final ServiceConfig config;
    private final TopologyFactory topologies;
    private final AtomicReference<KafkaStreams.State> streamsState = new AtomicReference<>(KafkaStreams.State.CREATED);
    private final AtomicReference<String> failure = new AtomicReference<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private DirectoryLock dataDirLock;
    private Javalin http;
    private EmbeddedKafkaBroker broker;
    private volatile KafkaStreams streams;
    private volatile HostInfo advertised;
    private final HttpMetrics metrics = new HttpMetrics();
    /** How to reach the cluster, once known: the console reads the ledger's outputs with it. */
    private volatile KafkaClientConfig kafka;
    private Console console;
    private OperatorGauges gauges;
    private boolean closed;

    public StocklineService(final ServiceConfig config, final TopologyFactory topologies) {
        this.config = Objects.requireNonNull(config, "config");
        this.topologies = Objects.requireNonNull(topologies, "topologies");
    }

    /**
     * Starts everything and returns once Kafka Streams has been started (not yet RUNNING: see
     * {@code GET /ready}). On failure, whatever had started is stopped again.
     */
    public synchronized Endpoints start() {
        try {
            return startAll();
        } catch (final RuntimeException e) {
            close();
            throw e;
        }
    }

    private Endpoints startAll() {
        dataDirLock = claimDataDir(config.dataDir());
        warnIfTemporary(config.dataDir());
        requireFreePort("HTTP", config.httpHost(), config.httpPort());
        if (config.embeddedKafka()) {
            requireFreePort("Kafka", "127.0.0.1", config.kafkaPort());
        }
        final Optional<String> externalClusterId = config.bootstrapServers().map(this::probe);
        buildTopology(config);
        http = startHttp();
        final String bootstrap = config.bootstrapServers().orElseGet(this::startBroker);
        kafka = new KafkaClientConfig(bootstrap, config.kafkaOverrides());
        final String clusterId = externalClusterId.orElseGet(() -> broker.clusterId());
        gauges = OperatorGauges.start(metrics, streamsState::get, () -> streams, config.sinkGroups(), kafka);
        streams = startStreams(prepareTopics(bootstrap), bootstrap);
        return new Endpoints(bootstrap, config.embeddedKafka(), clusterId,
                "http://" + config.httpHost() + ":" + http.port(), config.dataDir().toAbsolutePath());
    }

    /**
     * Blocks until the service is closed or Kafka Streams has failed.
     *
     * @return why Streams failed, or empty after an orderly close
     */
    public Optional<String> awaitStop() throws InterruptedException {
        stopped.await();
        return Optional.ofNullable(failure.get());
    }

    /** Stops Streams (bounded wait), then HTTP, then the broker; safe to call more than once. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        final boolean started = http != null;
        if (started) {
            LOG.info("Stopping: {}", String.join(", then ", running()));
        }
        metrics.stopMeasuring();
        if (streams != null) {
            // A dynamic member leaves, handing its partitions over now rather than after the session timeout; a
            // static member (--instance-id) stays, so that its restart takes them back without a rebalance.
            streams.close(CloseOptions.groupMembershipOperation(config.instanceId().isPresent()
                            ? CloseOptions.GroupMembershipOperation.REMAIN_IN_GROUP
                            : CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(STREAMS_CLOSE_TIMEOUT));
        }
        if (console != null) {
            // Before HTTP, so that the pages listening to it are let go while the server can end their streams.
            console.close();
        }
        if (http != null) {
            http.stop();
        }
        metrics.close();
        if (gauges != null) {
            gauges.close();
        }
        if (broker != null) {
            broker.close();
        }
        if (dataDirLock != null) {
            dataDirLock.close();
        }
        if (started) {
            LOG.info("Stopped");
        }
        stopped.countDown();
    }

    /** What has started, in the order it stops: a start refused half-way names only what it had started. */
    private List<String> running() {
        final List<String> parts = new ArrayList<>();
        if (streams != null) {
            parts.add("Kafka Streams");
        }
        parts.add("HTTP");
        if (broker != null) {
            parts.add("the embedded broker");
        }
        return parts;
    }

    private static DirectoryLock claimDataDir(final Path dataDir) {
        final Optional<DirectoryLock> lock;
        try {
            Files.createDirectories(dataDir);
            // Being root, or a read-only mount, makes isWritable() unreliable: try it.
            Files.delete(Files.createTempFile(dataDir, ".write-check", ""));
            lock = DirectoryLock.tryAcquire(dataDir, LOCK_FILE);
        } catch (final IOException | SecurityException e) {
            throw new UserError("cannot use the data directory " + dataDir + ": " + describeIo(e), e);
        }
        return lock.orElseThrow(() -> new UserError("the data directory " + dataDir
                + " is in use by another Stockline (stop it, or choose another --data-dir)"));
    }

    /** Kafka Streams warns of this too, but in a log this service lowers for the sake of its recovery warnings. */
    private static void warnIfTemporary(final Path dataDir) {
        final Path temp = Path.of(System.getProperty(TEMP_DIR_PROPERTY)).toAbsolutePath().normalize();
        if (dataDir.toAbsolutePath().normalize().startsWith(temp)) {
            LOG.warn("The data directory {} is under the OS temp directory {}, which the OS may clear: choose another"
                    + " --data-dir to keep the ledger's state", dataDir.toAbsolutePath(), temp);
        }
    }

    private static void requireFreePort(final String what, final String host, final int port) {
        if (port == 0) {
            return;
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
        } catch (final IOException e) {
            final boolean inUse = e instanceof BindException && String.valueOf(e.getMessage()).contains("in use");
            final String hint = inUse ? " (is another Stockline running? choose another with --"
                    + what.toLowerCase(Locale.ROOT) + "-port)" : "";
            throw new UserError(what + " port " + port + " on " + host + " is not available: "
                    + Errors.rootMessage(e) + hint);
        }
    }

    private String probe(final String bootstrap) {
        try (KafkaAdmin admin = KafkaAdmin.connect(new KafkaClientConfig(bootstrap, config.kafkaOverrides()))) {
            return admin.clusterId();
        }
    }

    private Topology buildTopology(final ServiceConfig withPartitions) {
        try {
            return topologies.build(withPartitions);
        } catch (final RuntimeException e) {
            throw new UserError("cannot build the ledger topology: " + Errors.rootMessage(e), e);
        }
    }

    private Javalin startHttp() {
        final PeerClient peers = new PeerClient(RETRY_AFTER);
        final LedgerQueries queries = new InteractiveQueries(() -> streams, () -> advertised, peers, RETRY_AFTER,
                new StockViews(config.allocation()), Clock.systemUTC());
        console = new Console(() -> streams, () -> advertised, peers, () -> kafka, config.applicationId(),
                Clock.systemUTC());
        final Javalin app = new HttpApi(streamsState::get, queries, metrics, console, config.allocation())
                .create();
        try {
            final Javalin started = app.start(config.httpHost(), config.httpPort());
            advertised = new HostInfo(config.advertisedHost(), started.port());
            return started;
        } catch (final RuntimeException e) {
            throw new UserError("cannot start HTTP on " + config.httpHost() + ":" + config.httpPort() + ": "
                    + Errors.rootMessage(e), e);
        }
    }

    private String startBroker() {
        broker = EmbeddedKafkaBroker.start(config.kafkaDir(), config.kafkaPort());
        return broker.bootstrapServers();
    }

    /**
     * Creates the missing topics, checks those that exist, and builds the topology for the partition count they
     * share: the ledger routes by the count its topics really have, which may not be --partitions when they
     * existed before.
     */
    private Topology prepareTopics(final String bootstrap) {
        try (KafkaAdmin admin = KafkaAdmin.connect(new KafkaClientConfig(bootstrap, config.kafkaOverrides()))) {
            final List<String> created = admin.ensureTopics(
                    LedgerTopics.all(), config.partitions(), config.replicationFactor());
            if (!created.isEmpty()) {
                LOG.info("Created topics {}", created);
            }
            final Topology topology = buildTopology(config.withPartitions(admin.coPartitionedCount()));
            admin.requireCleanupPolicies(CleanupRule.forLedger(config.applicationId(), topology));
            return topology;
        }
    }

    private KafkaStreams startStreams(final Topology topology, final String bootstrap) {
        final KafkaStreams started = new LedgerStreams(topology,
                new StreamsConfig(config.streamsProperties(bootstrap, http.port())));
        started.setStateListener(this::onStateChange);
        started.setUncaughtExceptionHandler(this::onUncaughtException);
        started.setGlobalStateRestoreListener(new RestoreLog(LOG::info));
        metrics.bind(started);
        started.start();
        return started;
    }

    private void onStateChange(final KafkaStreams.State newState, final KafkaStreams.State oldState) {
        streamsState.set(newState);
        if (newState == KafkaStreams.State.RUNNING) {
            LOG.info("Ready: Kafka Streams is RUNNING");
        } else if (newState == KafkaStreams.State.ERROR) {
            failure.compareAndSet(null, "Kafka Streams stopped with an error (see the log above)");
            stopped.countDown();
        }
    }

    private StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse onUncaughtException(
            final Throwable error) {
        LOG.error("Kafka Streams failed; shutting down", error);
        failure.compareAndSet(null, "Kafka Streams failed: " + Errors.rootMessage(error));
        return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }

    private static String describeIo(final Exception error) {
        if (error instanceof FileAlreadyExistsException exists) {
            return exists.getFile() + " exists and is not a directory";
        }
        if (error instanceof AccessDeniedException denied) {
            return "permission denied on " + denied.getFile();
        }
        if (error instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason() + " (" + fs.getFile() + ")";
        }
        return Errors.rootMessage(error);
    }

}
