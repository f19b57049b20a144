package io.stockline.app.config;

import io.stockline.topology.LedgerTopology;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The one place where settings become Kafka Streams properties, for {@code stockline run} and the bench
 * alike. The ledger's tuned defaults come first so the operator's file wins over them, the caller's settings
 * (flags) win over the file, and the ledger's required settings come last so nothing can switch off
 * exactly-once, explicit naming or read-committed queries.
 */
public final class StreamsProperties {

    private StreamsProperties() {
    }

    /**
     * @param file     the {@code --kafka-config} file's settings
     * @param settings what the caller sets: bootstrap servers, application id, state directory, flags
     */
    public static Map<String, Object> of(final ClientOverrides file, final Map<String, ?> settings) {
        final Map<String, Object> properties = new LinkedHashMap<>(LedgerTopology.tunedStreamsProperties());
        // Kafka Streams 4.4 logs a warning at every start while this is off. The ledger has no global store, so
        // turning it on changes nothing else. The partition assignor reads its settings again from the main
        // consumer's, which do not carry this one: without the copy it would warn all the same, once per thread.
        properties.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        properties.put(StreamsConfig.mainConsumerPrefix(
                StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG), true);
        properties.putAll(file.values());
        properties.putAll(settings);
        properties.putAll(LedgerTopology.requiredStreamsProperties());
        return properties;
    }
}
