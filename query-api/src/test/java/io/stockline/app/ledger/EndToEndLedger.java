package io.stockline.app.ledger;

import io.stockline.app.kafka.EmbeddedKafkaBroker;
import io.stockline.ledger.DeductOn;
import io.stockline.schemas.serde.SingleObjectSerdeFactory;
import io.stockline.testkit.Await;
import io.stockline.topology.LedgerConfig;
import io.stockline.topology.LedgerSerdes;
import io.stockline.topology.LedgerTopology;
import io.stockline.schemas.EventTopic;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Utils;
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
        return start(broker, dir, applicationId, DeductOn.PAYMENT);
    }

    /** The same, taking a paid order's units off hand at {@code deductOn}. */
    static KafkaStreams start(final EmbeddedKafkaBroker broker, final Path dir, final String applicationId,
                              final DeductOn deductOn) throws IOException {
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory(dir, "streams").toString());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 2);
        props.putAll(LedgerTopology.requiredStreamsProperties());
        final KafkaStreams streams = new KafkaStreams(
                LedgerTopology.build(LedgerConfig.defaults().withPartitions(PARTITIONS).withDeductOn(deductOn),
                        LedgerSerdes.create(SERDES)),
                props);
        streams.start();
        Await.until("Kafka Streams RUNNING", DEADLINE, () -> streams.state() == KafkaStreams.State.RUNNING);
        return streams;
    }

    /** The partition, and so the ledger's task, that owns {@code key}: Kafka's default partitioner. */
    static int partitionOf(final String key) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
    }

    /** Sends one contract event and waits until the broker has it. */
    @SuppressWarnings("unchecked")
    static <T extends SpecificRecord> void send(final KafkaProducer<String, byte[]> producer, final EventTopic topic,
                                                final String key, final T event) {
        final byte[] bytes = SERDES.serde((Class<T>) event.getClass()).serializer().serialize(topic.topicName(), event);
        producer.send(new ProducerRecord<>(topic.topicName(), key, bytes));
        producer.flush();
    }
}
