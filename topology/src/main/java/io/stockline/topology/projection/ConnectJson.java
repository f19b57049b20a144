package io.stockline.topology.projection;

import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.json.JsonConverterConfig;
import org.apache.kafka.connect.storage.ConverterType;

/**
 * Structs as Kafka Connect's own JSON with the schema embedded ({@code {"schema":..., "payload":...}}),
 * written and read by Connect's {@link JsonConverter} itself, so a sink with {@code JsonConverter} and
 * {@code schemas.enable=true} reads exactly what we wrote. The converter is thread-safe.
 */
public final class ConnectJson {

    private ConnectJson() {
    }

    public static Serde<Struct> keys() {
        return serde(ConverterType.KEY);
    }

    public static Serde<Struct> values() {
        return serde(ConverterType.VALUE);
    }

    private static Serde<Struct> serde(final ConverterType type) {
        final JsonConverter converter = new JsonConverter();
        converter.configure(Map.of(
                JsonConverterConfig.SCHEMAS_ENABLE_CONFIG, true,
                JsonConverterConfig.TYPE_CONFIG, type.getName()));
        return Serdes.serdeFrom(
                (topic, struct) -> struct == null ? null : converter.fromConnectData(topic, struct.schema(), struct),
                (topic, bytes) -> bytes == null ? null : (Struct) converter.toConnectData(topic, bytes).value());
    }
}
