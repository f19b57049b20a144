package io.stockline.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stockline.app.kafka.KafkaClientConfig;
import io.stockline.ledger.DeductOn;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class ServiceConfigTest {

    private static final ClientOverrides FILE = new ClientOverrides(Map.of(
            "security.protocol", "SASL_SSL",
            StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE,
            StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG, "false",
            StreamsConfig.DEFAULT_INTERACTIVE_QUERY_ISOLATION_LEVEL_CONFIG, "READ_UNCOMMITTED",
            StreamsConfig.APPLICATION_ID_CONFIG, "from-the-file",
            ProducerConfig.ACKS_CONFIG, "1",
            CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "elsewhere:9092"));

    @Test
    void streamsGetTheFlagsTheFileAndTheLedgersRequirementsInThatPrecedence() {
        final ServiceConfig config = config(FILE);

        final Map<String, Object> streams = config.streamsProperties("127.0.0.1:9092", 8081);

        assertEquals("SASL_SSL", streams.get("security.protocol"));
        assertEquals(StreamsConfig.EXACTLY_ONCE_V2, streams.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
        assertEquals(true, streams.get(StreamsConfig.TRANSACTIONAL_STATE_STORES_CONFIG));
        assertEquals("READ_COMMITTED", streams.get(StreamsConfig.DEFAULT_INTERACTIVE_QUERY_ISOLATION_LEVEL_CONFIG));
        assertEquals("ledger", streams.get(StreamsConfig.APPLICATION_ID_CONFIG));
        assertEquals("127.0.0.1:9092", streams.get(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG));
        assertEquals("10.0.0.5:8081", streams.get(StreamsConfig.APPLICATION_SERVER_CONFIG));
        assertEquals(Path.of("run-data", "streams").toAbsolutePath().toString(),
                streams.get(StreamsConfig.STATE_DIR_CONFIG));
        assertEquals(1, streams.get(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG));
    }

    @Test
    void streamsRunWithTheTunedDefaultsUnlessTheFileSaysOtherwise() {
        final Map<String, Object> tuned = config(ClientOverrides.none()).streamsProperties("k:9092", 8080);
        final Map<String, Object> ownCaches = config(new ClientOverrides(Map.of(
                StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, "10485760"))).streamsProperties("k:9092", 8080);

        assertEquals(262_144, tuned.get(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG)));
        assertEquals(0L, tuned.get(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG));
        assertEquals(true, tuned.get(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG));
        // The partition assignor reads its settings from the main consumer's: so that it does not warn either
        assertEquals(true, new StreamsConfig(tuned).getMainConsumerConfigs("group", "client", 0)
                .get(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG));
        assertEquals("10485760", ownCaches.get(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG));
        assertEquals(262_144, ownCaches.get(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG)));
    }

    @Test
    void clientsTakeTheFileOverOurDefaultsButNotOverTheAddress() {
        final KafkaClientConfig clients = new KafkaClientConfig("127.0.0.1:9092", FILE);

        assertEquals("1", clients.producer().get(ProducerConfig.ACKS_CONFIG));
        assertEquals("SASL_SSL", clients.consumer().get("security.protocol"));
        assertEquals("127.0.0.1:9092", clients.admin().get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG));
    }

    @Test
    void rejectsSettingsThatCannotWork() {
        assertThrows(IllegalArgumentException.class, () -> new ServiceConfig(Path.of("d"), Optional.empty(), 70_000,
                ClientOverrides.none(), 6, -1, "127.0.0.1", 8080, "127.0.0.1", "a", 0,
                Duration.ofMinutes(1), Duration.ofMinutes(1), Optional.empty()));
        assertThrows(IllegalArgumentException.class, () -> new ServiceConfig(Path.of("d"), Optional.empty(), 9092,
                ClientOverrides.none(), 0, -1, "127.0.0.1", 8080, "127.0.0.1", "a", 0,
                Duration.ofMinutes(1), Duration.ofMinutes(1), Optional.empty()));
        assertThrows(IllegalArgumentException.class, () -> new ServiceConfig(Path.of("d"), Optional.empty(), 9092,
                ClientOverrides.none(), 6, -1, "127.0.0.1", 8080, "127.0.0.1", "a", 0,
                Duration.ZERO, Duration.ofMinutes(1), Optional.empty()));
    }

    @Test
    void anInstanceIdMakesEveryStreamsConsumerAStaticMember() {
        final ServiceConfig dynamic = config(ClientOverrides.none());
        final ServiceConfig fixed = new ServiceConfig(Path.of("run-data"), Optional.empty(), 9092,
                ClientOverrides.none(), 6, -1, "0.0.0.0", 8080, "10.0.0.5", "ledger", 1, Duration.ofMinutes(15),
                Duration.ofMinutes(5), Optional.of("ledger-eu-1"));

        assertEquals("ledger-eu-1", fixed.streamsProperties("k:9092", 8080).get("main.consumer.group.instance.id"));
        assertTrue(dynamic.streamsProperties("k:9092", 8080).keySet().stream()
                .noneMatch(key -> key.endsWith("group.instance.id")));
    }

    @Test
    void theLedgerDeductsAtPaymentUnlessToldToDeductAtShipmentAndKeepsItWhenThePartitionsAreKnown() {
        final ServiceConfig byDefault = config(ClientOverrides.none());
        final ServiceConfig onShipment = byDefault.withDeductOn(DeductOn.SHIPMENT);

        assertEquals(DeductOn.PAYMENT, byDefault.ledgerConfig().deductOn());
        assertEquals(DeductOn.SHIPMENT, onShipment.withPartitions(3).ledgerConfig().deductOn());
        assertEquals(3, onShipment.withPartitions(3).ledgerConfig().partitions());
    }

    @Test
    void theOverridesFileKeepsItsValuesOutOfLogs() {
        assertEquals("ClientOverrides[sasl.jaas.config]",
                new ClientOverrides(Map.of("sasl.jaas.config", "password=\"secret\"")).toString());
    }

    private static ServiceConfig config(final ClientOverrides overrides) {
        return new ServiceConfig(Path.of("run-data"), Optional.empty(), 9092, overrides, 6, -1, "0.0.0.0", 8080,
                "10.0.0.5", "ledger", 1, Duration.ofMinutes(15), Duration.ofMinutes(5), Optional.empty());
    }
}
