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
import java.util.Optional;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole service on an embedded broker, with a topology of the test's own. */
class StocklineServiceTest {

    private static final Duration READY_WITHIN = Duration.ofSeconds(60);

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

    private StocklineService serviceOn(final EmbeddedKafkaBroker external) {
        return new StocklineService(config(Optional.of(external.bootstrapServers())), StocklineServiceTest::readOrders);
    }

    private ServiceConfig config() {
        return config(Optional.empty());
    }

    private ServiceConfig config(final Optional<String> bootstrapServers) {
        return new ServiceConfig(dataDir, bootstrapServers, 0, ClientOverrides.none(), 2,
                ServiceConfig.BROKER_DEFAULT_REPLICATION, "127.0.0.1", 0, "127.0.0.1", "stockline-service-test", 0,
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

    private static void awaitReady(final Endpoints endpoints) throws Exception {
        Await.until("ready", READY_WITHIN, () -> Http.get(endpoints.httpUrl() + "/ready").statusCode() == 200);
    }
}
