package io.stockline.app.config;

import io.stockline.ledger.AllocationPolicy;
import io.stockline.ledger.DeductOn;
import io.stockline.topology.LedgerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Everything {@code stockline run} needs to know, built once from flags and environment variables.
 *
 * @param dataDir           where the embedded broker ({@code kafka/}) and the state stores ({@code streams/}) live
 * @param bootstrapServers  an existing cluster to use; empty starts the embedded broker
 * @param kafkaPort         the embedded broker's port on 127.0.0.1; 0 picks a free one
 * @param kafkaOverrides    extra client settings merged into every Kafka client
 * @param partitions        partitions of each ledger topic Stockline creates
 * @param replicationFactor replication of each topic Stockline creates; -1 takes the broker's default
 * @param httpHost          the address the HTTP API binds
 * @param httpPort          the HTTP API's port; 0 picks a free one
 * @param advertisedHost    how other instances reach this one's HTTP API
 * @param applicationId     the Kafka Streams application id: instances with the same id share the work
 * @param standbyReplicas   warm copies of each state store kept on other instances
 * @param defaultHold       how long an order holds its stock when it names no hold
 * @param orphanGrace       how long a payment, cancellation or shipment waits for its order
 * @param instanceId        a stable name for this instance (static group membership): a restart within the
 *                          session timeout then takes its partitions back without a rebalance
 * @param orderRetention    how long a settled order and an applied adjustment id are remembered
 * @param sinkGroups        the reporting sinks' consumer groups whose lag {@code /metrics} reports; none: no such gauge
 * @param deductOn          when a paid order's units leave stock on hand: at payment or at shipment
 * @param allocation        the locations the ledger knows, in the order it allocates from, and whether one line may
 *                          take units from several
 */
public record ServiceConfig(
        Path dataDir,
        Optional<String> bootstrapServers,
        int kafkaPort,
        ClientOverrides kafkaOverrides,
        int partitions,
        int replicationFactor,
        String httpHost,
        int httpPort,
        String advertisedHost,
        String applicationId,
        int standbyReplicas,
        Duration defaultHold,
        Duration orphanGrace,
        Optional<String> instanceId,
        Duration orderRetention,
        List<SinkGroup> sinkGroups,
        DeductOn deductOn,
        AllocationPolicy allocation) {

    public static final String DEFAULT_DATA_DIR = "data";
    public static final int DEFAULT_KAFKA_PORT = 9092;
    public static final int DEFAULT_PARTITIONS = 6;
    public static final int BROKER_DEFAULT_REPLICATION = -1;
    public static final String DEFAULT_HTTP_HOST = "127.0.0.1";
    public static final int DEFAULT_HTTP_PORT = 8080;
    public static final String DEFAULT_APPLICATION_ID = "stockline";

    public ServiceConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(kafkaOverrides, "kafkaOverrides");
        requirePort("Kafka port", kafkaPort);
        requirePort("HTTP port", httpPort);
        require(partitions >= 1, "partitions must be at least 1, got " + partitions);
        require(replicationFactor == BROKER_DEFAULT_REPLICATION || replicationFactor >= 1,
                "replication factor must be at least 1 (or -1 for the broker's default), got " + replicationFactor);
        require(standbyReplicas >= 0, "standby replicas must not be negative, got " + standbyReplicas);
        requireText("HTTP host", httpHost);
        requireText("advertised host", advertisedHost);
        requireText("application id", applicationId);
        require(bootstrapServers.map(s -> !s.isBlank()).orElse(true), "bootstrap servers must not be blank");
        Objects.requireNonNull(instanceId, "instanceId");
        require(instanceId.map(s -> !s.isBlank()).orElse(true), "instance id must not be blank");
        sinkGroups = List.copyOf(Objects.requireNonNull(sinkGroups, "sinkGroups"));
        Objects.requireNonNull(deductOn, "deductOn");
        Objects.requireNonNull(allocation, "allocation");
        // The ledger owns the rules for its own settings; checking them here fails at start-up, not later.
        rules(defaultHold, orphanGrace, orderRetention);
    }

    /** A config whose ledger knows the one location {@code default} and does not split lines. */
    public ServiceConfig(final Path dataDir, final Optional<String> bootstrapServers, final int kafkaPort,
                         final ClientOverrides kafkaOverrides, final int partitions, final int replicationFactor,
                         final String httpHost, final int httpPort, final String advertisedHost,
                         final String applicationId, final int standbyReplicas, final Duration defaultHold,
                         final Duration orphanGrace, final Optional<String> instanceId, final Duration orderRetention,
                         final List<SinkGroup> sinkGroups, final DeductOn deductOn) {
        this(dataDir, bootstrapServers, kafkaPort, kafkaOverrides, partitions, replicationFactor, httpHost, httpPort,
                advertisedHost, applicationId, standbyReplicas, defaultHold, orphanGrace, instanceId, orderRetention,
                sinkGroups, deductOn, AllocationPolicy.DEFAULT);
    }

    /** A config with the ledger's default retention, no sink groups, and stock deducted at payment. */
    public ServiceConfig(final Path dataDir, final Optional<String> bootstrapServers, final int kafkaPort,
                         final ClientOverrides kafkaOverrides, final int partitions, final int replicationFactor,
                         final String httpHost, final int httpPort, final String advertisedHost,
                         final String applicationId, final int standbyReplicas, final Duration defaultHold,
                         final Duration orphanGrace, final Optional<String> instanceId) {
        this(dataDir, bootstrapServers, kafkaPort, kafkaOverrides, partitions, replicationFactor, httpHost, httpPort,
                advertisedHost, applicationId, standbyReplicas, defaultHold, orphanGrace, instanceId,
                LedgerConfig.DEFAULT_RETENTION, List.of(), DeductOn.PAYMENT, AllocationPolicy.DEFAULT);
    }

    public boolean embeddedKafka() {
        return bootstrapServers.isEmpty();
    }

    public Path kafkaDir() {
        return dataDir.resolve("kafka");
    }

    public Path streamsDir() {
        return dataDir.resolve("streams");
    }

    /** The ledger's rules, on this config's {@code partitions}: the count its topics share. */
    public LedgerConfig ledgerConfig() {
        return rules(defaultHold, orphanGrace, orderRetention).withPartitions(partitions).withDeductOn(deductOn)
                .withAllocation(allocation);
    }

    private static LedgerConfig rules(final Duration defaultHold, final Duration orphanGrace,
                                      final Duration orderRetention) {
        return new LedgerConfig(defaultHold, orphanGrace, LedgerConfig.DEFAULT_TIMER_INTERVAL)
                .withRetention(orderRetention);
    }

    /** This config for topics that exist with {@code count} partitions, whatever {@code --partitions} said. */
    public ServiceConfig withPartitions(final int count) {
        return new ServiceConfig(dataDir, bootstrapServers, kafkaPort, kafkaOverrides, count, replicationFactor,
                httpHost, httpPort, advertisedHost, applicationId, standbyReplicas, defaultHold, orphanGrace,
                instanceId, orderRetention, sinkGroups, deductOn, allocation);
    }

    /** This config reporting the lag of these sink groups. */
    public ServiceConfig withSinkGroups(final List<SinkGroup> groups) {
        return new ServiceConfig(dataDir, bootstrapServers, kafkaPort, kafkaOverrides, partitions, replicationFactor,
                httpHost, httpPort, advertisedHost, applicationId, standbyReplicas, defaultHold, orphanGrace,
                instanceId, orderRetention, groups, deductOn, allocation);
    }

    /** This config deducting a paid order's stock at payment or at shipment. */
    public ServiceConfig withDeductOn(final DeductOn when) {
        return new ServiceConfig(dataDir, bootstrapServers, kafkaPort, kafkaOverrides, partitions, replicationFactor,
                httpHost, httpPort, advertisedHost, applicationId, standbyReplicas, defaultHold, orphanGrace,
                instanceId, orderRetention, sinkGroups, when, allocation);
    }

    /** This config for a ledger knowing these locations, in this priority order, splitting lines or not. */
    public ServiceConfig withAllocation(final AllocationPolicy policy) {
        return new ServiceConfig(dataDir, bootstrapServers, kafkaPort, kafkaOverrides, partitions, replicationFactor,
                httpHost, httpPort, advertisedHost, applicationId, standbyReplicas, defaultHold, orphanGrace,
                instanceId, orderRetention, sinkGroups, deductOn, policy);
    }

    /**
     * The Kafka Streams settings, through {@link StreamsProperties}: the flags win over the
     * {@code --kafka-config} file, the ledger's required settings over both.
     *
     * @param bootstrap the cluster actually in use (the embedded broker's address is known only once it runs)
     * @param boundHttpPort the HTTP port actually bound, advertised to other instances for forwarding
     */
    public Map<String, Object> streamsProperties(final String bootstrap, final int boundHttpPort) {
        final Map<String, Object> flags = new HashMap<>();
        flags.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        flags.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        flags.put(StreamsConfig.STATE_DIR_CONFIG, streamsDir().toAbsolutePath().toString());
        flags.put(StreamsConfig.APPLICATION_SERVER_CONFIG, advertisedHost + ":" + boundHttpPort);
        flags.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, standbyReplicas);
        flags.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, replicationFactor);
        // Streams gives each of its consumers this id with the thread's index appended.
        instanceId.ifPresent(id -> flags.put(
                StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), id));
        return StreamsProperties.of(kafkaOverrides, flags);
    }

    private static void requirePort(final String name, final int port) {
        require(port >= 0 && port <= 65_535, name + " must be between 0 and 65535, got " + port);
    }

    private static void requireText(final String name, final String value) {
        require(value != null && !value.isBlank(), name + " must not be blank");
    }

    private static void require(final boolean condition, final String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
