package io.stockline.topology;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.StreamsMetrics;

/**
 * The ledger's own counters, as Kafka Streams sensors: outcomes by status, rollbacks by cause, dead letters
 * by code, stock alerts by kind, entries forgotten after the retention by store. They show up with every other
 * Streams metric (group {@code stream-stockline-metrics}), so any metrics reporter, and the service's /metrics,
 * carries them without extra wiring.
 *
 * <p>Counts are of records handed to Kafka: work repeated after an aborted transaction counts again, so
 * these are for dashboards, not for reconciliation.
 */
public final class LedgerMetrics {

    public static final String SCOPE = "stockline";
    public static final String OUTCOMES = "outcomes";
    public static final String ROLLBACKS = "rollbacks";
    public static final String DEAD_LETTERS = "dead-letters";
    public static final String FORGOTTEN = "forgotten";
    public static final String STOCK_ALERTS = "stock-alerts";

    private final StreamsMetrics metrics;
    /** By operation, then by label value: no key is built per record, and enum names hash once. */
    private final Map<String, Map<String, Sensor>> sensors = new HashMap<>();

    LedgerMetrics(final StreamsMetrics metrics) {
        this.metrics = metrics;
    }

    void outcome(final String status) {
        count(OUTCOMES, "status", status);
    }

    void rollback(final String cause) {
        count(ROLLBACKS, "cause", cause);
    }

    void deadLetter(final String code) {
        count(DEAD_LETTERS, "code", code);
    }

    void alert(final String kind) {
        count(STOCK_ALERTS, "kind", kind);
    }

    /** Entries the retention sweep deleted from a store: a count per entry, like every other counter here. */
    void forgotten(final String store, final int entries) {
        if (entries == 0) {
            return;
        }
        // The sensor counts calls to record(), not a value recorded: looked up once, recorded once per entry.
        final Sensor sensor = sensor(FORGOTTEN, "store", store);
        for (int i = 0; i < entries; i++) {
            sensor.record();
        }
    }

    private void count(final String operation, final String label, final String value) {
        sensor(operation, label, value).record();
    }

    /** The entity is the label's value, because Streams names a sensor by scope, entity and operation only. */
    private Sensor sensor(final String operation, final String label, final String value) {
        return sensors.computeIfAbsent(operation, k -> new HashMap<>()).computeIfAbsent(value, k ->
                metrics.addRateTotalSensor(SCOPE, value, operation, Sensor.RecordingLevel.INFO, label, value));
    }
}
