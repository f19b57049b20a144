package io.stockline.cli.kafka;

import io.stockline.testkit.Ports;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stockline.testkit.ChildProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker killed with SIGKILL and started again on its data. Its metadata still shows the dead broker alive;
 * started as it is, the broker would be refused by its own controller for a session (9 s), then lose and
 * regain every leadership, and Kafka 4.3 can leave a transaction hanging for ever in that moment (see
 * {@link EmbeddedKafkaBroker}). So the controller must fence the dead broker first: the restarted broker
 * registers at once and takes its coordinators once.
 */
class BrokerCrashRestartTest {

    private static final String TOPIC = "crash-restart";
    private static final String GROUP = "crash-restart-group";
    private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);
    private static final Duration UP_WITHIN = Duration.ofSeconds(90);
    private static final String NOT_STOPPED_CLEANLY = "was not stopped cleanly";

    @TempDir
    Path dir;

    @Test
    void aKilledBrokerHasItsDeadSelfFencedBeforeItStartsAgain() throws Exception {
        final int port = Ports.freePort();
        final String bootstrap = "127.0.0.1:" + port;
        try (ChildProcess broker = ChildProcess.broker(dir, dir.resolve("data"), port).verbose()) {
            // Given a broker whose group and transaction coordinators hold state
            broker.start();
            awaitUp(broker, bootstrap);
            commitInATransaction(bootstrap, 42);

            // When it is killed and started again
            broker.kill();
            broker.start();
            awaitUp(broker, bootstrap);

            // Then its coordinators answer, the dead broker was fenced first, and no leadership moved twice
            assertEquals(42, stableCommittedOffset(bootstrap));
            final String restart = broker.log(2);
            final String steps = "; the restart's steps:\n" + steps(restart);
            assertTrue(restart.contains(NOT_STOPPED_CLEANLY), "the fencing step ran" + steps);
            assertFalse(restart.contains("DUPLICATE_BROKER_REGISTRATION"),
                    "the restarted broker was refused while its dead self still counted as alive" + steps);
            assertFalse(restart.contains("Started unloading metadata for __consumer_offsets-0"),
                    "the group coordinator was loaded, unloaded and loaded again" + steps);
            assertEquals(1, occurrences(restart, "Scheduling loading of metadata from __consumer_offsets-0"), steps);

            // And after a clean stop the next start needs no fencing
            broker.terminate();
            broker.start();
            awaitUp(broker, bootstrap);
            assertEquals(42, stableCommittedOffset(bootstrap));
            assertFalse(broker.log(3).contains(NOT_STOPPED_CLEANLY), "fenced after a clean stop");
        }
    }

    private static void awaitUp(final ChildProcess broker, final String bootstrap) {
        broker.await("the broker to answer on " + bootstrap, UP_WITHIN, () -> {
            try (Admin admin = admin(bootstrap)) {
                return !admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).isEmpty();
            } catch (final ExecutionException | TimeoutException | KafkaException e) {
                return false;
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
    }

    /** One record and the group's offset for it, committed in one transaction. */
    private static void commitInATransaction(final String bootstrap, final long offset) throws Exception {
        try (Admin admin = admin(bootstrap)) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                "bootstrap.servers", bootstrap, "transactional.id", "crash-restart-producer"),
                new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(TOPIC, "key", "value"));
            producer.sendOffsetsToTransaction(Map.of(PARTITION, new OffsetAndMetadata(offset)),
                    new ConsumerGroupMetadata(GROUP));
            producer.commitTransaction();
        }
    }

    /** The group's committed offset as a read_committed consumer asks for it: stable, no open transaction. */
    private static long stableCommittedOffset(final String bootstrap) throws Exception {
        try (Admin admin = admin(bootstrap)) {
            final OffsetAndMetadata committed = admin.listConsumerGroupOffsets(GROUP,
                            new ListConsumerGroupOffsetsOptions().requireStable(true))
                    .partitionsToOffsetAndMetadata().get(60, TimeUnit.SECONDS).get(PARTITION);
            return committed == null ? -1 : committed.offset();
        }
    }

    private static Admin admin(final String bootstrap) {
        return Admin.create(Map.of("bootstrap.servers", bootstrap, "request.timeout.ms", 5000,
                "default.api.timeout.ms", 60000));
    }

    /** The lines of a broker log that tell how it came up. */
    private static String steps(final String log) {
        return log.lines().filter(line -> line.contains("EmbeddedKafkaBroker") || line.contains("CoordinatorRuntime")
                || line.contains("BrokerLifecycleManager") || line.contains("Fencing broker")
                || line.contains("TransactionStateManager")).collect(Collectors.joining("\n"));
    }

    private static int occurrences(final String text, final String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
            count++;
        }
        return count;
    }
}
