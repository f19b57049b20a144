package io.stockline.app.service;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stockline.app.kafka.EmbeddedKafkaBroker;
import io.stockline.schemas.serde.SingleObjectSerdeFactory;
import io.stockline.testkit.Await;
import io.stockline.topology.LedgerConfig;
import io.stockline.topology.LedgerSerdes;
import io.stockline.topology.LedgerTopics;
import io.stockline.topology.LedgerTopology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ledger's Kafka Streams hides the one gauge whose read can crash the JVM (see {@link LedgerStreams}): the
 * same ledger as plain Kafka Streams has it, once its stores exist.
 */
class LedgerStreamsTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    private EmbeddedKafkaBroker broker;
    private KafkaStreams plain;
    private KafkaStreams ledger;

    @AfterEach
    void stop() {
        for (final KafkaStreams streams : new KafkaStreams[] {ledger, plain}) {
            if (streams != null) {
                streams.close(DEADLINE);
            }
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void theUncommittedBytesGaugeIsLeftOutAndNothingElse() {
        broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0);
        broker.createTopics(1, LedgerTopics.all());
        plain = running(new KafkaStreams(topology(), config("plain")));
        ledger = running(new LedgerStreams(topology(), config("ledger")));

        assertTrue(plain.metrics().keySet().stream().anyMatch(LedgerStreams::isUnsafe),
                "plain Kafka Streams registers the gauge, so leaving it out means something");
        assertFalse(ledger.metrics().keySet().stream().anyMatch(LedgerStreams::isUnsafe));
        assertTrue(ledger.metrics().keySet().stream().anyMatch(name -> name.group().equals("stream-thread-metrics")
                && name.name().equals("process-rate")), "the other metrics are still there");
    }

    private static org.apache.kafka.streams.Topology topology() {
        return LedgerTopology.build(LedgerConfig.defaults().withPartitions(1),
                LedgerSerdes.create(new SingleObjectSerdeFactory()));
    }

    private StreamsConfig config(final String name) {
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "stockline-" + name);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve(name).toString());
        props.putAll(LedgerTopology.requiredStreamsProperties());
        return new StreamsConfig(props);
    }

    private static KafkaStreams running(final KafkaStreams streams) {
        streams.start();
        Await.until("Kafka Streams RUNNING with its stores", DEADLINE, () -> streams.state() == KafkaStreams.State.RUNNING
                && streams.metrics().keySet().stream().anyMatch(name -> name.group().equals(LedgerStreams.GROUP)
                || LedgerStreams.isUnsafe(name)));
        return streams;
    }
}
