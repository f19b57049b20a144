package io.stockline.app.kafka;

import io.stockline.app.config.ClientOverrides;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * How Stockline's command-line clients reach a cluster. Our defaults come first, then the operator's
 * file, then the address, so TLS and SASL settings from the file always apply.
 *
 * @param bootstrapServers the cluster's address, {@code host:port[,host:port...]}
 * @param overrides        extra client settings from {@code --kafka-config}
 */
public record KafkaClientConfig(String bootstrapServers, ClientOverrides overrides) {

    public KafkaClientConfig {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(overrides, "overrides");
    }

    public Map<String, Object> admin() {
        final Map<String, Object> properties = new HashMap<>();
        properties.put(AdminClientConfig.CLIENT_ID_CONFIG, "stockline-admin");
        // Short enough that an unreachable cluster is reported within seconds, not minutes.
        properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
        return finish(properties);
    }

    /** Durable and duplicate-free: acks from every in-sync replica, idempotent retries. */
    public Map<String, Object> producer() {
        final Map<String, Object> properties = new HashMap<>();
        properties.put(ProducerConfig.CLIENT_ID_CONFIG, "stockline-produce");
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000);
        return finish(properties);
    }

    /** Reads committed data only: the ledger writes its outputs in transactions. */
    public Map<String, Object> consumer() {
        final Map<String, Object> properties = new HashMap<>();
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "stockline-consume");
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return finish(properties);
    }

    private Map<String, Object> finish(final Map<String, Object> properties) {
        properties.putAll(overrides.values());
        properties.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return properties;
    }
}
