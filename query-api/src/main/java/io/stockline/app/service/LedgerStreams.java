package io.stockline.app.service;

import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

/**
 * Kafka Streams, with one metric left out of {@link #metrics()}: reading it can crash the JVM. In Kafka Streams
 * 4.4 a transactional RocksDB store's {@value #UNSAFE} gauge asks the store's RocksDB {@code WriteBatch} for its
 * size with no lock, while every commit (each 100 ms) closes that batch and makes a new one: a read from another
 * thread, such as a Prometheus scrape of {@code /metrics}, can land on the freed native batch and abort the
 * process (seen once under test, in {@code WriteBatch.getDataSize}). Whatever reads this instance's metrics
 * (Micrometer, the operator gauges) never sees that gauge. It stays registered with Kafka's JMX reporter: do not
 * poll it over JMX.
 */
final class LedgerStreams extends KafkaStreams {

    /** The gauge left out, in group {@value #GROUP}. */
    static final String UNSAFE = "uncommitted-bytes";
    static final String GROUP = "stream-state-metrics";

    LedgerStreams(final Topology topology, final StreamsConfig config) {
        super(topology, config);
    }

    @Override
    public Map<MetricName, ? extends Metric> metrics() {
        return super.metrics().entrySet().stream()
                .filter(entry -> !isUnsafe(entry.getKey()))
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    static boolean isUnsafe(final MetricName name) {
        return UNSAFE.equals(name.name()) && GROUP.equals(name.group());
    }
}
