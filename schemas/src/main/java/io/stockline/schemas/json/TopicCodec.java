package io.stockline.schemas.json;

import io.stockline.schemas.EventTopic;
import io.stockline.schemas.serde.SerdeFactory;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/**
 * One contract topic's events on the wire and as JSON lines: the serde from the contract's
 * {@link SerdeFactory}, and the record key every producer must use.
 */
public final class TopicCodec<T extends SpecificRecord> {

    private final EventTopic topic;
    private final Class<T> type;
    private final Serde<T> serde;
    private final String keyField;

    private TopicCodec(final EventTopic topic, final Class<T> type, final SerdeFactory serdes) {
        this.topic = topic;
        this.type = type;
        this.serde = serdes.serde(type);
        this.keyField = keyField(topic);
    }

    public static TopicCodec<? extends SpecificRecord> of(final EventTopic topic, final SerdeFactory serdes) {
        return new TopicCodec<>(topic, topic.valueType(), serdes);
    }

    public EventTopic topic() {
        return topic;
    }

    /** A JSON line as the key and value to send. */
    public Encoded encodeJson(final String json) throws InvalidEventException {
        final T event = fromJson(json);
        return new Encoded(keyOf(event), encode(event));
    }

    /**
     * Wire bytes as a JSON line; throws {@link io.stockline.schemas.serde.EventDecodeException} when they
     * are not such an event.
     */
    public String decodeToJson(final byte[] bytes) {
        return toJson(decode(bytes));
    }

    public T fromJson(final String json) throws InvalidEventException {
        return EventJson.read(json, type);
    }

    public String toJson(final T event) {
        return EventJson.write(event);
    }

    public byte[] encode(final T event) {
        return serde.serializer().serialize(topic.topicName(), event);
    }

    /** Throws {@link io.stockline.schemas.serde.EventDecodeException} for bytes that are not such an event. */
    public T decode(final byte[] bytes) {
        return serde.deserializer().deserialize(topic.topicName(), bytes);
    }

    /** The record key the contract requires, read from the event itself. */
    public String keyOf(final T event) {
        final Schema.Field field = event.getSchema().getField(keyField);
        final Object key = event.get(field.pos());
        return key == null ? null : key.toString();
    }

    /** A record ready to send: the contract's key and the encoded event. */
    public record Encoded(String key, byte[] value) {
    }

    /** The event field holding each topic's key (see {@link EventTopic#keyDescription()}). */
    private static String keyField(final EventTopic topic) {
        return switch (topic) {
            case ORDERS, PAYMENTS, CANCELLATIONS, SHIPMENTS, ORDER_OUTCOMES, STOCK_ROLLBACKS -> "orderId";
            case STOCK_ADJUSTMENTS, STOCK_MOVEMENTS, STOCK_ALERTS -> "sku";
            case DEAD_LETTERS -> "key";
        };
    }
}
