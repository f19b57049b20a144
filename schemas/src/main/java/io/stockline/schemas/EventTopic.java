package io.stockline.schemas;

import java.util.Arrays;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;

/**
 * The published topics of the event contract and the Avro record each one carries. Every topic name
 * that producers and consumers outside Stockline code against is spelled here and nowhere else.
 */
public enum EventTopic {
    ORDERS("orders", OrderPlaced.class, "order id"),
    PAYMENTS("payments", PaymentEvent.class, "order id"),
    CANCELLATIONS("cancellations", OrderCancelled.class, "order id"),
    SHIPMENTS("shipments", OrderShipped.class, "order id"),
    STOCK_ADJUSTMENTS("stock-adjustments", StockAdjusted.class, "sku"),
    ORDER_OUTCOMES("order-outcomes", OrderOutcome.class, "order id"),
    STOCK_ROLLBACKS("stock-rollbacks", StockRollback.class, "order id"),
    STOCK_MOVEMENTS("stock-movements", StockMovement.class, "sku"),
    STOCK_ALERTS("stock-alerts", StockAlert.class, "sku"),
    DEAD_LETTERS("ledger-dead-letters", DeadLetter.class, "the original key");

    private final String topicName;
    private final Class<? extends SpecificRecord> valueType;
    private final String keyDescription;

    EventTopic(final String topicName, final Class<? extends SpecificRecord> valueType,
               final String keyDescription) {
        this.topicName = topicName;
        this.valueType = valueType;
        this.keyDescription = keyDescription;
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

    public static Optional<EventTopic> byName(final String topicName) {
        return Arrays.stream(values()).filter(t -> t.topicName.equals(topicName)).findFirst();
    }
}
