package io.stockline.cli.reporting;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stockline.app.kafka.EmbeddedKafkaBroker;
import io.stockline.schemas.EventTopic;
import io.stockline.schemas.OrderLine;
import io.stockline.schemas.OrderOutcome;
import io.stockline.schemas.OrderPlaced;
import io.stockline.schemas.StockAdjusted;
import io.stockline.schemas.serde.SingleObjectSerdeFactory;
import io.stockline.testkit.Await;
import io.stockline.topology.LedgerTopics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Timers are kept in memory, not in a store: a ledger restarted on its state must find the holds it was
 * waiting on in its orders and let them run out all the same.
 */
class TimersAfterRestartTest {

    private static final Duration HOLD = Duration.ofSeconds(8);
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final SingleObjectSerdeFactory SERDES = new SingleObjectSerdeFactory();

    @TempDir
    Path dir;

    @Test
    void aHoldThatRunsOutWhileTheLedgerIsDownExpiresOnceItIsBack() {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0)) {
            broker.createTopics(3, LedgerTopics.all());
            final Path state = dir.resolve("streams");

            // Given an order reserved with an 8 s hold, and the ledger stopped before the hold ends
            try (RunningLedger ledger = RunningLedger.start(broker, state, "stockline-timers")) {
                produce(broker, EventTopic.STOCK_ADJUSTMENTS, "MUG", new StockAdjusted("adj-1", "MUG", 5L, "received",
                        Instant.now(), null, null, null, null, null, null, null));
                produce(broker, EventTopic.ORDERS, "o-1", new OrderPlaced("e-1", "o-1",
                        List.of(new OrderLine("MUG", 2L, null, null)), Instant.now(), HOLD.toMillis(), null));
                Await.until("o-1 reserved", DEADLINE, () -> status(ledger, "o-1") != null);
                assertEquals("RESERVED", status(ledger, "o-1"));
            }

            // When it starts again on the same state
            try (RunningLedger ledger = RunningLedger.start(broker, state, "stockline-timers")) {
                // Then the hold still runs out: the order expires and its units are available again
                Await.until("o-1 expired", DEADLINE, () -> "EXPIRED".equals(status(ledger, "o-1")));
                Await.until("MUG released", DEADLINE, () -> ledger.levels().get("MUG").available() == 5);
                assertEquals(0, ledger.levels().get("MUG").locked());
            }
        }
    }

    private static String status(final RunningLedger ledger, final String orderId) {
        final OrderOutcome last = ledger.lastOutcomes().get(orderId);
        return last == null ? null : last.getStatus().name();
    }

    private static <V extends SpecificRecord> void produce(final EmbeddedKafkaBroker broker, final EventTopic topic,
                                                           final String key, final V value) {
        @SuppressWarnings("unchecked")
        final Class<V> type = (Class<V>) value.getClass();
        final byte[] bytes = SERDES.serde(type).serializer().serialize(topic.topicName(), value);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(broker.clientConfig().producer(),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic.topicName(), key, bytes));
        }
    }
}
