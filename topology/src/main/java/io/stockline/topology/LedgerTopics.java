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
}
