package io.stockline.topology;

import io.stockline.schemas.EventTopic;
import java.util.ArrayList;
import java.util.List;

/**
 * Every topic the ledger reads or writes. The contract topics are named in {@link EventTopic}; the two
 * command topics are the ledger's own: the order side and the stock side talk through them, each
 * keyed so that all commands for one order (or one SKU) meet in one task.
 */
public final class LedgerTopics {

    /** Commands for the order side, keyed by order id: accepted input events and line results. */
    public static final String ORDER_COMMANDS = "stockline-order-commands";
    /** Commands for the stock side, keyed by SKU: adjustments, reserve, commit, release, refund. */
    public static final String SKU_COMMANDS = "stockline-sku-commands";

    private LedgerTopics() {
    }

    /** Every topic that must exist before the ledger starts: the contract's and the command topics. */
    public static List<String> all() {
        final List<String> topics = new ArrayList<>();
        for (final EventTopic topic : EventTopic.values()) {
            topics.add(topic.topicName());
        }
        topics.add(ORDER_COMMANDS);
        topics.add(SKU_COMMANDS);
        return List.copyOf(topics);
    }

    /**
     * The topics the ledger's one sub-topology reads. Task {@code p} reads partition {@code p} of each and owns
     * every order id and SKU whose key hashes to {@code p}, so they must all have the same partition count:
     * with unequal counts a key's commands would land in a task that does not hold its state.
     */
    public static List<String> coPartitioned() {
        return List.of(EventTopic.ORDERS.topicName(), EventTopic.PAYMENTS.topicName(),
                EventTopic.CANCELLATIONS.topicName(), EventTopic.SHIPMENTS.topicName(),
                EventTopic.STOCK_ADJUSTMENTS.topicName(), ORDER_COMMANDS, SKU_COMMANDS);
    }
}
