package io.stockline.reporting;

import java.util.Map;
import java.util.Objects;

/**
 * One connector as Kafka Connect takes it: {@code {"name": ..., "config": {...}}}.
 *
 * @param config the connector's settings, {@code name} among them
 */
public record ConnectorDefinition(String name, Map<String, String> config) {

    public static final String TOPICS = "topics";
    public static final String TABLE = "collection.name.format";

    public ConnectorDefinition {
        Objects.requireNonNull(name, "name");
        config = Map.copyOf(config);
    }

    public String topic() {
        return config.get(TOPICS);
    }

    public String table() {
        return config.get(TABLE);
    }

    /** Without the password. */
    @Override
    public String toString() {
        return "ConnectorDefinition[" + name + ": " + topic() + " -> " + table() + "]";
    }
}
