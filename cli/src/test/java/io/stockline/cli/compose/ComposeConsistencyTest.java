package io.stockline.cli.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stockline.cli.Stockline;
import io.stockline.cli.compose.ComposeFile.Mount;
import io.stockline.cli.compose.ComposeFile.Port;
import io.stockline.cli.compose.ComposeFile.Service;
import io.stockline.cli.compose.Dockerfile.Instruction;
import io.stockline.app.config.ServiceConfig;
import io.stockline.app.config.SinkGroup;
import io.stockline.schemas.api.ApiPaths;
import io.stockline.reporting.ConnectorDefinition;
import io.stockline.reporting.LedgerRowConverter;
import io.stockline.reporting.ReportingConnectors;
import io.stockline.reporting.SinkDatabase;
import io.stockline.reporting.Tables;
import io.stockline.reporting.WorkerSettings;
import io.stockline.topology.LedgerTopics;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.Writer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import kafka.server.KafkaConfig;
import org.apache.kafka.common.utils.internals.AppInfoParser;
import org.apache.kafka.connect.util.SinkUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * The deployment stack in {@code compose/} against the code it deploys, without Docker: the compose file,
 * the Stockline and Kafka Connect Dockerfiles and the Connect worker's properties, read as files and held
 * against the command line's options, {@link LedgerTopics}, the reporting connectors and the in-process
 * Connect worker the reporting tests run.
 */
class ComposeConsistencyTest {

    private static final String STOCKLINE_DOCKERFILE = "compose/Dockerfile";
    private static final String COMPOSE_FILE = ComposeFile.PATH;
    private static final String CONNECTOR_DIRECTORY = "connectors/src/main/connect";
    private static final String RUN = "run";
    private static final String TOPICS = "topics";
    private static final Set<String> JVM_VARIABLES = Set.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS");
    private static final Pattern ENV_EXPRESSION = Pattern.compile("\\$\\{env:([A-Za-z0-9_]+)(?::-([^}]*))?}");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{[^}]+}");
    private static final Pattern JDBC_URL = Pattern.compile("jdbc:(mysql|mariadb)://([^:/]+):(\\d+)/([^?]+).*");
    /** The in-process worker's settings that name where things are, which a deployment sets its own way. */
    private static final Set<String> WORKER_LOCATION_SETTINGS =
            Set.of("bootstrap.servers", "plugin.path", "listeners", "offset.storage.file.filename");
    private static final String KAFKA_IMAGE = "apache/kafka:";
    /** What the apache/kafka image does not write into server.properties (its kafka-propertiesSpec.json). */
    private static final Set<String> KAFKA_IMAGE_NON_PROPERTIES = Set.of("KAFKA_VERSION", "KAFKA_HEAP_OPTS",
            "KAFKA_LOG4J_OPTS", "KAFKA_OPTS", "KAFKA_JMX_OPTS", "KAFKA_JVM_PERFORMANCE_OPTS", "KAFKA_GC_LOG_OPTS",
            "KAFKA_LOG4J_ROOT_LOGLEVEL", "KAFKA_LOG4J_LOGGERS", "KAFKA_TOOLS_LOG4J_LOGLEVEL");
    /** The variables Kafka's launch scripts (kafka-run-class.sh, connect-distributed.sh) read. */
    private static final Set<String> KAFKA_LAUNCHER_VARIABLES = Set.of("KAFKA_HEAP_OPTS", "KAFKA_OPTS",
            "KAFKA_JVM_PERFORMANCE_OPTS", "KAFKA_GC_LOG_OPTS", "KAFKA_LOG4J_OPTS", "KAFKA_JMX_OPTS", "JMX_PORT",
            "LOG_DIR", "KAFKA_DEBUG", "JAVA_DEBUG_PORT", "DEBUG_SUSPEND_FLAG", "JAVA_HOME");
    /** An environment variable name's single underscores, which the apache/kafka image turns into dots. */
    private static final Pattern SINGLE_UNDERSCORE = Pattern.compile("[^_]_[^_]");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROMETHEUS_IMAGE = "prom/prometheus:";
    private static final String GRAFANA_IMAGE = "grafana/grafana:";
    private static final String PROMETHEUS_CONFIG_FLAG = "--config.file";
    private static final String GRAFANA_PROVISIONING = "/etc/grafana/provisioning";
    private static final String LOOPBACK = "127.0.0.1";

    private static Path root;
    private static ComposeFile compose;
    private static Dockerfile stocklineImage;

    @BeforeAll
    static void readTheStack() {
        root = ComposeFile.repositoryRoot();
        compose = ComposeFile.load(root.resolve(COMPOSE_FILE));
        stocklineImage = Dockerfile.parse(root.resolve(STOCKLINE_DOCKERFILE));
    }

    @Test
    void stocklineContainersSetOnlyVariablesTheirCommandReads() {
        // Given the variables the command line reads, from its options' ${env:...} defaults
        final Set<String> runReads = variablesReadBy(RUN);
        assertTrue(runReads.containsAll(Set.of("STOCKLINE_BOOTSTRAP_SERVERS", "STOCKLINE_ADVERTISED_HOST",
                "STOCKLINE_HTTP_PORT", "STOCKLINE_DATA_DIR")), "run reads " + runReads);
        final String readme = read(root.resolve("README.md"));

        // When each Stockline container and the image itself set theirs
        final Map<String, Set<String>> unread = new LinkedHashMap<>();
        for (final Service service : stocklineServices()) {
            final Set<String> unreadHere = new TreeSet<>(service.environment().keySet());
            unreadHere.removeAll(variablesReadBy(command(service)));
            unreadHere.removeAll(JVM_VARIABLES);
            if (!unreadHere.isEmpty()) {
                unread.put(service.name() + " (stockline " + command(service) + ")", unreadHere);
            }
        }
        final Set<String> imageSets = new TreeSet<>(stocklineImage.image().environment().keySet());
        imageSets.removeAll(runReads);
        if (!imageSets.isEmpty()) {
            unread.put(STOCKLINE_DOCKERFILE + " (stockline run)", imageSets);
        }

        // Then the command reads every one, and the README's configuration table documents those of run
        assertEquals(Map.of(), unread, "variables nothing reads");
        for (final String variable : runVariablesOfTheStack()) {
            assertTrue(readme.contains("`" + variable + "`"), variable + " is not in README.md's configuration table");
        }
    }

    @Test
    void eachInstanceAdvertisesItsOwnNameAndThePortItPublishes() {
        // Given the Stockline instances, with what they would resolve their settings to
        final List<Service> instances = instances();
        assertTrue(instances.stream().filter(s -> s.profiles().isEmpty()).count() >= 2,
                "at least two instances start by default");

        final Set<String> endpoints = new HashSet<>();
        final Set<String> hostPorts = new HashSet<>();
        for (final Service instance : instances) {
            // When it starts
            final String advertisedHost = effective(instance, "STOCKLINE_ADVERTISED_HOST");
            final int httpPort = Integer.parseInt(effective(instance, "STOCKLINE_HTTP_PORT"));
            final List<Port> published = instance.ports().stream().filter(p -> p.containerPort() == httpPort).toList();

            // Then others reach it by its service name at its HTTP port, which the host reaches too
            assertEquals("0.0.0.0", effective(instance, "STOCKLINE_HTTP_HOST"),
                    instance.name() + " must listen on every interface");
            assertEquals(instance.name(), advertisedHost, instance.name() + " advertises another name");
            instance.hostname().ifPresent(hostname -> assertEquals(instance.name(), hostname,
                    instance.name() + "'s hostname"));
            assertEquals(1, published.size(), instance.name() + " publishes its HTTP port " + httpPort + " once: "
                    + instance.ports());
            assertTrue(published.get(0).hostPort() != null, instance.name() + " publishes on a fixed host port");
            assertTrue(endpoints.add(advertisedHost + ":" + httpPort), "two instances advertise " + advertisedHost);
            assertTrue(hostPorts.add(published.get(0).hostPort()), "two instances publish host port "
                    + published.get(0).hostPort());
        }
    }

    @Test
    void instancesShareTheApplicationIdButEachKeepsItsStateOnItsOwnVolume() {
        // Given the instances
        final List<Service> instances = instances();

        // When their application ids and state directories are resolved
        final Set<String> applicationIds = instances.stream()
                .map(s -> effective(s, "STOCKLINE_APPLICATION_ID")).collect(Collectors.toSet());
        final Set<String> stateVolumes = new HashSet<>();
        for (final Service instance : instances) {
            final String dataDir = effective(instance, "STOCKLINE_DATA_DIR");
            final List<Mount> mounts = instance.volumes().stream().filter(m -> m.target().equals(dataDir)).toList();

            // Then each data directory is a named volume, declared, of its own
            assertEquals(1, mounts.size(), instance.name() + " mounts nothing at its data directory " + dataDir);
            assertTrue(mounts.get(0).namedVolume(), instance.name() + "'s state is on a host path");
            assertTrue(compose.volumes().contains(mounts.get(0).source()), mounts.get(0).source() + " is not declared");
            assertTrue(stateVolumes.add(mounts.get(0).source()), "two instances share " + mounts.get(0).source());
        }
        assertEquals(1, applicationIds.size(), "one application id for all instances: " + applicationIds);
        final String imageDataDir = stocklineImage.image().environment().get("STOCKLINE_DATA_DIR");
        assertTrue(stocklineImage.image().volumes().contains(imageDataDir),
                "the image's data directory " + imageDataDir + " is a VOLUME");
    }

    @Test
    void everyKafkaClientBootstrapsFromTheBrokersItWaitsFor() {
        // Given the brokers, the version of Kafka the code is built with, and the listeners other containers use
        final List<Service> brokers = brokers();
        final String kafkaImage = KAFKA_IMAGE + AppInfoParser.getVersion();
        final Map<String, Service> internal = new HashMap<>();
        brokers.forEach(broker -> internal.put(internalListener(broker), broker));

        // When the Stockline containers and the Connect worker name their cluster
        final Map<Service, String> clients = new LinkedHashMap<>();
        stocklineServices().forEach(service ->
                clients.put(service, service.environment().get("STOCKLINE_BOOTSTRAP_SERVERS")));
        clients.put(connectService(), connectWorkerProperties().getProperty("bootstrap.servers"));

        // Then each names brokers by those listeners and waits until they are healthy, and every Kafka is the
        // code's version
        for (final Service broker : brokers) {
            assertEquals(kafkaImage, broker.image().orElseThrow());
        }
        assertEquals(kafkaImage, connectImage().image().baseImage(), "Kafka Connect's image");
        for (final Dockerfile.Stage stage : connectImage().stages()) {
            if (stage.baseImage().startsWith(KAFKA_IMAGE)) {
                assertEquals(kafkaImage, stage.baseImage(), "a Kafka stage of Kafka Connect's image");
            }
        }
        clients.forEach((client, bootstrap) -> {
            assertTrue(bootstrap != null && !bootstrap.isBlank(),
                    client.name() + " names no cluster (a Stockline container would start an embedded broker)");
            for (final String server : bootstrap.split(",")) {
                final Service broker = internal.get(server.trim());
                assertTrue(broker != null, client.name() + " bootstraps from " + server
                        + ", which no broker advertises to containers: " + internal.keySet());
                assertEquals("service_healthy", client.dependsOn().get(broker.name()),
                        client.name() + " waits for " + broker.name());
            }
        });
    }

    @Test
    void brokersAreAValidKraftClusterWhoseReplicationFitsTheirNumber() {
        // Given every broker's server.properties, as the apache/kafka image writes them from its KAFKA_* variables
        final List<Service> brokers = brokers();
        final Map<Service, KafkaConfig> configs = new LinkedHashMap<>();
        for (final Service broker : brokers) {
            final Properties properties = serverProperties(broker);
            final Set<String> unknown = new TreeSet<>(properties.stringPropertyNames());
            unknown.removeAll(KafkaConfig.configDef().names());
            assertEquals(Set.of(), unknown,
                    broker.name() + " sets what Kafka has no setting for (a misspelt variable?)");
            try {
                configs.put(broker, KafkaConfig.fromProps(properties, false));
            } catch (final RuntimeException e) {
                throw new AssertionError(broker.name() + " would not start: " + e.getMessage(), e);
            }
        }

        // When the controllers, the cluster id and the replication they ask for are compared
        final Set<String> clusterIds = brokers.stream().map(b -> b.environment().get("CLUSTER_ID"))
                .collect(Collectors.toSet());
        final Set<String> voterLists = configs.values().stream()
                .map(c -> c.getList("controller.quorum.voters").toString()).collect(Collectors.toSet());
        final Map<Integer, String> voters = new HashMap<>();
        for (final String voter : configs.values().iterator().next().getList("controller.quorum.voters")) {
            final String[] idAndEndpoint = voter.split("@", 2);
            voters.put(Integer.parseInt(idAndEndpoint[0]), idAndEndpoint[1]);
        }

        // Then all format one cluster, every controller is a voter at its own name and controller port, and
        // no topic asks for more replicas than there are brokers, nor for more in sync than it has
        assertEquals(1, clusterIds.size(), "one CLUSTER_ID for all brokers: " + clusterIds);
        assertTrue(clusterIds.iterator().next() != null, "the image formats the log directory with CLUSTER_ID");
        assertEquals(1, voterLists.size(), "one controller.quorum.voters for all brokers: " + voterLists);
        final Map<Integer, String> controllers = new HashMap<>();
        configs.forEach((broker, config) -> {
            if (config.getList("process.roles").contains("controller")) {
                final String listener = config.getList("controller.listener.names").get(0);
                controllers.put(config.nodeId(), broker.hostname().orElse(broker.name()) + ":"
                        + listeners(config.getList("listeners")).get(listener).port());
            }
        });
        assertEquals(controllers, voters, "the voters are the controllers, each by the name and port it listens on");
        final int count = brokers.size();
        for (final KafkaConfig config : configs.values()) {
            for (final String replication : List.of("offsets.topic.replication.factor",
                    "transaction.state.log.replication.factor", "share.coordinator.state.topic.replication.factor",
                    "default.replication.factor")) {
                assertTrue(intValue(config, replication) <= count, replication + " " + intValue(config, replication)
                        + " with " + count + " broker(s): the topic cannot be created");
            }
            assertTrue(intValue(config, "transaction.state.log.min.isr")
                            <= intValue(config, "transaction.state.log.replication.factor"),
                    "transaction.state.log.min.isr above its replication: no exactly-once transaction could commit");
            assertTrue(intValue(config, "share.coordinator.state.topic.min.isr")
                    <= intValue(config, "share.coordinator.state.topic.replication.factor"), "share state min ISR");
            assertTrue(intValue(config, "min.insync.replicas") <= intValue(config, "default.replication.factor"),
                    "min.insync.replicas above default.replication.factor: the ledger's topics would take no writes");
        }
    }

    @Test
    void brokersAdvertiseToTheHostOnlyWhatTheyPublish() {
        for (final Service broker : brokers()) {
            // Given what a broker listens on and advertises
            final Map<String, Endpoint> listening = listeners(list(broker.environment().get("KAFKA_LISTENERS")));
            final Map<String, Endpoint> advertised =
                    listeners(list(broker.environment().get("KAFKA_ADVERTISED_LISTENERS")));
            final String name = broker.hostname().orElse(broker.name());

            advertised.forEach((listener, endpoint) -> {
                // When a client follows an advertised address
                final Endpoint bound = listening.get(listener);
                assertTrue(bound != null, broker.name() + " advertises " + listener + ", which it does not listen on");

                // Then it reaches that listener: by the broker's name inside the network, or through a port the
                // broker publishes on the host
                if (endpoint.host().equals(name)) {
                    assertEquals(bound.port(), endpoint.port(), broker.name() + "'s " + listener + " port");
                } else {
                    assertTrue(Set.of("localhost", "127.0.0.1").contains(endpoint.host()),
                            broker.name() + " advertises " + endpoint + ", which nobody can resolve");
                    assertTrue(broker.ports().contains(new Port(String.valueOf(endpoint.port()), bound.port())),
                            broker.name() + " advertises " + listener + " on host port " + endpoint.port()
                                    + " but publishes " + broker.ports());
                }
            });
        }
    }

    @Test
    void topicJobCreatesTheLedgersTopicsBeforeAnyInstanceStarts() {
        // Given the one Stockline container that runs 'stockline topics'
        final List<Service> jobs = stocklineServices().stream().filter(s -> command(s).equals(TOPICS)).toList();
        assertEquals(1, jobs.size(), "one topic job");
        final Service job = jobs.get(0);

        // When its command line is parsed by the command line it runs
        final ParseResult topics = cli().parseArgs(job.command().toArray(String[]::new)).subcommand();

        // Then it creates LedgerTopics.all() (what 'topics --create' creates), every topic a connector reads
        // among them, with the partitions the instances would give them, before any of them starts
        assertTrue(topics.hasMatchedOption("--create"), job.name() + " only lists the topics");
        final int partitions = topics.matchedOptionValue("--partitions", ServiceConfig.DEFAULT_PARTITIONS);
        for (final Service instance : instances()) {
            assertEquals(partitions, Integer.parseInt(effective(instance, "STOCKLINE_PARTITIONS")),
                    instance.name() + " and " + job.name() + " must agree on partitions: the command topics need one count");
            assertEquals("service_completed_successfully", instance.dependsOn().get(job.name()),
                    instance.name() + " waits for the topics");
        }
        for (final ConnectorDefinition connector : ReportingConnectors.templates()) {
            assertTrue(LedgerTopics.all().contains(connector.topic()), connector + " reads a topic nobody creates");
        }
        assertEquals("no", job.restart(), "a one-shot job");
    }

    @Test
    void registrationJobRegistersTheConnectorFilesOfTheReportingTests() throws IOException {
        // Given the job that registers the connectors, and the files it registers
        final Service job = serviceWithVariable("CONNECTOR_FILES");
        final Map<String, String> env = job.environment();
        final Path directory = hostPathMountedAt(job, env.get("CONNECTOR_DIR"));
        final List<String> files = List.of(env.get("CONNECTOR_FILES").trim().split("\\s+"));

        // When the files are read as the script reads them
        final List<ConnectorDefinition> registered = new ArrayList<>();
        for (final String file : files) {
            assertTrue(Files.isRegularFile(directory.resolve(file)), file + " is not in " + directory);
            registered.add(definition(directory.resolve(file)));
        }

        // Then they are connectors/src/main/connect's, the connectors ReportingConnectors gives the reporting tests
        assertEquals(root.resolve(CONNECTOR_DIRECTORY), directory);
        assertEquals(ReportingConnectors.FILES, files);
        assertEquals(ReportingConnectors.templates(), registered);
        assertEquals(Set.of(Tables.STOCK_LEVELS, Tables.STOCK_MOVEMENTS, Tables.STOCK_PLACES, Tables.ORDER_STATUS),
                registered.stream().map(ConnectorDefinition::table).collect(Collectors.toSet()));
        assertEquals(Set.copyOf(ReportingConnectors.topics()),
                registered.stream().map(ConnectorDefinition::topic).collect(Collectors.toSet()));
        assertTrue(LedgerTopics.all().containsAll(ReportingConnectors.topics()), "create-topics creates them");
        // and the script fills in every placeholder they use
        final String script = read(hostPathMountedAt(job, scriptPath(job)));
        for (final ConnectorDefinition connector : registered) {
            for (final String value : connector.config().values()) {
                final Matcher placeholder = PLACEHOLDER.matcher(value);
                while (placeholder.find()) {
                    assertTrue(Set.of(ReportingConnectors.JDBC_URL, ReportingConnectors.DB_USER,
                            ReportingConnectors.DB_PASSWORD).contains(placeholder.group()),
                            connector.name() + " has a placeholder ReportingConnectors does not fill: " + value);
                    assertTrue(script.contains("\"" + placeholder.group() + "\""),
                            "register-connectors.sh does not fill in " + placeholder.group());
                }
            }
        }
    }

    @Test
    void registrationJobWritesToTheDatabaseMysqlCreatesThroughTheWorkerItWaitsFor() {
        // Given the job, the database and the Connect worker
        final Service job = serviceWithVariable("CONNECTOR_FILES");
        final Service mysql = compose.service("mysql");
        final Service connect = connectService();
        final Map<String, String> env = job.environment();
        final Map<String, String> database = mysql.environment();

        // When the job's JDBC URL and Connect URL are taken apart
        final Matcher jdbc = JDBC_URL.matcher(env.get("JDBC_URL"));
        assertTrue(jdbc.matches(), "JDBC_URL " + env.get("JDBC_URL"));
        final URI connectUrl = URI.create(env.get("CONNECT_URL"));
        final URI listener = URI.create(connectWorkerProperties().getProperty("listeners").split(",")[0]);

        // Then they name the services, the database, the account, and the port the worker listens on
        assertEquals(mysql.name(), jdbc.group(2));
        assertEquals("3306", jdbc.group(3));
        assertEquals(database.get("MYSQL_DATABASE"), jdbc.group(4));
        assertEquals(database.get("MYSQL_USER"), env.get("DB_USER"));
        assertEquals(connect.name(), connectUrl.getHost());
        assertEquals(listener.getPort(), connectUrl.getPort());
        // and the connection settings the script fills in are those ReportingConnectors gives the reporting tests'
        // worker for this database
        final Map<String, String> filledByScript = Map.of(ReportingConnectors.JDBC_URL, env.get("JDBC_URL"),
                ReportingConnectors.DB_USER, env.get("DB_USER"));
        final List<ConnectorDefinition> templates = ReportingConnectors.templates();
        final List<ConnectorDefinition> expected = ReportingConnectors.forDatabase(
                new SinkDatabase(env.get("JDBC_URL"), env.get("DB_USER"), ""), Path.of(env.get("SECRETS_FILE")));
        for (int i = 0; i < templates.size(); i++) {
            final ConnectorDefinition connector = expected.get(i);
            templates.get(i).config().forEach((key, value) -> {
                if (filledByScript.containsKey(value)) {
                    assertEquals(connector.config().get(key), filledByScript.get(value),
                            connector.name() + "'s " + key);
                }
            });
        }
        assertEquals(Map.of(connect.name(), "service_healthy", mysql.name(), "service_healthy",
                topicJob().name(), "service_completed_successfully"), job.dependsOn());
        assertEquals("no", job.restart(), "a one-shot job");
    }

    @Test
    void onlyTheWorkerHoldsTheDatabasePasswordAndConnectorsReferToItAsReportingConnectorsDoes() {
        // Given the registration job, the Connect worker and MySQL
        final Service job = serviceWithVariable("CONNECTOR_FILES");
        final Service connect = connectService();
        final Map<String, String> env = job.environment();
        final String secrets = env.get("SECRETS_FILE");

        // When ReportingConnectors makes the password setting for that secrets file
        final String reference = passwordReference(env.get("JDBC_URL"), env.get("DB_USER"), secrets);
        final String key = reference.substring(reference.lastIndexOf(':') + 1, reference.length() - 1);

        // Then the job registers that reference, the worker writes MySQL's password under its key, and the
        // job never sees the password
        assertFalse(env.containsKey("DB_PASSWORD"), job.name() + " needs no password");
        assertEquals(secrets, connect.environment().get("SECRETS_FILE"), "the job and the worker name one file");
        assertEquals(compose.service("mysql").environment().get("MYSQL_PASSWORD"),
                connect.environment().get("DB_PASSWORD"));
        assertTrue(read(hostPathMountedAt(job, scriptPath(job)))
                        .contains("\"" + reference.replace(secrets, "\\($secrets)") + "\""),
                "register-connectors.sh does not refer to the password as ReportingConnectors does: " + reference);
        assertTrue(read(connectLauncher()).contains("'" + key + "="), "start-worker.sh writes no " + key);
    }

    @Test
    void connectWorkerIsConfiguredLikeTheInProcessWorkerOfTheReportingTests() {
        // Given the in-process worker's settings
        final Map<String, String> inProcess = new WorkerSettings("kafka:9092", Map.of(), Path.of("plugins"),
                Path.of("data"), "127.0.0.1", 0).workerProperties();

        // When the deployed worker's properties and image are read
        final Properties deployed = connectWorkerProperties();
        final Dockerfile image = connectImage();

        // Then they convert, isolate and commit the same way; the plugin is where plugin.path looks, and the
        // version the connectors module unpacks, checked against a digest
        inProcess.forEach((key, value) -> {
            if (!WORKER_LOCATION_SETTINGS.contains(key)) {
                assertEquals(value, deployed.getProperty(key), key + " in the deployed worker");
            }
        });
        assertTrue(deployed.getProperty("group.id") != null, "a distributed worker has a group.id");
        final Instruction plugin = image.image().all("COPY").stream()
                .filter(copy -> copy.flags().containsKey("from")).findFirst()
                .orElseThrow(() -> new AssertionError("the Connect image copies no plugin in"));
        assertEquals(deployed.getProperty("plugin.path"), plugin.words().get(1));
        final Instruction download = image.stages().stream().flatMap(s -> s.all("ADD").stream()).findFirst()
                .orElseThrow(() -> new AssertionError("the Connect image downloads no plugin"));
        final String debezium = rootPomProperty("debezium.version");
        assertTrue(download.words().get(0).endsWith("/io/debezium/debezium-connector-jdbc/" + debezium
                + "/debezium-connector-jdbc-" + debezium + "-plugin.tar.gz"), download.arguments());
        assertTrue(download.flags().getOrDefault("checksum", "").matches("sha256:[0-9a-f]{64}"),
                "the plugin's download is checked: " + download.flags());
    }

    @Test
    void connectImagePutsTheConverterEveryConnectorNamesOnThePluginPathBuiltFromTheConnectorsModule() {
        // Given the converter the connectors name, and the deployed worker's plugin path
        final Set<String> converters = ReportingConnectors.templates().stream()
                .map(c -> c.config().get("value.converter")).collect(Collectors.toSet());
        final String pluginPath = connectWorkerProperties().getProperty("plugin.path");

        // When the image's copies into the plugin path are read
        final Dockerfile image = connectImage();
        final Instruction copy = image.image().all("COPY").stream()
                .filter(c -> c.flags().containsKey("from") && c.words().get(1).startsWith(pluginPath + "/"))
                .findFirst().orElseThrow(() -> new AssertionError("the Connect image puts nothing in a plugin "
                        + "directory of its own under " + pluginPath));
        final Dockerfile.Stage build = image.stages().stream()
                .filter(s -> copy.flags().get("from").equals(s.name())).findFirst()
                .orElseThrow(() -> new AssertionError("no stage " + copy.flags().get("from")));

        // Then the one converter is Stockline's, and that stage builds it from the repository's connectors module
        // with the jars it needs beside Connect's own
        assertEquals(Set.of(LedgerRowConverter.class.getName()), converters);
        final String run = build.all("RUN").stream().map(Instruction::arguments).collect(Collectors.joining(" "));
        assertTrue(run.contains("-pl connectors -am package"), run);
        assertTrue(run.contains("-DincludeArtifactIds=stockline-schemas,avro"), run);
        assertTrue(run.contains(copy.words().get(0)), "the stage assembles " + copy.words().get(0) + ": " + run);
        final Map<String, Object> contexts = connectBuildContexts();
        assertEquals("..", contexts.get(build.all("COPY").get(0).flags().get("from")),
                "the stage copies the repository in as an additional build context");
    }

    @Test
    void connectContainersSetOnlyVariablesTheirScriptsRead() {
        // Given the containers of the Connect image: the worker, and the job that registers the connectors
        final Map<String, Set<String>> unread = new LinkedHashMap<>();
        for (final Service service : compose.services().values()) {
            if (!service.dockerfile().map(connectImagePath()::equals).orElse(false)) {
                continue;
            }
            // When the script each runs is read
            final String script = read(service.command().isEmpty() ? connectLauncher()
                    : hostPathMountedAt(service, scriptPath(service)));
            final Set<String> unreadHere = new TreeSet<>();
            for (final String variable : service.environment().keySet()) {
                final boolean launcherReads = KAFKA_LAUNCHER_VARIABLES.contains(variable)
                        && script.contains("/connect-distributed.sh");
                if (!launcherReads && !Pattern.compile("\\$\\{?" + variable + "\\b").matcher(script).find()) {
                    unreadHere.add(variable);
                }
            }
            if (!unreadHere.isEmpty()) {
                unread.put(service.name(), unreadHere);
            }
        }

        // Then the script, or the Kafka launcher it hands over to, reads every one
        assertEquals(Map.of(), unread, "variables nothing reads");
    }

    @Test
    void stocklineImageRunsTheJarAsAnUnprivilegedUserWithStateOnAVolume() {
        // Given the image
        final Dockerfile.Stage image = stocklineImage.image();

        // When its run-time settings are read
        final String user = image.last("USER").map(Instruction::arguments).orElse("root");
        final String healthcheck = image.last("HEALTHCHECK").map(Instruction::arguments).orElse("");
        final int defaultPort = ServiceConfig.DEFAULT_HTTP_PORT;

        // Then it runs java -jar as not root, checks /health on the port the service listens on, and every
        // Stockline service of the compose file is built from it as one image
        assertTrue(image.baseImage().startsWith("eclipse-temurin:17-jre"), image.baseImage());
        assertFalse(Set.of("root", "0", "0:0", "root:root").contains(user), "runs as " + user);
        assertEquals(List.of("java", "-jar", "/app/stockline.jar"), image.last("ENTRYPOINT").orElseThrow().execForm());
        assertEquals(List.of(RUN), image.last("CMD").orElseThrow().execForm());
        assertEquals(List.of("/src/cli/target/stockline.jar", "/app/stockline.jar"),
                image.all("COPY").stream().filter(c -> "build".equals(c.flags().get("from"))).findFirst()
                        .orElseThrow().words());
        assertTrue(stocklineImage.stages().get(0).all("RUN").stream()
                .anyMatch(run -> run.arguments().contains("-pl cli -am package")), "builds the launcher's jar");
        assertTrue(image.all("EXPOSE").stream().anyMatch(e -> e.words().contains(String.valueOf(defaultPort))));
        assertTrue(healthcheck.contains("${STOCKLINE_HTTP_PORT:-" + defaultPort + "}/health"), healthcheck);
        final Set<String> images = stocklineServices().stream().map(s -> s.image().orElseThrow())
                .collect(Collectors.toSet());
        assertEquals(1, images.size(), "one Stockline image: " + images);
    }

    @Test
    void prometheusScrapesEveryInstanceStartedByDefaultAndLoadsTheAlertRules() {
        // Given Prometheus and the configuration file it is started with
        final Service prometheus = serviceWithImage(PROMETHEUS_IMAGE);
        final Path configFile = hostPathMountedAt(prometheus, flag(prometheus, PROMETHEUS_CONFIG_FLAG));
        final Map<String, Object> config = OperatorFiles.yaml(configFile);

        // When its scrape jobs are read
        final Set<String> targets = new TreeSet<>();
        for (final Object job : OperatorFiles.list(config.get("scrape_configs"))) {
            assertEquals(ApiPaths.METRICS, OperatorFiles.map(job).getOrDefault("metrics_path", ApiPaths.METRICS));
            for (final Object group : OperatorFiles.list(OperatorFiles.map(job).get("static_configs"))) {
                OperatorFiles.list(OperatorFiles.map(group).get("targets")).forEach(t -> targets.add(String.valueOf(t)));
            }
        }

        // Then it scrapes each instance that starts by default, by its name on its HTTP port
        final Set<String> instances = instances().stream().filter(s -> s.profiles().isEmpty())
                .map(s -> s.hostname().orElse(s.name()) + ":" + effective(s, "STOCKLINE_HTTP_PORT"))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(instances, targets);
        // and evaluates compose/'s alert rules, mounted where its configuration names them
        assertEquals(root.resolve(OperatorFiles.PROMETHEUS_CONFIG), configFile);
        assertEquals(List.of(root.resolve(OperatorFiles.ALERT_RULES)),
                OperatorFiles.list(config.get("rule_files")).stream()
                        .map(file -> hostPathMountedAt(prometheus, String.valueOf(file))).toList());
    }

    @Test
    void grafanaShowsTheDashboardOverThePrometheusOfTheStack() {
        // Given Grafana, Prometheus, and what Grafana provisions from its mounted directory
        final Service grafana = serviceWithImage(GRAFANA_IMAGE);
        final Service prometheus = serviceWithImage(PROMETHEUS_IMAGE);
        final Path provisioning = hostPathMountedAt(grafana, GRAFANA_PROVISIONING);
        assertEquals(root.resolve(OperatorFiles.DATASOURCES).getParent().getParent(), provisioning);
        final Map<String, Object> source = OperatorFiles.map(OperatorFiles.list(OperatorFiles.yaml(
                root.resolve(OperatorFiles.DATASOURCES)).get("datasources")).get(0));
        final Map<String, Object> provider = OperatorFiles.map(OperatorFiles.list(OperatorFiles.yaml(
                root.resolve(OperatorFiles.DASHBOARD_PROVIDERS)).get("providers")).get(0));

        // Then its data source is the stack's Prometheus, by name and port, which it waits for
        assertEquals("prometheus", source.get("type"));
        assertEquals("http://" + prometheus.hostname().orElse(prometheus.name()) + ":"
                + prometheus.ports().get(0).containerPort(), source.get("url"));
        assertTrue(grafana.dependsOn().containsKey(prometheus.name()), "grafana waits for prometheus");
        // and it loads compose/'s dashboard, whose every query goes to that data source
        final String dashboardDirectory = String.valueOf(OperatorFiles.map(provider.get("options")).get("path"));
        assertEquals(root.resolve(OperatorFiles.DASHBOARD).getParent(), hostPathMountedAt(grafana, dashboardDirectory));
        final List<JsonNode> sources = OperatorFiles.json(root.resolve(OperatorFiles.DASHBOARD)).findValues("datasource");
        assertFalse(sources.isEmpty(), "the dashboard names no data source");
        sources.forEach(s -> assertEquals(source.get("uid"), s.path("uid").asText(), "a panel's data source"));
    }

    @Test
    void operatorImagesArePinnedAndEveryPortIsPublishedOnTheLoopbackOnly() {
        for (final String image : List.of(PROMETHEUS_IMAGE, GRAFANA_IMAGE)) {
            final String tag = serviceWithImage(image).image().orElseThrow().substring(image.length());
            assertFalse(tag.isBlank() || tag.equals("latest"), image + " is not pinned to a version: " + tag);
        }
        for (final Service service : compose.services().values()) {
            for (final Object port : (List<?>) service.definition().getOrDefault("ports", List.of())) {
                assertTrue(String.valueOf(port).startsWith(LOOPBACK + ":"), service.name() + " publishes " + port
                        + " beyond " + LOOPBACK);
            }
        }
    }

    @Test
    void instancesReportTheLagOfEveryConnectorsConsumerGroup() {
        // Given the consumer group of each connector the registration job registers, and the topic it reads
        final Set<SinkGroup> connectorGroups = ReportingConnectors.templates().stream()
                .map(c -> new SinkGroup(SinkUtils.consumerGroupId(c.name()), c.topic())).collect(Collectors.toSet());

        // Then every instance reports the lag of exactly those
        for (final Service instance : instances()) {
            assertEquals(connectorGroups, Set.copyOf(SinkGroup.parseAll(effective(instance, "STOCKLINE_SINK_GROUPS"))),
                    instance.name() + "'s STOCKLINE_SINK_GROUPS");
        }
    }

    @Test
    void servicesStartInDependencyOrder() {
        // Given every service and what it waits for
        final Map<String, Service> services = compose.services();
        final Set<String> hostPorts = new HashSet<>();

        for (final Service service : services.values()) {
            // When a dependency is waited on by a condition
            service.dependsOn().forEach((dependency, condition) -> {
                final Service target = services.get(dependency);
                assertTrue(target != null, service.name() + " waits for a service that does not exist: " + dependency);
                assertTrue(target.profiles().isEmpty() || target.profiles().equals(service.profiles()),
                        service.name() + " waits for " + dependency + ", which may not be started");
                // Then the condition can come true
                switch (condition) {
                    case "service_healthy" -> assertTrue(hasHealthcheck(target),
                            service.name() + " waits for " + dependency + " to be healthy, which has no health check");
                    case "service_completed_successfully" -> assertEquals("no", target.restart(),
                            service.name() + " waits for " + dependency + " to complete, which restarts");
                    case "service_started" -> { }
                    default -> fail(service.name() + ": unknown condition " + condition);
                }
            });
            // and nothing else gets in the way: named volumes are declared, host ports taken once
            for (final Mount mount : service.volumes()) {
                if (mount.namedVolume()) {
                    assertTrue(compose.volumes().contains(mount.source()), mount.source() + " is not declared");
                } else {
                    assertTrue(Files.exists(Path.of(mount.source())), service.name() + " mounts a missing "
                            + mount.source());
                }
            }
            for (final Port port : service.ports()) {
                if (port.hostPort() != null) {
                    assertTrue(hostPorts.add(port.hostPort()), "host port " + port.hostPort() + " published twice");
                }
            }
        }
        assertNoCycle(services);
    }

    // ---- the command line ----

    private static CommandLine cli() {
        final PrintWriter silent = new PrintWriter(Writer.nullWriter());
        return Stockline.commandLine(InputStream.nullInputStream(), silent, silent, config -> {
            throw new AssertionError("nothing runs here");
        });
    }

    /** The variables a subcommand reads: the {@code ${env:NAME}} in its options' default values. */
    private static Set<String> variablesReadBy(final String subcommand) {
        return envDefaults(subcommand).keySet();
    }

    /** By variable, the default of the option that reads it (null when the option has none). */
    private static Map<String, String> envDefaults(final String subcommand) {
        final CommandLine command = cli().setInterpolateVariables(false).getSubcommands().get(subcommand);
        if (command == null) {
            throw new AssertionError("stockline has no command '" + subcommand + "'");
        }
        final Map<String, String> defaults = new HashMap<>();
        for (final OptionSpec option : command.getCommandSpec().options()) {
            final Matcher env = ENV_EXPRESSION.matcher(String.valueOf(option.defaultValue()));
            while (env.find()) {
                defaults.put(env.group(1), env.group(2));
            }
        }
        return defaults;
    }

    /**
     * What an instance's variable comes to: the compose file's value, else the image's, else the default of
     * the option that reads it.
     */
    private static String effective(final Service instance, final String variable) {
        final String fromCompose = instance.environment().get(variable);
        if (fromCompose != null) {
            return fromCompose;
        }
        final String fromImage = stocklineImage.image().environment().get(variable);
        if (fromImage != null) {
            return fromImage;
        }
        final Map<String, String> defaults = envDefaults(RUN);
        if (!defaults.containsKey(variable)) {
            throw new AssertionError("stockline run reads no " + variable);
        }
        return Optional.ofNullable(defaults.get(variable)).orElseThrow(() -> new AssertionError(
                instance.name() + " does not set " + variable + ", which has no default"));
    }

    // ---- the compose file ----

    /** The services that run the Stockline image, built from compose/Dockerfile. */
    private static List<Service> stocklineServices() {
        final Path dockerfile = root.resolve(STOCKLINE_DOCKERFILE);
        final List<Service> services = compose.services().values().stream()
                .filter(s -> s.dockerfile().filter(dockerfile::equals).isPresent()).toList();
        assertFalse(services.isEmpty(), "no service is built from " + STOCKLINE_DOCKERFILE);
        return services;
    }

    private static List<Service> instances() {
        return stocklineServices().stream().filter(s -> command(s).equals(RUN)).toList();
    }

    private static Service topicJob() {
        return stocklineServices().stream().filter(s -> command(s).equals(TOPICS)).findFirst().orElseThrow();
    }

    /** The stockline subcommand a Stockline service runs: its command's first word, else the image's CMD. */
    private static String command(final Service service) {
        final List<String> command = service.command().isEmpty()
                ? stocklineImage.image().last("CMD").orElseThrow().execForm() : service.command();
        return command.get(0);
    }

    private static Service serviceWithImage(final String image) {
        return compose.services().values().stream()
                .filter(s -> s.image().filter(i -> i.startsWith(image)).isPresent()).findFirst()
                .orElseThrow(() -> new AssertionError("no service runs " + image));
    }

    /** The value of {@code --name=value} in a service's command. */
    private static String flag(final Service service, final String name) {
        return service.command().stream().filter(a -> a.startsWith(name + "=")).findFirst()
                .map(a -> a.substring(name.length() + 1))
                .orElseThrow(() -> new AssertionError(service.name() + " is not started with " + name));
    }

    private static Service serviceWithVariable(final String variable) {
        return compose.services().values().stream().filter(s -> s.environment().containsKey(variable)).findFirst()
                .orElseThrow(() -> new AssertionError("no service sets " + variable));
    }

    private static Service connectService() {
        return compose.services().values().stream()
                .filter(s -> s.dockerfile().isPresent() && s.command().isEmpty()
                        && connectImagePath().equals(s.dockerfile().get()))
                .findFirst().orElseThrow(() -> new AssertionError("no Kafka Connect worker"));
    }

    /** The host path mounted at {@code target} in {@code service}, or the file within such a mount. */
    private static Path hostPathMountedAt(final Service service, final String target) {
        for (final Mount mount : service.volumes()) {
            if (!mount.namedVolume() && (target.equals(mount.target()) || target.startsWith(mount.target() + "/"))) {
                return Path.of(mount.source()).resolve(target.substring(mount.target().length()).replaceFirst("^/", ""))
                        .normalize();
            }
        }
        throw new AssertionError(service.name() + " mounts nothing from the repository at " + target);
    }

    /** The script a job runs: the last word of its command that names a .sh file. */
    private static String scriptPath(final Service job) {
        return job.command().stream().filter(word -> word.endsWith(".sh")).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError(job.name() + " runs no script"));
    }

    private static boolean hasHealthcheck(final Service service) {
        return service.hasHealthcheck() || service.dockerfile()
                .map(path -> Dockerfile.parse(path).image().last("HEALTHCHECK").isPresent()).orElse(false);
    }

    /** host:port of the listener the broker advertises to other containers (its inter-broker listener). */
    private static String internalListener(final Service kafka) {
        final Map<String, String> env = kafka.environment();
        final String name = env.getOrDefault("KAFKA_INTER_BROKER_LISTENER_NAME", "PLAINTEXT");
        for (final String listener : env.get("KAFKA_ADVERTISED_LISTENERS").split(",")) {
            if (listener.startsWith(name + "://")) {
                final String hostPort = listener.substring(name.length() + 3);
                assertEquals(kafka.hostname().orElse(kafka.name()), hostPort.split(":")[0],
                        "the broker advertises a name other containers cannot resolve: " + listener);
                return hostPort;
            }
        }
        throw new AssertionError("the broker advertises no " + name + " listener");
    }

    /** The Kafka brokers: the services that run the apache/kafka image as it is. */
    private static List<Service> brokers() {
        final List<Service> brokers = compose.services().values().stream()
                .filter(s -> s.dockerfile().isEmpty() && s.image().filter(i -> i.startsWith(KAFKA_IMAGE)).isPresent())
                .toList();
        assertFalse(brokers.isEmpty(), "no Kafka broker");
        return brokers;
    }

    /**
     * The server.properties the apache/kafka image writes from a broker's variables: each KAFKA_* but the
     * launcher's, without the prefix, lower case, with _ as '.', __ as '_' and ___ as '-'. The image's own
     * defaults for variables left unset are not applied: the file must say what the cluster depends on.
     */
    private static Properties serverProperties(final Service broker) {
        final Properties properties = new Properties();
        broker.environment().forEach((variable, value) -> {
            if (variable.startsWith("KAFKA_") && !KAFKA_IMAGE_NON_PROPERTIES.contains(variable)) {
                final String name = SINGLE_UNDERSCORE.matcher(variable.substring("KAFKA_".length()))
                        .replaceAll(m -> Matcher.quoteReplacement(m.group().replace('_', '.')));
                properties.setProperty(name.replace("___", "-").replace("__", "_").toLowerCase(Locale.ROOT), value);
            }
        });
        return properties;
    }

    /** A listener's address: empty host for every interface. */
    private record Endpoint(String host, int port) {
    }

    /** By listener name, listeners written {@code NAME://host:port}. */
    private static Map<String, Endpoint> listeners(final List<String> listeners) {
        final Map<String, Endpoint> endpoints = new LinkedHashMap<>();
        for (final String listener : listeners) {
            final String[] nameAndAddress = listener.trim().split("://", 2);
            final int colon = nameAndAddress[1].lastIndexOf(':');
            endpoints.put(nameAndAddress[0], new Endpoint(nameAndAddress[1].substring(0, colon),
                    Integer.parseInt(nameAndAddress[1].substring(colon + 1))));
        }
        return endpoints;
    }

    private static List<String> list(final String commaSeparated) {
        assertTrue(commaSeparated != null, "a broker setting is missing");
        return List.of(commaSeparated.split(","));
    }

    private static int intValue(final KafkaConfig config, final String name) {
        return ((Number) config.values().get(name)).intValue();
    }

    private static void assertNoCycle(final Map<String, Service> services) {
        final Map<String, Integer> state = new HashMap<>();
        for (final String name : services.keySet()) {
            visit(name, services, state, new ArrayList<>());
        }
    }

    private static void visit(final String name, final Map<String, Service> services, final Map<String, Integer> state,
                              final List<String> path) {
        final int seen = state.getOrDefault(name, 0);
        if (seen == 2) {
            return;
        }
        path.add(name);
        if (seen == 1) {
            fail("services wait for each other in a circle: " + String.join(" -> ", path));
        }
        state.put(name, 1);
        for (final String dependency : services.get(name).dependsOn().keySet()) {
            if (services.containsKey(dependency)) {
                visit(dependency, services, state, path);
            }
        }
        state.put(name, 2);
        path.remove(path.size() - 1);
    }

    private static Set<String> runVariablesOfTheStack() {
        final Set<String> variables = new TreeSet<>(stocklineImage.image().environment().keySet());
        instances().forEach(instance -> variables.addAll(instance.environment().keySet()));
        variables.removeAll(JVM_VARIABLES);
        return variables;
    }

    // ---- Kafka Connect ----

    private static Path connectImagePath() {
        return compose.services().values().stream()
                .map(Service::dockerfile).flatMap(Optional::stream)
                .filter(path -> !path.equals(root.resolve(STOCKLINE_DOCKERFILE)))
                .findFirst().orElseThrow(() -> new AssertionError("no image is built for Kafka Connect"));
    }

    /** The additional build contexts of the Connect image, by name. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> connectBuildContexts() {
        return (Map<String, Object>) connectService().build().getOrDefault("additional_contexts", Map.of());
    }

    private static Dockerfile connectImage() {
        return Dockerfile.parse(connectImagePath());
    }

    /** The properties file the Connect image's CMD starts the worker with, read from where the image copies it. */
    private static Properties connectWorkerProperties() {
        final List<String> cmd = connectImage().image().last("CMD").orElseThrow().execForm();
        assertTrue(read(connectLauncher()).contains("/connect-distributed.sh"),
                "Kafka Connect runs in distributed mode: " + cmd);
        final Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(copiedInto(connectImage(), cmd.get(cmd.size() - 1)))) {
            properties.load(reader);
        } catch (final IOException e) {
            throw new AssertionError("cannot read the worker's properties", e);
        }
        return properties;
    }

    /** The script the Connect image starts with, from the repository. */
    private static Path connectLauncher() {
        return copiedInto(connectImage(), connectImage().image().last("CMD").orElseThrow().execForm().get(0));
    }

    /** The file of the build context that {@code image} copies to {@code inImage}. */
    private static Path copiedInto(final Dockerfile image, final String inImage) {
        final Instruction copy = image.image().all("COPY").stream()
                .filter(c -> !c.flags().containsKey("from") && c.words().get(c.words().size() - 1).equals(inImage))
                .findFirst().orElseThrow(() -> new AssertionError("the Connect image does not copy in " + inImage));
        return connectImagePath().getParent().resolve(copy.words().get(0));
    }

    /**
     * The value ReportingConnectors gives the password setting of a connector: a reference to the key of
     * {@code secretsFile} that holds it.
     */
    private static String passwordReference(final String jdbcUrl, final String user, final String secretsFile) {
        final ConnectorDefinition template = ReportingConnectors.templates().get(0);
        final String setting = template.config().entrySet().stream()
                .filter(e -> e.getValue().equals(ReportingConnectors.DB_PASSWORD)).map(Map.Entry::getKey)
                .findFirst().orElseThrow(() -> new AssertionError(template.name() + " has no password placeholder"));
        return ReportingConnectors.forDatabase(new SinkDatabase(jdbcUrl, user, ""), Path.of(secretsFile)).get(0)
                .config().get(setting);
    }

    // ---- files ----

    private static ConnectorDefinition definition(final Path file) throws IOException {
        final JsonNode json = JSON.readTree(file.toFile());
        final Map<String, String> config = new HashMap<>();
        for (final Map.Entry<String, JsonNode> setting : json.path("config").properties()) {
            config.put(setting.getKey(), setting.getValue().asText());
        }
        final String name = json.path("name").asText();
        config.put("name", name);
        return new ConnectorDefinition(name, config);
    }

    private static String rootPomProperty(final String name) {
        try {
            final DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            final Document pom = factory.newDocumentBuilder().parse(root.resolve("pom.xml").toFile());
            final NodeList nodes = pom.getElementsByTagName(name);
            if (nodes.getLength() != 1) {
                throw new AssertionError("the root pom has no single <" + name + ">");
            }
            return nodes.item(0).getTextContent().trim();
        } catch (final Exception e) {
            throw new AssertionError("cannot read the root pom", e);
        }
    }

    private static String read(final Path file) {
        try {
            return Files.readString(file);
        } catch (final IOException e) {
            throw new AssertionError("cannot read " + file, e);
        }
    }
}
