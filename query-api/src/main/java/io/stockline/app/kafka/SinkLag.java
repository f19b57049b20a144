package io.stockline.app.kafka;

import io.stockline.app.config.SinkGroup;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;

/**
 * How far a reporting sink's consumer group is behind the topic it reads: per partition, the topic's last stable
 * offset (what a {@code read_committed} reader, as the Connect sinks are, can reach) less the group's committed
 * offset, summed. A partition the group has committed nothing for counts from the log's start, where a sink that has
 * not read yet starts. Offsets, not records: the transaction markers of exactly-once writes count too.
 */
public final class SinkLag implements AutoCloseable {

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    private final Admin admin;

    public SinkLag(final KafkaClientConfig config) {
        admin = Admin.create(config.admin());
    }

    /** The group's lag over its topic; throws when Kafka does not answer within ten seconds. */
    public long lag(final SinkGroup sink) throws ExecutionException, InterruptedException, TimeoutException {
        final Map<TopicPartition, OffsetAndMetadata> committed = await(admin.listConsumerGroupOffsets(sink.group())
                .partitionsToOffsetAndMetadata());
        final List<TopicPartition> partitions = partitionsOf(sink.topic());
        final Map<TopicPartition, ListOffsetsResultInfo> ends = offsets(partitions, OffsetSpec.latest());
        final Map<TopicPartition, ListOffsetsResultInfo> starts = offsets(partitions.stream()
                .filter(p -> committed.get(p) == null).toList(), OffsetSpec.earliest());
        long lag = 0;
        for (final TopicPartition partition : partitions) {
            final OffsetAndMetadata position = committed.get(partition);
            final long from = position == null ? starts.get(partition).offset() : position.offset();
            lag += Math.max(0, ends.get(partition).offset() - from);
        }
        return lag;
    }

    private List<TopicPartition> partitionsOf(final String topic)
            throws ExecutionException, InterruptedException, TimeoutException {
        final TopicDescription description = await(admin.describeTopics(List.of(topic)).allTopicNames()).get(topic);
        return description.partitions().stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    private Map<TopicPartition, ListOffsetsResultInfo> offsets(final List<TopicPartition> partitions,
                                                               final OffsetSpec spec)
            throws ExecutionException, InterruptedException, TimeoutException {
        if (partitions.isEmpty()) {
            return Map.of();
        }
        final Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(p -> request.put(p, spec));
        return await(admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all());
    }

    private static <T> T await(final KafkaFuture<T> future)
            throws ExecutionException, InterruptedException, TimeoutException {
        return future.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        admin.close(CALL_TIMEOUT);
    }
}
