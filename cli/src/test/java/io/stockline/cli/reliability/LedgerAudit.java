package io.stockline.cli.reliability;

import io.stockline.testkit.Topics;
import io.stockline.testkit.Await;
import io.stockline.reporting.LedgerClient;
import io.stockline.schemas.api.StockView;
import io.stockline.schemas.DeadLetter;
import io.stockline.schemas.DeadLetterCode;
import io.stockline.schemas.EventTopic;
import io.stockline.schemas.OrderStatus;
import io.stockline.schemas.OrderOutcome;
import io.stockline.schemas.StockMovement;
import io.stockline.schemas.StockRollback;
import io.stockline.schemas.serde.SingleObjectSerdeFactory;
import io.stockline.topology.LedgerTopics;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.avro.specific.SpecificRecord;

/**
 * What a reliability drill checks once the load is over, from the committed output alone (read_committed,
 * as every downstream reader sees it), beyond what {@code stockline bench} checks itself:
 * <ul>
 *   <li>no order has the same outcome twice (the same status, reason and lines), no rollback id and no movement
 *   id appears twice;</li>
 *   <li>each SKU's movements carry versions 1, 2, 3... without a gap or a repeat, and the last one's
 *       levels are the levels the ledger answers over HTTP;</li>
 *   <li>every SKU's levels keep the invariants: available + locked = on hand, none negative;</li>
 *   <li>the only dead letters are the workload's own refusals (a payment or cancellation for an order that was
 *       turned away or had ended), one per refused event;</li>
 *   <li>the ledger's consumer group has committed every input and command topic to its end: no event is
 *       left unprocessed.</li>
 * </ul>
 */
final class LedgerAudit {

    /** The topics the ledger consumes: the shops' inputs and its own two command topics. */
    static final List<String> CONSUMED = LedgerTopics.coPartitioned();
    private static final Duration CATCH_UP = Duration.ofSeconds(120);
    private static final Set<DeadLetterCode> REFUSALS = EnumSet.of(DeadLetterCode.LATE_PAYMENT,
            DeadLetterCode.ILLEGAL_TRANSITION);
    private static final Set<OrderStatus> ENDED_BADLY = EnumSet.of(OrderStatus.REJECTED, OrderStatus.CANCELLED,
            OrderStatus.EXPIRED);
    private static final SingleObjectSerdeFactory SERDES = new SingleObjectSerdeFactory();

    private final String bootstrapServers;
    private final String applicationId;
    private final URI ledger;
    private final List<String> problems = new ArrayList<>();
    private final Map<String, OrderStatus> lastOutcome = new HashMap<>();
    private long inputEvents;
    private long outcomes;
    private long rollbacks;
    private long movements;
    private long skus;
    private long deadLetters;

    LedgerAudit(final String bootstrapServers, final String applicationId, final URI ledger) {
        this.bootstrapServers = bootstrapServers;
        this.applicationId = applicationId;
        this.ledger = ledger;
    }

    /** Runs every check; {@link #problems()} then lists what failed. */
    LedgerAudit run() {
        awaitEverythingConsumed();
        checkOutcomes();
        checkRollbacks();
        final Map<String, StockMovement> lastMovement = checkMovements();
        checkLevels(lastMovement);
        checkDeadLetters();
        return this;
    }

    List<String> problems() {
        return problems;
    }

    String summary() {
        return String.format("%,d input events consumed, %,d outcomes, %,d rollbacks, %,d movements, %,d refusals (dead letters), "
                + "%,d SKUs checked; problems: %d", inputEvents, outcomes, rollbacks, movements, deadLetters, skus,
                problems.size());
    }

    private void awaitEverythingConsumed() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Await.until("the ledger to commit every input and command topic to its end", CATCH_UP,
                    () -> lag(admin) == 0);
        }
    }

    private long lag(final Admin admin) {
        try {
            final Set<TopicPartition> partitions = new HashSet<>();
            for (final var description : admin.describeTopics(CONSUMED).allTopicNames().get().values()) {
                description.partitions().forEach(p -> partitions.add(new TopicPartition(description.name(), p.partition())));
            }
            final Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(partitions.stream().collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest())),
                    new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get()
                    .forEach((tp, info) -> ends.put(tp, info.offset()));
            final Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(applicationId).partitionsToOffsetAndMetadata().get();
            long lag = 0;
            long inputs = 0;
            for (final Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
                final OffsetAndMetadata at = committed.get(end.getKey());
                lag += Math.max(0, end.getValue() - (at == null ? 0 : at.offset()));
                if (!end.getKey().topic().startsWith("stockline-")) {
                    inputs += end.getValue();
                }
            }
            inputEvents = inputs;
            return lag;
        } catch (final Exception e) {
            return -1;
        }
    }

    private void checkOutcomes() {
        final Set<String> seen = new HashSet<>();
        for (final OrderOutcome outcome : readCommitted(EventTopic.ORDER_OUTCOMES, OrderOutcome.class)) {
            outcomes++;
            lastOutcome.put(outcome.getOrderId(), outcome.getStatus());
            // An order may be SHIPPED or PARTIALLY_REFUNDED twice, by two steps: they differ in lines or reason.
            if (!seen.add(outcome.getOrderId() + " " + outcome.getStatus() + " " + outcome.getReason() + " "
                    + outcome.getLines())) {
                problems.add("order " + outcome.getOrderId() + " has the outcome " + outcome.getStatus() + " twice");
            }
        }
    }

    private void checkRollbacks() {
        final Set<String> seen = new HashSet<>();
        for (final StockRollback rollback : readCommitted(EventTopic.STOCK_ROLLBACKS, StockRollback.class)) {
            rollbacks++;
            if (!seen.add(rollback.getRollbackId())) {
                problems.add("rollback id " + rollback.getRollbackId() + " appears twice");
            }
        }
    }

    /** Movement ids unique and versions consecutive per SKU; returns each SKU's last movement. */
    private Map<String, StockMovement> checkMovements() {
        final Set<String> seen = new HashSet<>();
        final Map<String, StockMovement> last = new HashMap<>();
        for (final StockMovement movement : readCommitted(EventTopic.STOCK_MOVEMENTS, StockMovement.class)) {
            movements++;
            final String sku = movement.getSku();
            if (!seen.add(movement.getMovementId())) {
                problems.add("movement id " + movement.getMovementId() + " appears twice");
            }
            final long expected = last.containsKey(sku) ? last.get(sku).getVersion() + 1 : 1;
            if (movement.getVersion() != expected) {
                problems.add("SKU " + sku + ": movement version " + movement.getVersion() + " where " + expected
                        + " was due");
            }
            last.put(sku, movement);
        }
        return last;
    }

    private void checkLevels(final Map<String, StockMovement> lastMovement) {
        final Map<String, StockView> levels = httpLevels();
        skus = levels.size();
        if (!levels.keySet().equals(lastMovement.keySet())) {
            problems.add("the SKUs with levels (" + levels.size() + ") are not the SKUs with movements ("
                    + lastMovement.size() + ")");
        }
        levels.forEach((sku, level) -> {
            final long onHand = level.onHand();
            final long available = level.available();
            final long locked = level.locked();
            if (available < 0 || locked < 0 || available + locked != onHand) {
                problems.add("SKU " + sku + " breaks the invariants: " + level);
            }
            final StockMovement movement = lastMovement.get(sku);
            if (movement != null && (movement.getOnHandAfter() != onHand || movement.getAvailableAfter() != available
                    || movement.getLockedAfter() != locked || movement.getVersion() != level.version())) {
                problems.add("SKU " + sku + ": levels " + level + " differ from its last movement " + movement);
            }
        });
    }

    /**
     * The workload's own refusals only: a payment or cancellation for an order that was turned away or had
     * already ended (stock runs short near the end of a bench run, by design) is a dead letter, once.
     */
    private void checkDeadLetters() {
        final Set<String> seen = new HashSet<>();
        for (final DeadLetter letter : readCommitted(EventTopic.DEAD_LETTERS, DeadLetter.class)) {
            deadLetters++;
            final String source = letter.getSourceTopic() + "/" + letter.getPartition() + "@" + letter.getOffset();
            final OrderStatus last = lastOutcome.get(letter.getKey());
            if (!seen.add(source)) {
                problems.add("the event at " + source + " was dead-lettered twice");
            } else if (!REFUSALS.contains(letter.getCode()) || last == null || !ENDED_BADLY.contains(last)) {
                problems.add("dead letter " + letter.getCode() + " for " + letter.getKey() + " (last outcome " + last
                        + "): " + letter.getMessage());
            }
        }
    }

    private Map<String, StockView> httpLevels() {
        final Map<String, StockView> levels = new HashMap<>();
        new LedgerClient(ledger).allStock().forEach(level -> levels.put(level.sku(), level));
        return levels;
    }

    /** Every committed event of a topic, from the beginning to its last stable offset. */
    private <T extends SpecificRecord> List<T> readCommitted(final EventTopic topic, final Class<T> type) {
        final Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        final Deserializer<T> values = SERDES.serde(type).deserializer();
        try (KafkaConsumer<String, byte[]> consumer =
                     new KafkaConsumer<>(properties, new StringDeserializer(), new ByteArrayDeserializer())) {
            return Topics.readToEnd(consumer, topic.topicName(), CATCH_UP).stream()
                    .map(record -> values.deserialize(record.topic(), record.value()))
                    .toList();
        }
    }
}
