package io.stockline.app.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stockline.app.kafka.EmbeddedKafkaBroker;
import io.stockline.ledger.StockLevel;
import io.stockline.schemas.EventTopic;
import io.stockline.schemas.StockAdjusted;
import io.stockline.schemas.serde.SingleObjectSerdeFactory;
import io.stockline.testkit.Await;
import io.stockline.topology.LedgerConfig;
import io.stockline.topology.LedgerSerdes;
import io.stockline.topology.LedgerStores;
import io.stockline.topology.LedgerTopics;
import io.stockline.topology.LedgerTopology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ledger on a real broker, restarted with its local state wiped, and the lines its restore leaves. */
class RestoreLogTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final int SKUS = 5;
    private static final String APPLICATION_ID = "stockline-restore-log-test";
    private static final SingleObjectSerdeFactory SERDES = new SingleObjectSerdeFactory();
    private static final Pattern STOCK_LEVELS_LINE =
            Pattern.compile("Restored " + LedgerStores.STOCK_LEVELS + " partition 0: (\\d+) records in \\d+ ms");

    @TempDir
    Path dir;
    private EmbeddedKafkaBroker broker;

    @BeforeEach
    void startBroker() {
        broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0);
        broker.createTopics(1, LedgerTopics.all());
    }

    @AfterEach
    void stopBroker() {
        broker.close();
    }

    @Test
    void aRestoreFromTheChangelogsIsOneLinePerStoreAndAFreshStartIsSilent() throws Exception {
        // Given a ledger that has applied an adjustment to each of five SKUs, and said nothing of restores
        final List<String> firstStart = new CopyOnWriteArrayList<>();
        final KafkaStreams first = startLedger(firstStart);
        try {
            adjustStock();
            awaitLevels(first);
        } finally {
            stop(first);
        }
        assertEquals(List.of(), firstStart, "empty changelogs restore nothing");

        // When it starts again without its local state
        wipe(dir.resolve("streams"));
        final List<String> secondStart = new CopyOnWriteArrayList<>();
        final KafkaStreams second = startLedger(secondStart);
        try {

            // Then each store it rebuilt says so once, with what it read back
            final Matcher line = STOCK_LEVELS_LINE.matcher(secondStart.stream()
                    .filter(l -> l.contains(LedgerStores.STOCK_LEVELS)).findFirst().orElse(""));
            assertTrue(line.matches(), secondStart.toString());
            assertTrue(Long.parseLong(line.group(1)) >= SKUS, line.group());
            assertEquals(1, secondStart.stream().filter(l -> l.contains(LedgerStores.STOCK_LEVELS)).count(),
                    secondStart.toString());
            awaitLevels(second);
        } finally {
            stop(second);
        }
    }

    /** Returns once RUNNING, that is once every store has been restored. */
    private KafkaStreams startLedger(final List<String> restoreLines) {
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("streams").toString());
        props.putAll(LedgerTopology.requiredStreamsProperties());
        final KafkaStreams streams = new KafkaStreams(
                LedgerTopology.build(LedgerConfig.defaults().withPartitions(1), LedgerSerdes.create(SERDES)), props);
        streams.setGlobalStateRestoreListener(new RestoreLog(restoreLines::add));
        streams.start();
        Await.until("Kafka Streams RUNNING", DEADLINE, () -> streams.state() == KafkaStreams.State.RUNNING);
        return streams;
    }

    /** Leaves the group, so that the next start is assigned the partition at once. */
    private static void stop(final KafkaStreams ledger) {
        ledger.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(DEADLINE));
    }

    private void adjustStock() {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(broker.clientConfig().producer(),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < SKUS; i++) {
                final StockAdjusted adjustment = new StockAdjusted("adj-" + i, sku(i), 10L, "restock",
                        Instant.now(), null, null, null, null, null, null, null);
                producer.send(new ProducerRecord<>(EventTopic.STOCK_ADJUSTMENTS.topicName(), adjustment.getSku(),
                        SERDES.serde(StockAdjusted.class).serializer().serialize("", adjustment)));
            }
        }
    }

    private static void awaitLevels(final KafkaStreams ledger) {
        final ReadOnlyKeyValueStore<String, StockLevel> levels = ledger.store(StoreQueryParameters.fromNameAndType(
                LedgerStores.STOCK_LEVELS, QueryableStoreTypes.<String, StockLevel>keyValueStore()));
        Await.until("every SKU's level", DEADLINE, () -> Stream.iterate(0, i -> i + 1).limit(SKUS)
                .allMatch(i -> levels.get(sku(i)) != null && levels.get(sku(i)).onHand() == 10L));
    }

    private static String sku(final int i) {
        return "sku-" + i;
    }

    private static void wipe(final Path directory) throws IOException {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (final Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
