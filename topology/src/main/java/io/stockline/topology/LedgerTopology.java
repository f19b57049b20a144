package io.stockline.topology;

import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

/** The ledger as a pure function of its config and serdes. */
public final class LedgerTopology {

    private LedgerTopology() {
    }

    public static Topology build(final LedgerConfig config, final LedgerSerdes serdes) {
        throw new UnsupportedOperationException("being written");
    }

    /**
     * Streams settings the ledger is only correct with: exactly-once, and every store, processor and
     * internal topic explicitly named so a restart after a topology change keeps its state.
     */
    public static Map<String, Object> requiredStreamsProperties() {
        return Map.of(
                StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2,
                StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
    }
}
