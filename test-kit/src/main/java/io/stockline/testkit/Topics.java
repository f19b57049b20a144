package io.stockline.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/** Reading what a topic holds. */
public final class Topics {

    private static final Duration POLL = Duration.ofMillis(200);

    private Topics() {
    }

    /**
     * Every record of {@code topic} from its beginning to the end it has now, with the consumer's isolation
     * level (read_committed stops at the last stable offset).
     */
    public static <K, V> List<ConsumerRecord<K, V>> readToEnd(final Consumer<K, V> consumer, final String topic,
                                                                final Duration within) {
        final List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        final Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        final List<ConsumerRecord<K, V>> records = new ArrayList<>();
        Await.until("reading " + topic + " to its end", within, () -> {
            consumer.poll(POLL).forEach(records::add);
            return partitions.stream().allMatch(partition -> consumer.position(partition) >= ends.get(partition));
        });
        return records;
    }
}
