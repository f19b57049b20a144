package io.stockline.app.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.stockline.app.kafka.EmbeddedKafkaBroker;
import io.stockline.schemas.DeadLetter;
import io.stockline.schemas.DeadLetterCode;
import io.stockline.schemas.EventTopic;
import io.stockline.schemas.OrderOutcome;
import io.stockline.schemas.OrderStatus;
import io.stockline.schemas.StockAlert;
import io.stockline.schemas.StockAlertKind;
import io.stockline.schemas.serde.EventCodec;
import io.stockline.testkit.Await;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console's reader of the ledger's outputs, on a real broker, with a clock the test moves. */
class OutputTailTest {

    private static final Duration WITHIN = Duration.ofSeconds(30);
    private static final int PARTITIONS = 2;

    @TempDir
    Path dir;
    private EmbeddedKafkaBroker broker;
    private KafkaProducer<String, byte[]> producer;
    private final MovableClock clock = new MovableClock(Instant.now());
    private final LiveWindow window = new LiveWindow();
    private OutputTail tail;

    @BeforeEach
    void start() {
        broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0);
        broker.createTopics(PARTITIONS, List.of(EventTopic.ORDER_OUTCOMES.topicName(),
                EventTopic.STOCK_ROLLBACKS.topicName(), EventTopic.DEAD_LETTERS.topicName(),
                EventTopic.STOCK_ALERTS.topicName()));
        producer = new KafkaProducer<>(broker.clientConfig().producer(), new StringSerializer(), new ByteArraySerializer());
        tail = new OutputTail(() -> broker.clientConfig().consumer(), window, clock);
    }

    @AfterEach
    void stop() {
        if (tail != null) {
            tail.close();
        }
        if (producer != null) {
            producer.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void deadLettersFromBeforeAreListedButNotCountedAndNewOutputsAreCounted() {
        // Given a dead letter written before anyone looked
        send(EventTopic.DEAD_LETTERS, "k-old", deadLetter("old", DeadLetterCode.MALFORMED_RECORD));

        // When someone opens the console, and then an outcome and a dead letter arrive
        tail.touch();
        Await.until("the tail live", WITHIN, () -> tail.state().equals("LIVE"));
        send(EventTopic.ORDER_OUTCOMES, "o-1", outcome("o-1", OrderStatus.REJECTED));
        send(EventTopic.DEAD_LETTERS, "k-new", deadLetter("new", DeadLetterCode.INVALID_ID));
        Await.until("both listed", WITHIN, () -> tail.latest(10).size() == 2);

        // Then both dead letters are listed, newest first, but only the new one is counted as arriving
        assertEquals(List.of("new", "old"), tail.latest(10).stream().map(DeadLetterView::message).toList());
        final LiveWindow.Series series = window.series(clock.instant().getEpochSecond() + 1);
        assertEquals(1L, total(series.deadLetters().get("INVALID_ID")));
        assertNull(series.deadLetters().get("MALFORMED_RECORD"), "the one from before is history");
        assertEquals(1L, total(series.outcomes().get("REJECTED")));
        assertEquals("00ff61", tail.latest(10).get(0).payloadHex(), "the original bytes as hex");
    }

    @Test
    void stockAlertsFromBeforeAreListedButNotCountedAndNewOnesAreCountedByKind() {
        // Given an alert written before anyone looked
        final Instant before = Instant.ofEpochMilli(clock.millis());
        send(EventTopic.STOCK_ALERTS, "MUG", alert("MUG", StockAlertKind.LOW_STOCK, 2, 5L, before));

        // When someone opens the console, and then a SKU sells out
        tail.touch();
        Await.until("the tail live", WITHIN, () -> tail.state().equals("LIVE"));
        final Instant after = before.plusMillis(1);
        send(EventTopic.STOCK_ALERTS, "TEE", alert("TEE", StockAlertKind.SOLD_OUT, 0, null, after));
        Await.until("both listed", WITHIN, () -> tail.latestAlerts(10).size() == 2);

        // Then both are listed, newest first, but only the new one is counted as arriving
        assertEquals(List.of(new StockAlertView("TEE", null, "SOLD_OUT", 0, null, after),
                new StockAlertView("MUG", null, "LOW_STOCK", 2, 5L, before)), tail.latestAlerts(10));
        final LiveWindow.Series series = window.series(clock.instant().getEpochSecond() + 1);
        assertEquals(1L, total(series.stockAlerts().get("SOLD_OUT")));
        assertNull(series.stockAlerts().get("LOW_STOCK"), "the one from before is history");
        assertEquals(1, tail.latestAlerts(1).size(), "at most the limit");
    }

    @Test
    void aRecordItCannotReadIsCountedAndSkipped() {
        tail.touch();
        Await.until("the tail live", WITHIN, () -> tail.state().equals("LIVE"));

        send(EventTopic.ORDER_OUTCOMES, "o-2", "not avro".getBytes(StandardCharsets.UTF_8));
        send(EventTopic.ORDER_OUTCOMES, "o-3", outcome("o-3", OrderStatus.RESERVED));

        // Keys on two partitions: the good one may be read before the bad one, so both are waited for.
        Await.until("the good one counted and the bad one skipped", WITHIN, () -> tail.skipped() >= 1
                && total(window.series(clock.instant().getEpochSecond() + 1).outcomes().get("RESERVED")) == 1);
        assertEquals(1L, tail.skipped());
    }

    @Test
    void itStopsReadingTwoMinutesAfterTheLastQuestionAndStartsAgainOnTheNext() {
        tail.touch();
        Await.until("the tail live", WITHIN, () -> tail.state().equals("LIVE"));

        clock.advance(OutputTail.IDLE.plusSeconds(1));
        Await.until("the tail idle", WITHIN, () -> tail.state().equals("IDLE"));

        tail.touch();
        Await.until("the tail live again", WITHIN, () -> tail.state().equals("LIVE"));
    }

    private static long total(final List<Long> series) {
        return series == null ? 0 : series.stream().mapToLong(Long::longValue).sum();
    }

    private void send(final EventTopic topic, final String key, final byte[] value) {
        producer.send(new ProducerRecord<>(topic.topicName(), key, value));
        producer.flush();
    }

    private static byte[] outcome(final String orderId, final OrderStatus status) {
        return new EventCodec<>(OrderOutcome.class).encode(OrderOutcome.newBuilder().setOrderId(orderId)
                .setStatus(status).setReason(null).setLines(List.of()).setExpiresAt(null).setAt(Instant.now())
                .setPlacedAt(Instant.now()).build());
    }

    private static byte[] alert(final String sku, final StockAlertKind kind, final long available,
                                final Long threshold, final Instant at) {
        return new EventCodec<>(StockAlert.class).encode(StockAlert.newBuilder().setSku(sku).setLocation(null)
                .setKind(kind).setAvailable(available).setThreshold(threshold).setAt(at).build());
    }

    private static byte[] deadLetter(final String message, final DeadLetterCode code) {
        return new EventCodec<>(DeadLetter.class).encode(DeadLetter.newBuilder().setSourceTopic("orders").setPartition(0)
                .setOffset(7).setKey("k").setPayload(ByteBuffer.wrap(new byte[] {0, -1, 'a'})).setCode(code)
                .setMessage(message).setAt(Instant.now()).build());
    }

    /** A clock the test moves by hand, so "two minutes idle" takes no two minutes. */
    private static final class MovableClock extends Clock {
        private final AtomicLong millis;

        MovableClock(final Instant start) {
            this.millis = new AtomicLong(start.toEpochMilli());
        }

        void advance(final Duration by) {
            millis.addAndGet(by.toMillis());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(final ZoneId zone) {
            return this;
        }

        @Override
        public long millis() {
            return millis.get();
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }
    }
}
