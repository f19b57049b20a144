package io.stockline.topology;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/**
 * Which partition, and so which task, owns a key: the same murmur2 hash the Kafka producer's default
 * partitioner applies to a keyed record, over the partition count the ledger's topics share. A command
 * whose key this task owns is applied here and now; any other goes through its command topic, where the
 * producer puts it on exactly the partition this computes.
 */
final class Partitioning {

    private final int partitions;
    private final int taskPartition;

    Partitioning(final int partitions, final int taskPartition) {
        if (taskPartition >= partitions) {
            // Built for fewer partitions than the topics have: keys would be applied in tasks that do not own them.
            throw new IllegalStateException("the ledger was built for " + partitions + " partition(s) but runs the"
                    + " task of partition " + taskPartition + ": build it with the topics' partition count");
        }
        this.partitions = partitions;
        this.taskPartition = taskPartition;
    }

    static int partitionOf(final String key, final int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    boolean ownsKey(final String key) {
        return partitions == 1 || partitionOf(key, partitions) == taskPartition;
    }
}
