package io.stockline.schemas;

import java.util.Arrays;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;

/**
 * The published topics of the event contract and the Avro record each one carries. Every topic name
 * that producers and consumers outside Stockline code against is spelled here and nowhere else.
 */
public enum EventTopic {
    ORDERS("orders", OrderPlaced.class, "order id", true),
    PAYMENTS("payments", PaymentEvent.class, "order id", true),
    CANCELLATIONS("cancellations", OrderCancelled.class, "order id", true),
    STOCK_ADJUSTMENTS("stock-adjustments", StockAdjusted.class, "sku", true),
    ORDER_OUTCOMES("order-outcomes", OrderOutcome.class, "order id", false),
    STOCK_ROLLBACKS("stock-rollbacks", StockRollback.class, "order id", false),
    DEAD_LETTERS("ledger-dead-letters", DeadLetter.class, "the original key", false);

    private final String topicName;
    private final Class<? extends SpecificRecord> valueType;
    private final String keyDescription;
    private final boolean input;

    EventTopic(final String topicName, final Class<? extends SpecificRecord> valueType,
               final String keyDescription, final boolean input) {
        this.topicName = topicName;
        this.valueType = valueType;
        this.keyDescription = keyDescription;
        this.input = input;
    }

    public String topicName() {
        return topicName;
    }

    public Class<? extends SpecificRecord> valueType() {
        return valueType;
    }

    public String keyDescription() {
        return keyDescription;
    }

    /** Whether shops write this topic (true) or the ledger does (false). */
    public boolean isInput() {
        return input;
    }

    public static Optional<EventTopic> byName(final String topicName) {
        return Arrays.stream(values()).filter(t -> t.topicName.equals(topicName)).findFirst();
    }
}
