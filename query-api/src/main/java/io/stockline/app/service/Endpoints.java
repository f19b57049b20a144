package io.stockline.app.service;

import java.nio.file.Path;

/**
 * Where a started service can be reached, for the start-up banner and for tests.
 *
 * @param bootstrapServers the Kafka cluster in use
 * @param embeddedKafka    whether that cluster is the broker inside this process
 * @param clusterId        the cluster's id
 * @param httpUrl          the HTTP API's base URL
 * @param dataDir          the data directory, absolute
 */
public record Endpoints(String bootstrapServers, boolean embeddedKafka, String clusterId, String httpUrl,
                        Path dataDir) {
}
