package io.stockline.app.kafka;

import io.stockline.app.DirectoryLock;
import io.stockline.app.Errors;
import io.stockline.app.config.ClientOverrides;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.security.plain.PlainLoginModule;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Kafka cluster in this JVM: one KRaft process that is both broker and controller,
 * listening on 127.0.0.1, built from Apache Kafka's own server classes. Its data directory is
 * formatted on first use and reused, with the same cluster id, on every later start.
 *
 * <p>Clients connect over plaintext, or, started with {@link #startWithSaslPlain}, only as one of the
 * given users over SASL/PLAIN. For development, demos and tests; the broker keeps one copy of everything.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final String HOST = "127.0.0.1";
    private static final int NODE_ID = 1;
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final String META_PROPERTIES = "meta.properties";
    private static final String LOCK_FILE = ".embedded-broker.lock";
    // Present while a broker runs on the directory; still there at the next start means it was not stopped.
    private static final String RUNNING_FILE = ".embedded-broker.running";
    private static final ObjectName ACTIVE_BROKERS = objectName(
            "kafka.controller:type=KafkaController,name=ActiveBrokerCount");
    private static final ObjectName FENCED_BROKERS = objectName(
            "kafka.controller:type=KafkaController,name=FencedBrokerCount");
    // The dead broker's session (broker.session.timeout.ms, 9 s) and then some.
    private static final Duration FENCE_WITHIN = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    private final KafkaRaftServer server;
    private final DirectoryLock lock;
    private final Path dataDir;
    private final int port;
    private final String clusterId;
    private final ClientListener listener;

    private EmbeddedKafkaBroker(final KafkaRaftServer server, final DirectoryLock lock, final Path dataDir,
                                final int port, final String clusterId, final ClientListener listener) {
        this.server = server;
        this.lock = lock;
        this.dataDir = dataDir;
        this.port = port;
        this.clusterId = clusterId;
        this.listener = listener;
    }

    /**
     * Starts the broker and returns once it accepts requests.
     *
     * @param dataDir the broker's own directory: formatted when empty, reused otherwise
     * @param port    the client port on 127.0.0.1, or 0 for a free one
     */
    public static EmbeddedKafkaBroker start(final Path dataDir, final int port) {
        return start(dataDir, port, ClientListener.plaintext());
    }

    /**
     * Starts the broker with a client port that admits only {@code users}, each by its password, over
     * SASL/PLAIN without TLS: clients need {@code security.protocol=SASL_PLAINTEXT}, {@code sasl.mechanism=PLAIN}
     * and a {@code PlainLoginModule} {@code sasl.jaas.config}. The broker reaches itself through the same port
     * as a user of its own; {@link #clientConfig()} logs in as that user.
     *
     * @param dataDir the broker's own directory: formatted when empty, reused otherwise
     * @param port    the client port on 127.0.0.1, or 0 for a free one
     * @param users   user name to password; names are letters, digits, '_' and '-'
     */
    public static EmbeddedKafkaBroker startWithSaslPlain(final Path dataDir, final int port,
                                                         final Map<String, String> users) {
        return start(dataDir, port, ClientListener.saslPlain(users));
    }

    private static EmbeddedKafkaBroker start(final Path dataDir, final int port, final ClientListener listener) {
        final Path dir = dataDir.toAbsolutePath();
        final DirectoryLock lock = claim(dir);
        try {
            final int brokerPort = port == 0 ? freePort() : port;
            final KafkaConfig config = new KafkaConfig(
                    serverProperties(dir, listener, brokerPort, freePort()), false);
            final String clusterId = formatUnlessFormatted(dir);
            final Path running = dir.resolve(RUNNING_FILE);
            if (Files.exists(running)) {
                fenceTheDeadBroker(dir);
            }
            touch(running);
            return new EmbeddedKafkaBroker(startServer(config, brokerPort, running), lock, dir, brokerPort, clusterId,
                    listener);
        } catch (final RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    private static KafkaRaftServer startServer(final KafkaConfig config, final int port, final Path running) {
        final KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        try {
            server.startup();
            return server;
        } catch (final RuntimeException e) {
            stop(server);
            // Stopped in order: the next start has no dead broker to fence.
            deleteIfExists(running);
            throw new IllegalStateException("the embedded Kafka broker did not start on " + HOST + ":" + port
                    + ": " + Errors.rootMessage(e), e);
        }
    }

    /**
     * After a crash (SIGKILL, power loss) the metadata log still shows the dead broker as registered and
     * alive, leader of every partition. Started as it is, the broker would load its group and transaction
     * coordinators, be refused by its own controller until the dead one's session expires
     * (DUPLICATE_BROKER_REGISTRATION, 9 s), then lose every leadership for a moment and get it back. In
     * Kafka 4.3, a transaction that the dead broker had decided but not finished (PREPARE_COMMIT) has its
     * markers retried in that moment; finding no leader, the coordinator takes its partitions for deleted,
     * skips them and records the transaction as complete, so the partitions, {@code __consumer_offsets}
     * among them, keep a transaction open for ever and Kafka Streams waits on "unstable offsets" for ever.
     * So the controller runs alone first, until it has fenced the dead broker; then the broker starts
     * fenced, registers at once and loads its coordinators once, and the markers go out as they should.
     */
    private static void fenceTheDeadBroker(final Path dir) {
        LOG.info("The embedded Kafka broker in {} was not stopped cleanly: its controller fences the dead broker "
                + "before the broker starts again (about 10 s)", dir);
        final KafkaRaftServer controller = new KafkaRaftServer(
                new KafkaConfig(controllerOnlyProperties(dir, freePort()), false), Time.SYSTEM);
        try {
            controller.startup();
            awaitDeadBrokerFenced(dir);
        } finally {
            stop(controller);
        }
    }

    /**
     * Until the controller's view of the cluster shows the broker fenced and none unfenced. A directory whose
     * broker died before it ever registered never gets there: after the deadline the broker starts anyway,
     * as it would have without this step.
     */
    private static void awaitDeadBrokerFenced(final Path dir) {
        final long deadline = System.nanoTime() + FENCE_WITHIN.toNanos();
        while (gauge(ACTIVE_BROKERS) != 0 || gauge(FENCED_BROKERS) < 1) {
            if (System.nanoTime() - deadline > 0) {
                LOG.warn("The controller of {} fenced no broker within {} s; starting the broker anyway", dir,
                        FENCE_WITHIN.toSeconds());
                return;
            }
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
        LOG.info("The dead broker is fenced; starting the broker");
    }

    /**
     * A gauge of this JVM's Kafka controller; -1 until the controller has registered it. Kafka's metrics
     * registry is one per JVM: with another embedded broker running here, these are its gauges, the wait
     * above runs to its deadline and the broker starts as it would have without the fencing step.
     */
    private static long gauge(final ObjectName name) {
        try {
            return ((Number) ManagementFactory.getPlatformMBeanServer().getAttribute(name, "Value")).longValue();
        } catch (final InstanceNotFoundException e) {
            return -1;
        } catch (final JMException e) {
            throw new IllegalStateException("cannot read " + name + ": " + e.getMessage(), e);
        }
    }

    private static ObjectName objectName(final String name) {
        try {
            return new ObjectName(name);
        } catch (final MalformedObjectNameException e) {
            throw new IllegalArgumentException(name, e);
        }
    }

    private static void deleteIfExists(final Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot delete " + file + ": " + e.getMessage(), e);
        }
    }

    private static void touch(final Path file) {
        try {
            Files.write(file, new byte[0]);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static DirectoryLock claim(final Path dir) {
        try {
            return DirectoryLock.tryAcquire(dir, LOCK_FILE).orElseThrow(() -> new IllegalStateException(
                    "the Kafka data directory " + dir + " is in use by another embedded broker"));
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot use the Kafka data directory " + dir + ": " + e.getMessage(), e);
        }
    }

    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    public int port() {
        return port;
    }

    public String clusterId() {
        return clusterId;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** A client config for this broker, for tests and tools; on a SASL broker it logs in as the broker. */
    public KafkaClientConfig clientConfig() {
        return new KafkaClientConfig(bootstrapServers(), listener.ownLogin());
    }

    /** Creates the topics that do not exist yet, each with {@code partitions} partitions. */
    public void createTopics(final int partitions, final Collection<String> topics) {
        try (KafkaAdmin admin = KafkaAdmin.connect(clientConfig())) {
            admin.ensureTopics(topics, partitions, 1);
        }
    }

    public void createTopics(final String... topics) {
        createTopics(1, List.of(topics));
    }

    /** Stops the broker; its data stays in {@link #dataDir()} for the next start. */
    @Override
    public void close() {
        try (lock) {
            stop(server);
            deleteIfExists(dataDir.resolve(RUNNING_FILE));
        }
    }

    private static void stop(final KafkaRaftServer server) {
        server.shutdown();
        server.awaitShutdown();
    }

    /**
     * The controller keeps a plaintext listener of its own on 127.0.0.1, even on a SASL broker: only this
     * process's broker side uses it and it is never advertised, but it does not ask who connects.
     */
    private static Map<String, Object> serverProperties(final Path dir, final ClientListener listener,
                                                        final int brokerPort, final int controllerPort) {
        final Map<String, Object> properties = new HashMap<>();
        properties.put("process.roles", "broker,controller");
        properties.put("node.id", String.valueOf(NODE_ID));
        properties.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        properties.put("listeners", listener.name() + "://" + HOST + ":" + brokerPort + ","
                + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
        properties.put("advertised.listeners", listener.name() + "://" + HOST + ":" + brokerPort);
        properties.put("listener.security.protocol.map",
                listener.name() + ":" + listener.protocol() + "," + CONTROLLER_LISTENER + ":PLAINTEXT");
        properties.put("controller.listener.names", CONTROLLER_LISTENER);
        properties.put("inter.broker.listener.name", listener.name());
        properties.put("log.dirs", dir.toString());
        properties.put("metadata.log.dir", dir.toString());
        properties.putAll(listener.serverProperties());
        properties.putAll(singleNodeSettings());
        return properties;
    }

    /** The same node as controller alone, on the same metadata log: only to fence a dead broker. */
    private static Map<String, Object> controllerOnlyProperties(final Path dir, final int controllerPort) {
        final Map<String, Object> properties = new HashMap<>();
        properties.put("process.roles", "controller");
        properties.put("node.id", String.valueOf(NODE_ID));
        properties.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        properties.put("listeners", CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
        properties.put("listener.security.protocol.map", CONTROLLER_LISTENER + ":PLAINTEXT");
        properties.put("controller.listener.names", CONTROLLER_LISTENER);
        properties.put("log.dirs", dir.toString());
        properties.put("metadata.log.dir", dir.toString());
        return properties;
    }

    /** What one node needs where Kafka's defaults assume three, and memory a laptop can spare. */
    private static Map<String, String> singleNodeSettings() {
        return Map.ofEntries(
                Map.entry("default.replication.factor", "1"),
                Map.entry("min.insync.replicas", "1"),
                Map.entry("offsets.topic.replication.factor", "1"),
                Map.entry("offsets.topic.num.partitions", "1"),
                Map.entry("transaction.state.log.replication.factor", "1"),
                Map.entry("transaction.state.log.min.isr", "1"),
                Map.entry("transaction.state.log.num.partitions", "1"),
                Map.entry("share.coordinator.state.topic.replication.factor", "1"),
                Map.entry("share.coordinator.state.topic.min.isr", "1"),
                Map.entry("group.initial.rebalance.delay.ms", "0"),
                // Topics come from 'stockline run' or 'stockline topics --create', never from a typo.
                Map.entry("auto.create.topics.enable", "false"),
                // The 128 MiB default doubles the memory of the whole process.
                Map.entry("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024)),
                Map.entry("num.network.threads", "2"),
                Map.entry("num.io.threads", "4"));
    }

    /** The cluster id from meta.properties, formatting the directory first if it has none. */
    private static String formatUnlessFormatted(final Path dir) {
        final Path meta = dir.resolve(META_PROPERTIES);
        if (Files.exists(meta)) {
            return readClusterId(meta);
        }
        final String clusterId = Uuid.randomUuid().toString();
        try {
            Files.createDirectories(dir);
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setClusterId(clusterId)
                    .setNodeId(NODE_ID)
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setDirectories(List.of(dir.toString()))
                    .setMetadataLogDirectory(dir.toString())
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .run();
        } catch (final Exception e) {
            throw new IllegalStateException("cannot format the Kafka data directory " + dir + ": "
                    + Errors.rootMessage(e), e);
        }
        return clusterId;
    }

    private static String readClusterId(final Path meta) {
        final Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(meta)) {
            properties.load(reader);
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot read " + meta, e);
        }
        final String clusterId = properties.getProperty("cluster.id");
        if (clusterId == null) {
            throw new IllegalStateException(meta + " has no cluster.id: is this a Kafka data directory?");
        }
        return clusterId;
    }

    /**
     * The listener clients connect to, which is also the broker's inter-broker listener: the transaction
     * coordinator sends its commit markers through it, so exactly-once needs it working.
     *
     * @param name             the listener's name, also its security protocol
     * @param serverProperties the broker settings the protocol needs
     * @param ownLogin         the client settings with which the broker's own tools get in
     */
    private record ClientListener(String name, Map<String, String> serverProperties, ClientOverrides ownLogin) {

        private static final String PLAINTEXT = "PLAINTEXT";
        private static final String SASL_PLAINTEXT = "SASL_PLAINTEXT";
        private static final String PLAIN = "PLAIN";
        private static final String BROKER_USER = "stockline-broker";
        // Per listener and mechanism, so no JVM-wide JAAS file (java.security.auth.login.config) is involved.
        private static final String SERVER_JAAS_CONFIG = "listener.name.sasl_plaintext.plain.sasl.jaas.config";
        // JAAS option names are unquoted words: user_<name>.
        private static final Pattern USER_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");

        static ClientListener plaintext() {
            return new ClientListener(PLAINTEXT, Map.of(), ClientOverrides.none());
        }

        static ClientListener saslPlain(final Map<String, String> users) {
            final Map<String, String> everyone = new TreeMap<>(requireUsers(users));
            final String brokerPassword = randomPassword();
            everyone.put(BROKER_USER, brokerPassword);
            final String accounts = everyone.entrySet().stream()
                    .map(user -> " user_" + user.getKey() + "=" + quoted(user.getValue()))
                    .collect(Collectors.joining());
            final Map<String, String> server = Map.of(
                    "sasl.enabled.mechanisms", PLAIN,
                    "sasl.mechanism.inter.broker.protocol", PLAIN,
                    SERVER_JAAS_CONFIG, plainLogin(BROKER_USER, brokerPassword, accounts));
            final ClientOverrides login = new ClientOverrides(Map.of(
                    CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, SASL_PLAINTEXT,
                    SaslConfigs.SASL_MECHANISM, PLAIN,
                    SaslConfigs.SASL_JAAS_CONFIG, plainLogin(BROKER_USER, brokerPassword, "")));
            return new ClientListener(SASL_PLAINTEXT, server, login);
        }

        String protocol() {
            return name;
        }

        private static Map<String, String> requireUsers(final Map<String, String> users) {
            Objects.requireNonNull(users, "users");
            users.forEach((name, password) -> {
                if (name == null || !USER_NAME.matcher(name).matches() || BROKER_USER.equals(name)) {
                    throw new IllegalArgumentException("not a usable SASL user name: " + name);
                }
                Objects.requireNonNull(password, () -> "the password of " + name);
            });
            return users;
        }

        /** The broker's own login (username, password) followed by the accounts it accepts, if any. */
        private static String plainLogin(final String user, final String password, final String accounts) {
            return PlainLoginModule.class.getName() + " required username=" + quoted(user)
                    + " password=" + quoted(password) + accounts + ";";
        }

        private static String quoted(final String value) {
            return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
        }

        private static String randomPassword() {
            final byte[] bytes = new byte[18];
            new SecureRandom().nextBytes(bytes);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (final IOException e) {
            throw new UncheckedIOException("no free port on " + HOST, e);
        }
    }
}
