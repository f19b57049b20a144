package io.stockline.app.ledger;

import io.stockline.app.kafka.EmbeddedKafkaBroker;
import io.stockline.schemas.serde.SingleObjectSerdeFactory;
import io.stockline.testkit.Await;
import io.stockline.topology.LedgerConfig;
import io.stockline.topology.LedgerSerdes;
import io.stockline.topology.LedgerTopology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/** The ledger's topology in Kafka Streams on a test's broker, as the end-to-end tests of this package run it. */
final class EndToEndLedger {

    static final int PARTITIONS = 6;
    static final Duration DEADLINE = Duration.ofSeconds(90);
    static final SingleObjectSerdeFactory SERDES = new SingleObjectSerdeFactory();

    private EndToEndLedger() {
    }

    /** Two stream threads with exactly-once, state under {@code dir}, started and RUNNING. */
    static KafkaStreams start(final EmbeddedKafkaBroker broker, final Path dir, final String applicationId)
            throws IOException {
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory(dir, "streams").toString());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 2);
        props.putAll(LedgerTopology.requiredStreamsProperties());
        final KafkaStreams streams = new KafkaStreams(
                LedgerTopology.build(LedgerConfig.defaults().withPartitions(PARTITIONS), LedgerSerdes.create(SERDES)),
                props);
        streams.start();
        Await.until("Kafka Streams RUNNING", DEADLINE, () -> streams.state() == KafkaStreams.State.RUNNING);
        return streams;
    }
}
