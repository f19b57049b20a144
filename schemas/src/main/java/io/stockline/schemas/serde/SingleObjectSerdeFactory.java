package io.stockline.schemas.serde;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/** Registry-free serdes: Avro single-object encoding, resolving old versions from {@link SchemaVersions}. */
public final class SingleObjectSerdeFactory implements SerdeFactory {

    @Override
    public <T extends SpecificRecord> Serde<T> serde(final Class<T> type) {
        final EventCodec<T> codec = new EventCodec<>(type);
        final Serializer<T> serializer = (topic, event) -> event == null ? null : codec.encode(event);
        final Deserializer<T> deserializer = (topic, bytes) -> bytes == null ? null : codec.decode(bytes);
        return Serdes.serdeFrom(serializer, deserializer);
    }
}
