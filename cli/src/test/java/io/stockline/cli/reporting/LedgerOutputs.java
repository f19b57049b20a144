package io.stockline.cli.reporting;

import io.stockline.app.kafka.KafkaClientConfig;
import io.stockline.schemas.EventTopic;
import io.stockline.schemas.OrderOutcome;
import io.stockline.schemas.StockMovement;
import io.stockline.schemas.serde.SingleObjectSerdeFactory;
import io.stockline.testkit.Await;
import io.stockline.testkit.Topics;
import io.stockline.topology.LedgerTopics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * What a ledger wrote to the topics the reporting tables are derived from, read committed, and how far it has
 * read its own inputs: all a test needs of a ledger it reaches only through Kafka.
 */
final class LedgerOutputs {

    private final KafkaClientConfig kafka;
    private final String applicationId;

    LedgerOutputs(final KafkaClientConfig kafka, final String applicationId) {
        this.kafka = kafka;
        this.applicationId = applicationId;
    }

    /** Every committed record of stock-movements, by movement id; a second record for one id fails. */
    Map<String, StockMovement> movements() {
        final Map<String, StockMovement> movements = new HashMap<>();
        for (final StockMovement movement : readCommitted(EventTopic.STOCK_MOVEMENTS, StockMovement.class)) {
            final StockMovement before = movements.put(movement.getMovementId(), movement);
            if (before != null) {
                throw new AssertionError("the ledger wrote movement " + before + " twice");
            }
        }
        return movements;
    }

    /** The last committed outcome of each order: an order's outcomes are in one partition, in order. */
    Map<String, OrderOutcome> lastOutcomes() {
        final Map<String, OrderOutcome> last = new HashMap<>();
        readCommitted(EventTopic.ORDER_OUTCOMES, OrderOutcome.class).forEach(o -> last.put(o.getOrderId(), o));
        return last;
    }

    /**
     * Blocks until the ledger has consumed (and committed) everything in the topics it reads, its inputs and its
     * command topics, twice in a row.
     */
    void awaitCaughtUp(final Duration timeout) {
        try (Admin admin = Admin.create(kafka.admin())) {
            final int[] quiet = {0};
            Await.until("the ledger to process every event", timeout, () -> {
                quiet[0] = lag(admin) == 0 ? quiet[0] + 1 : 0;
                return quiet[0] >= 2;
            });
        }
    }

    private long lag(final Admin admin) {
        try {
            final Map<TopicPartition, OffsetAndMetadata> committed =
                    admin.listConsumerGroupOffsets(applicationId).partitionsToOffsetAndMetadata().get();
            final Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(LedgerTopics.coPartitioned()).allTopicNames().get().forEach((topic, description) ->
                    description.partitions().forEach(p -> latest.put(new TopicPartition(topic, p.partition()),
                            OffsetSpec.latest())));
            long lag = 0;
            for (final var end : admin.listOffsets(latest).all().get().entrySet()) {
                final OffsetAndMetadata done = committed.get(end.getKey());
                lag += end.getValue().offset() - (done == null ? 0 : done.offset());
            }
            return lag;
        } catch (final ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private <V extends SpecificRecord> List<V> readCommitted(final EventTopic eventTopic, final Class<V> type) {
        final String topic = eventTopic.topicName();
        final Map<String, Object> config = new HashMap<>(kafka.consumer());
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        final List<V> values = new ArrayList<>();
        final Deserializer<V> reader = new SingleObjectSerdeFactory().serde(type).deserializer();
        try (KafkaConsumer<byte[], V> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), reader)) {
            Topics.readToEnd(consumer, topic, Duration.ofSeconds(30)).forEach(r -> values.add(r.value()));
        }
        return values;
    }
}
