package io.stockline.topology;

import io.stockline.schemas.EventTopic;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Every topic the ledger reads or writes. The contract topics are named in {@link EventTopic}; the two
 * command topics are the ledger's own: the order side and the stock side talk through them, each
 * keyed so that all commands for one order (or one SKU) meet in one task. The three projection topics
 * are for reporting: Kafka Connect JSON with embedded schemas and struct keys, for a JDBC sink.
 */
public final class LedgerTopics {

    /** Commands for the order side, keyed by order id: accepted input events and line results. */
    public static final String ORDER_COMMANDS = "stockline-order-commands";
    /** Commands for the stock side, keyed by SKU: adjustments, reserve, commit, release, refund. */
    public static final String SKU_COMMANDS = "stockline-sku-commands";
    /** Projection: a SKU's levels after each change, keyed by SKU; compacted. */
    public static final String STOCK_LEVELS = "stock-levels";
    /** Projection: one record per change of a SKU's levels, keyed by SKU. */
    public static final String STOCK_MOVEMENTS = "stock-movements";
    /** Projection: each decided order's status, keyed by order id; compacted. */
    public static final String ORDER_STATUS = "order-status";

    private static final Map<String, String> COMPACTED =
            Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);

    private LedgerTopics() {
    }

    /** Every topic that must exist before the ledger starts: the contract's, the command and the projection topics. */
    public static List<String> all() {
        final List<String> topics = new ArrayList<>();
        for (final EventTopic topic : EventTopic.values()) {
            topics.add(topic.topicName());
        }
        topics.add(ORDER_COMMANDS);
        topics.add(SKU_COMMANDS);
        topics.addAll(projections());
        return List.copyOf(topics);
    }

    /**
     * The topics the ledger's one sub-topology reads. Task {@code p} reads partition {@code p} of each and owns
     * every order id and SKU whose key hashes to {@code p}, so they must all have the same partition count:
     * with unequal counts a key's commands would land in a task that does not hold its state.
     */
    public static List<String> coPartitioned() {
        return List.of(EventTopic.ORDERS.topicName(), EventTopic.PAYMENTS.topicName(),
                EventTopic.CANCELLATIONS.topicName(), EventTopic.STOCK_ADJUSTMENTS.topicName(), ORDER_COMMANDS,
                SKU_COMMANDS);
    }

    /** The reporting projections, in the order their tables are listed. */
    public static List<String> projections() {
        return List.of(STOCK_LEVELS, STOCK_MOVEMENTS, ORDER_STATUS);
    }

    /**
     * The settings a topic must be created with, by topic; a topic not named here takes the cluster's
     * defaults. The latest-state projections are compacted: only the last record per key matters.
     */
    public static Map<String, Map<String, String>> configs() {
        return Map.of(STOCK_LEVELS, COMPACTED, ORDER_STATUS, COMPACTED);
    }
}
