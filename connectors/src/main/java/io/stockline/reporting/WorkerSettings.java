package io.stockline.reporting;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How the in-process Kafka Connect worker runs: against which cluster, with which client settings,
 * where it finds the connector plugins and where it keeps its own files.
 *
 * @param bootstrapServers the Kafka cluster
 * @param clientOverrides  extra Kafka client settings (TLS, SASL...), applied to every client the worker makes
 * @param pluginPath       the directory holding {@code debezium-connector-jdbc/}
 * @param dataDir          the worker's own files (the standalone offsets file)
 * @param restHost         the address Connect's REST API binds
 * @param restPort         its port; 0 picks a free one
 */
public record WorkerSettings(String bootstrapServers, Map<String, String> clientOverrides, Path pluginPath,
                           Path dataDir, String restHost, int restPort) {

    /** Sink offsets are committed this often; a restart re-delivers at most about this much, which upserts absorb. */
    static final int OFFSET_FLUSH_INTERVAL_MS = 2_000;
    private static final String[] CLIENT_PREFIXES = {"", "consumer.", "producer.", "admin."};

    public WorkerSettings {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        clientOverrides = Map.copyOf(clientOverrides);
        Objects.requireNonNull(pluginPath, "pluginPath");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(restHost, "restHost");
        if (restPort < 0 || restPort > 65_535) {
            throw new IllegalArgumentException("the Connect REST port must be between 0 and 65535, got " + restPort);
        }
    }

    public Path offsetsFile() {
        return dataDir.resolve("connect.offsets");
    }

    /**
     * The database password, for Kafka Connect's {@code FileConfigProvider}: connector configs name it as
     * {@code ${file:<this file>:password}}, so the REST API and the logs never show the password itself.
     */
    public Path secretsFile() {
        return dataDir.resolve("sink-secrets.properties");
    }

    /**
     * The standalone worker's properties. Keys are plain strings; each connector names its own value
     * converter (a {@link LedgerRowConverter} view), so the worker's default passes values through untouched.
     * Sinks read committed records only, because the ledger writes in transactions.
     */
    public Map<String, String> workerProperties() {
        final Map<String, String> properties = new HashMap<>();
        clientOverrides.forEach((key, value) -> {
            for (final String prefix : CLIENT_PREFIXES) {
                properties.put(prefix + key, value);
            }
        });
        properties.put("bootstrap.servers", bootstrapServers);
        properties.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        properties.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        properties.put("offset.storage.file.filename", offsetsFile().toAbsolutePath().toString());
        properties.put("offset.flush.interval.ms", String.valueOf(OFFSET_FLUSH_INTERVAL_MS));
        properties.put("plugin.path", pluginPath.toAbsolutePath().toString());
        properties.put("plugin.discovery", "service_load");
        properties.put("listeners", "http://" + restHost + ":" + restPort);
        properties.put("consumer.isolation.level", "read_committed");
        properties.put("config.providers", "file");
        properties.put("config.providers.file.class", "org.apache.kafka.common.config.provider.FileConfigProvider");
        return properties;
    }
}
