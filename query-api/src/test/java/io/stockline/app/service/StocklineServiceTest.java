package io.stockline.app.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stockline.testkit.Await;
import io.stockline.testkit.Http;
import io.stockline.app.UserError;
import io.stockline.app.config.ClientOverrides;
import io.stockline.app.config.ServiceConfig;
import io.stockline.app.kafka.EmbeddedKafkaBroker;
import io.stockline.app.kafka.KafkaAdmin;
import io.stockline.app.kafka.KafkaClientConfig;
import io.stockline.schemas.EventTopic;
import io.stockline.topology.LedgerTopics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole service on an embedded broker, with a topology of the test's own. */
class StocklineServiceTest {

    private static final Duration READY_WITHIN = Duration.ofSeconds(60);
    private static final String APPLICATION_ID = "stockline-service-test";
    private static final String ORDERS_STORE = "orders-by-id";

    @TempDir
    Path dataDir;

    @Test
    void becomesReadyAndARestartFindsTheSameClusterAndTopics() throws Exception {
        final Endpoints first;
        try (StocklineService service = embeddedService()) {
            first = service.start();

            assertEquals(200, Http.get(first.httpUrl() + "/health").statusCode());
            awaitReady(first);
        }

        try (StocklineService service = embeddedService()) {
            final Endpoints second = service.start();

            assertEquals(first.clusterId(), second.clusterId());
            try (KafkaAdmin admin = KafkaAdmin.connect(
                    new KafkaClientConfig(second.bootstrapServers(), ClientOverrides.none()))) {
                assertTrue(admin.topics().keySet().containsAll(LedgerTopics.all()));
                assertEquals(2, admin.topics().get(EventTopic.ORDERS.topicName()));
            }
            awaitReady(second);
        }
    }

    @Test
    void aSecondInstanceOnTheSameDataDirIsRefusedWithoutHarmingTheFirst() throws Exception {
        try (StocklineService first = embeddedService()) {
            final Endpoints endpoints = first.start();

            final UserError refused = assertThrows(UserError.class,
                    () -> embeddedService().start());

            assertEquals("the data directory " + dataDir + " is in use by another Stockline "
                    + "(stop it, or choose another --data-dir)", refused.getMessage());
            awaitReady(endpoints);
        }
    }

    @Test
    void usesAnExternalClusterAndCreatesTheTopicsItLacks() throws Exception {
        try (EmbeddedKafkaBroker external = externalBrokerWithOrders(2);
             StocklineService service = serviceOn(external)) {
            final Endpoints endpoints = service.start();

            assertEquals(external.clusterId(), endpoints.clusterId());
            assertFalse(endpoints.embeddedKafka());
            assertFalse(Files.exists(dataDir.resolve("kafka")), "no embedded broker");
            try (KafkaAdmin admin = KafkaAdmin.connect(external.clientConfig())) {
                assertTrue(admin.topics().keySet().containsAll(LedgerTopics.all()));
                assertEquals(2, admin.topics().get(EventTopic.PAYMENTS.topicName()));
            }
            awaitReady(endpoints);
        }
    }

    @Test
    void refusesToStartWhenTheTopicsItReadsHaveUnequalPartitionCounts() throws Exception {
        // Given an orders topic made elsewhere with 5 partitions, where the service creates the others with 2
        try (EmbeddedKafkaBroker external = externalBrokerWithOrders(5);
             StocklineService service = serviceOn(external)) {

            // When / Then it says which topics disagree, rather than run with orders and state apart
            final UserError refused = assertThrows(UserError.class, service::start);
            assertTrue(refused.getMessage().startsWith("the ledger's topics must have one partition count"),
                    refused.getMessage());
            assertTrue(refused.getMessage().contains("orders 5") && refused.getMessage().contains("payments 2"),
                    refused.getMessage());
            try (KafkaAdmin admin = KafkaAdmin.connect(external.clientConfig())) {
                assertEquals(5, admin.topics().get(EventTopic.ORDERS.topicName()), "an existing topic is kept");
            }
        }
    }

    @Test
    void refusesACompactedInputTopicWithTheCommandThatFixesItAndStartsOnceFixed() throws Exception {
        // Given a payments topic made elsewhere with compaction, which would keep one payment per order
        try (EmbeddedKafkaBroker external = externalBrokerWithOrders(2)) {
            final String payments = EventTopic.PAYMENTS.topicName();
            createTopic(external, payments, TopicConfig.CLEANUP_POLICY_COMPACT);

            // When the service starts on it, then it refuses in one line that says what to run
            final UserError refused = assertThrows(UserError.class, () -> serviceOn(external).start());
            assertEquals("topic " + payments + " has cleanup.policy=compact, but the ledger needs delete (compaction"
                    + " keeps only the last record of each key, so events of one order or SKU would be lost): fix it"
                    + " with kafka-configs.sh --bootstrap-server " + external.bootstrapServers() + " --alter"
                    + " --entity-type topics --entity-name " + payments + " --add-config cleanup.policy=delete",
                    refused.getMessage());

            // And once the topic is fixed as it says, the service starts
            setCleanupPolicy(external, payments, TopicConfig.CLEANUP_POLICY_DELETE);
            try (StocklineService service = serviceOn(external)) {
                awaitReady(service.start());
            }
        }
    }

    @Test
    void refusesAStoreChangelogThatIsNotCompacted() throws Exception {
        // Given the changelog of the topology's store, made elsewhere with delete, which would forget old keys
        try (EmbeddedKafkaBroker external = externalBrokerWithOrders(2)) {
            final String changelog = APPLICATION_ID + "-" + ORDERS_STORE + "-changelog";
            createTopic(external, changelog, TopicConfig.CLEANUP_POLICY_DELETE);
            final StocklineService service = new StocklineService(
                    config(Optional.of(external.bootstrapServers())), StocklineServiceTest::tableOfOrders);

            // When / Then the service refuses to start, naming the changelog and the policy it needs
            final UserError refused = assertThrows(UserError.class, service::start);
            assertEquals("topic " + changelog + " has cleanup.policy=delete, but the ledger needs compact (the store"
                    + " is restored from it, and deleting by age would lose every key not written within"
                    + " retention.ms): fix it with kafka-configs.sh --bootstrap-server " + external.bootstrapServers()
                    + " --alter --entity-type topics --entity-name " + changelog + " --add-config"
                    + " cleanup.policy=compact", refused.getMessage());
        }
    }

    @Test
    void createsTheTopicsItLacksWithCleanupPolicyDeleteOfTheirOwn() throws Exception {
        try (EmbeddedKafkaBroker external = externalBrokerWithOrders(2);
             StocklineService service = serviceOn(external)) {
            service.start();

            // Set on the topic, not inherited: a cluster whose default is compact does not change it
            try (Admin admin = Admin.create(external.clientConfig().admin())) {
                final ConfigEntry policy = cleanupPolicyEntry(admin,
                        new ConfigResource(ConfigResource.Type.TOPIC, EventTopic.PAYMENTS.topicName()));
                assertEquals(TopicConfig.CLEANUP_POLICY_DELETE, policy.value());
                assertEquals(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG, policy.source());
            }
        }
    }

    private StocklineService embeddedService() {
        return new StocklineService(config(), StocklineServiceTest::readOrders);
    }

    /** A broker of the test's own, standing in for a cluster run elsewhere, that already has an orders topic. */
    private EmbeddedKafkaBroker externalBrokerWithOrders(final int partitions) {
        final EmbeddedKafkaBroker external = EmbeddedKafkaBroker.start(dataDir.resolve("external"), 0);
        try {
            external.createTopics(partitions, List.of(EventTopic.ORDERS.topicName()));
        } catch (final RuntimeException e) {
            external.close();
            throw e;
        }
        return external;
    }

    private static void createTopic(final EmbeddedKafkaBroker broker, final String topic, final String policy)
            throws Exception {
        try (Admin admin = Admin.create(broker.clientConfig().admin())) {
            admin.createTopics(List.of(new NewTopic(topic, Optional.of(2), Optional.empty())
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, policy)))).all().get();
        }
    }

    /**
     * What {@code kafka-configs.sh --alter --add-config} does; returns once the broker answers with the new policy,
     * which it learns from the controller a moment after the change is committed.
     */
    private static void setCleanupPolicy(final EmbeddedKafkaBroker broker, final String topic, final String policy)
            throws Exception {
        final ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try (Admin admin = Admin.create(broker.clientConfig().admin())) {
            final AlterConfigOp set = new AlterConfigOp(new ConfigEntry(TopicConfig.CLEANUP_POLICY_CONFIG, policy),
                    AlterConfigOp.OpType.SET);
            admin.incrementalAlterConfigs(Map.of(resource, List.of(set))).all().get();
            Await.until(topic + " with " + policy, READY_WITHIN, () -> policy.equals(cleanupPolicy(admin, resource)));
        }
    }

    private static String cleanupPolicy(final Admin admin, final ConfigResource topic) {
        return cleanupPolicyEntry(admin, topic).value();
    }

    private static ConfigEntry cleanupPolicyEntry(final Admin admin, final ConfigResource topic) {
        try {
            return admin.describeConfigs(List.of(topic)).all().get().get(topic)
                    .get(TopicConfig.CLEANUP_POLICY_CONFIG);
        } catch (final ExecutionException | InterruptedException e) {
            throw new IllegalStateException("cannot describe " + topic, e);
        }
    }

    private StocklineService serviceOn(final EmbeddedKafkaBroker external) {
        return new StocklineService(config(Optional.of(external.bootstrapServers())), StocklineServiceTest::readOrders);
    }

    private ServiceConfig config() {
        return config(Optional.empty());
    }

    private ServiceConfig config(final Optional<String> bootstrapServers) {
        return new ServiceConfig(dataDir, bootstrapServers, 0, ClientOverrides.none(), 2,
                ServiceConfig.BROKER_DEFAULT_REPLICATION, "127.0.0.1", 0, "127.0.0.1", APPLICATION_ID, 0,
                Duration.ofMinutes(15), Duration.ofMinutes(5), Optional.empty());
    }

    /** Just enough topology for Kafka Streams to join the group and run. */
    private static Topology readOrders(final ServiceConfig config) {
        final StreamsBuilder builder = new StreamsBuilder();
        builder.stream(EventTopic.ORDERS.topicName(),
                        Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("orders-source"))
                .foreach((key, value) -> { }, Named.as("ignore-orders"));
        return builder.build();
    }

    /** A topology with one store, to have a changelog. */
    private static Topology tableOfOrders(final ServiceConfig config) {
        final StreamsBuilder builder = new StreamsBuilder();
        builder.table(EventTopic.ORDERS.topicName(),
                Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("orders-source"),
                Materialized.as(ORDERS_STORE));
        return builder.build();
    }

    private static void awaitReady(final Endpoints endpoints) throws Exception {
        Await.until("ready", READY_WITHIN, () -> Http.get(endpoints.httpUrl() + "/ready").statusCode() == 200);
    }
}
