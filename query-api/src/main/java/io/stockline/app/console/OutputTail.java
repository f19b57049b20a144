package io.stockline.app.console;

import io.stockline.app.Errors;
import io.stockline.schemas.DeadLetter;
import io.stockline.schemas.EventTopic;
import io.stockline.schemas.OrderOutcome;
import io.stockline.schemas.OrderStatus;
import io.stockline.schemas.StockAlert;
import io.stockline.schemas.StockRollback;
import io.stockline.schemas.serde.EventCodec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the ledger's outcomes, rollbacks, dead letters and stock alerts as a shop's consumer would ({@code read_committed}),
 * every partition of each, from their end, while someone looks at the console; two minutes after the last
 * question it stops, so an instance nobody watches reads nothing extra. It joins no consumer group: each
 * instance reads every partition, so the console of any instance shows the whole group. On start it also
 * reads back up to {@link #LATEST} dead letters and stock alerts per partition, so the latest are on screen at once.
 */
public final class OutputTail implements AutoCloseable {

    public static final int LATEST = 50;
    static final Duration IDLE = Duration.ofMinutes(2);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Logger LOG = LoggerFactory.getLogger(OutputTail.class);
    private static final List<EventTopic> READ = List.of(
            EventTopic.ORDER_OUTCOMES, EventTopic.STOCK_ROLLBACKS, EventTopic.DEAD_LETTERS, EventTopic.STOCK_ALERTS);
    /** The topics whose last {@link #LATEST} records per partition are read back on start, to be listed. */
    private static final List<String> LISTED = List.of(
            EventTopic.DEAD_LETTERS.topicName(), EventTopic.STOCK_ALERTS.topicName());

    private final Supplier<Map<String, Object>> consumerConfig;
    private final LiveWindow window;
    private final Clock clock;
    private final EventCodec<OrderOutcome> outcomes = new EventCodec<>(OrderOutcome.class);
    private final EventCodec<StockRollback> rollbacks = new EventCodec<>(StockRollback.class);
    private final EventCodec<DeadLetter> deadLetters = new EventCodec<>(DeadLetter.class);
    private final EventCodec<StockAlert> stockAlerts = new EventCodec<>(StockAlert.class);
    private final List<DeadLetterView> latest = new ArrayList<>();
    private final List<StockAlertView> latestAlerts = new ArrayList<>();
    private final AtomicLong skipped = new AtomicLong();
    private volatile long lastAsked;
    private volatile String state = "IDLE";
    private volatile boolean closed;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private Thread thread;
    private boolean stopping;

    /**
     * @param consumerConfig the cluster's client settings, or null while the cluster is not known yet
     * @param window         where the counts go
     */
    public OutputTail(final Supplier<Map<String, Object>> consumerConfig, final LiveWindow window, final Clock clock) {
        this.consumerConfig = Objects.requireNonNull(consumerConfig, "consumerConfig");
        this.window = Objects.requireNonNull(window, "window");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Someone is looking: keep reading, or start again (even while the last reader is still closing). */
    public synchronized void touch() {
        lastAsked = clock.millis();
        if (closed || thread != null && !stopping) {
            return;
        }
        final Map<String, Object> config = consumerConfig.get();
        if (config == null) {
            state = "WAITING: Kafka is not connected yet";
            return;
        }
        state = "STARTING";
        stopping = false;
        thread = new Thread(() -> run(config), "stockline-console-tail");
        thread.setDaemon(true);
        thread.start();
    }

    /** Whether to poll again; once it says no, the next touch starts a new reader. */
    private synchronized boolean keepReading() {
        if (closed || clock.millis() - lastAsked >= IDLE.toMillis()) {
            stopping = true;
        }
        return !stopping;
    }

    /** Only the current reader says what the tail is doing: one still closing must not overwrite a new one. */
    private synchronized void report(final String newState) {
        if (thread == Thread.currentThread()) {
            state = newState;
        }
    }

    /** LIVE, IDLE, STARTING, or WAITING/FAILED with the reason. */
    public String state() {
        return state;
    }

    /** Records the console could not read (a schema newer than this instance, a foreign writer) since start. */
    public long skipped() {
        return skipped.get();
    }

    /** The newest dead letters first, at most {@code limit}. */
    public synchronized List<DeadLetterView> latest(final int limit) {
        return List.copyOf(latest.subList(0, Math.min(limit, latest.size())));
    }

    /** The newest stock alerts first, at most {@code limit}. */
    public synchronized List<StockAlertView> latestAlerts(final int limit) {
        return List.copyOf(latestAlerts.subList(0, Math.min(limit, latestAlerts.size())));
    }

    private void run(final Map<String, Object> config) {
        final Map<String, Object> settings = new HashMap<>(config);
        settings.put(ConsumerConfig.CLIENT_ID_CONFIG, "stockline-console");
        settings.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.remove(ConsumerConfig.GROUP_ID_CONFIG);
        try (KafkaConsumer<byte[], byte[]> reading = new KafkaConsumer<>(settings,
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer = reading;
            final Map<TopicPartition, Long> history = closed ? null : assign(reading);
            if (history == null) {
                stop();
                return;
            }
            report("LIVE");
            while (keepReading()) {
                reading.poll(POLL).forEach(record -> take(record, history));
            }
            report("IDLE");
        } catch (final WakeupException e) {
            report("IDLE");
        } catch (final KafkaException e) {
            report("FAILED: " + Errors.rootMessage(e));
            LOG.warn("The console stopped reading the ledger's outputs: {}", Errors.rootMessage(e));
        } finally {
            stop();
        }
    }

    /** This reader is done: the next touch starts another. */
    private synchronized void stop() {
        if (thread == Thread.currentThread()) {
            stopping = true;
            consumer = null;
        }
    }

    /**
     * Assigns every partition of the topics read, at their end, and the dead letters and alerts a little before it.
     *
     * @return where each dead-letter and alert partition ended when we came: what is before it is history, shown but not
     *         counted as arriving now; null when a topic does not exist yet
     */
    private Map<TopicPartition, Long> assign(final KafkaConsumer<byte[], byte[]> reading) {
        final List<TopicPartition> partitions = new ArrayList<>();
        for (final EventTopic topic : READ) {
            final List<PartitionInfo> infos = reading.partitionsFor(topic.topicName());
            if (infos == null || infos.isEmpty()) {
                report("WAITING: topic " + topic.topicName() + " does not exist yet");
                return null;
            }
            infos.forEach(info -> partitions.add(new TopicPartition(info.topic(), info.partition())));
        }
        reading.assign(partitions);
        reading.seekToEnd(partitions);
        final List<TopicPartition> listed = partitions.stream().filter(tp -> LISTED.contains(tp.topic())).toList();
        final Map<TopicPartition, Long> ends = reading.endOffsets(listed);
        final Map<TopicPartition, Long> beginnings = reading.beginningOffsets(listed);
        ends.forEach((tp, end) -> reading.seek(tp, Math.max(beginnings.getOrDefault(tp, 0L), end - LATEST)));
        return ends;
    }

    private void take(final ConsumerRecord<byte[], byte[]> record, final Map<TopicPartition, Long> history) {
        final long now = clock.millis();
        final long second = now / 1000;
        try {
            if (record.topic().equals(EventTopic.ORDER_OUTCOMES.topicName())) {
                final OrderOutcome outcome = outcomes.decode(record.value());
                window.outcome(second, outcome.getStatus().name());
                if (isDecision(outcome.getStatus()) && outcome.getPlacedAt() != null) {
                    window.latency(second, now - outcome.getPlacedAt().toEpochMilli());
                }
            } else if (record.topic().equals(EventTopic.STOCK_ROLLBACKS.topicName())) {
                window.rollback(second, rollbacks.decode(record.value()).getCause().name());
            } else if (record.topic().equals(EventTopic.STOCK_ALERTS.topicName())) {
                final StockAlert alert = stockAlerts.decode(record.value());
                if (isNew(record, history)) {
                    window.stockAlert(second, alert.getKind().name());
                }
                remember(StockAlertView.of(alert));
            } else {
                final DeadLetter letter = deadLetters.decode(record.value());
                if (isNew(record, history)) {
                    window.deadLetter(second, letter.getCode().name());
                }
                remember(DeadLetterView.of(letter));
            }
        } catch (final RuntimeException e) {
            // A schema newer than this instance, or a foreign writer: the console skips it and counts it on screen.
            skipped.incrementAndGet();
            LOG.debug("The console skipped record {}-{}@{}: {}", record.topic(), record.partition(), record.offset(),
                    Errors.rootMessage(e));
        }
    }

    /** Whether a listed record arrived after we came, rather than being read back as history. */
    private static boolean isNew(final ConsumerRecord<byte[], byte[]> record, final Map<TopicPartition, Long> history) {
        return record.offset() >= history.getOrDefault(new TopicPartition(record.topic(), record.partition()), 0L);
    }

    private static boolean isDecision(final OrderStatus status) {
        return status == OrderStatus.RESERVED || status == OrderStatus.REJECTED;
    }

    private synchronized void remember(final DeadLetterView letter) {
        keepNewest(latest, letter, DeadLetterView::at);
    }

    private synchronized void remember(final StockAlertView alert) {
        keepNewest(latestAlerts, alert, StockAlertView::at);
    }

    /** Adds {@code item} and keeps the newest {@link #LATEST} of {@code list}, newest first. */
    private static <T> void keepNewest(final List<T> list, final T item, final Function<T, Instant> at) {
        list.add(item);
        list.sort(Comparator.comparing(at).reversed());
        if (list.size() > LATEST) {
            list.subList(LATEST, list.size()).clear();
        }
    }

    @Override
    public void close() {
        final Thread running;
        final KafkaConsumer<byte[], byte[]> reading;
        synchronized (this) {
            closed = true;
            running = thread;
            reading = consumer;
        }
        if (reading != null) {
            reading.wakeup();
        }
        if (running != null) {
            try {
                running.join(Duration.ofSeconds(5).toMillis());
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
