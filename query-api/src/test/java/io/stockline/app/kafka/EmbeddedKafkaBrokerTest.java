package io.stockline.app.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stockline.schemas.EventTopic;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaBrokerTest {

    private static final String TOPIC = EventTopic.ORDERS.topicName();

    @TempDir
    Path dataDir;

    @Test
    void restartOnTheSameDataDirKeepsTheClusterIdTopicsAndRecords() throws Exception {
        final String clusterId;
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir, 0)) {
            broker.createTopics(3, List.of(TOPIC));
            send(broker, "o-1", "first");
            clusterId = broker.clusterId();
        }

        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir, 0);
             KafkaAdmin admin = KafkaAdmin.connect(broker.clientConfig())) {
            assertEquals(clusterId, broker.clusterId());
            assertEquals(clusterId, admin.clusterId());
            assertEquals(3, admin.topics().get(TOPIC));
            assertEquals(List.of("first"), readAll(broker, 1));
        }
    }

    @Test
    void aSecondBrokerOnTheSameDataDirIsRefusedAndTheFirstKeepsWorking() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir, 0)) {
            final IllegalStateException refused = assertThrows(IllegalStateException.class,
                    () -> EmbeddedKafkaBroker.start(dataDir, 0).close());

            assertTrue(refused.getMessage().contains("is in use"), refused.getMessage());
            broker.createTopics(TOPIC);
            send(broker, "o-1", "still here");
            assertEquals(List.of("still here"), readAll(broker, 1));
        }
    }

    private static void send(final EmbeddedKafkaBroker broker, final String key, final String value)
            throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                broker.clientConfig().producer(), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(TOPIC, key, value)).get();
        }
    }

    private static List<String> readAll(final EmbeddedKafkaBroker broker, final int expected) {
        final Map<String, Object> properties = broker.clientConfig().consumer();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                properties, new StringDeserializer(), new StringDeserializer())) {
            final List<TopicPartition> partitions = consumer.partitionsFor(TOPIC).stream()
                    .map(info -> new TopicPartition(TOPIC, info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final List<String> values = new ArrayList<>();
            final long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (values.size() < expected && System.nanoTime() < deadline) {
                for (final ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
            assertTrue(values.size() >= expected, "only read " + values);
            return values;
        }
    }
}
