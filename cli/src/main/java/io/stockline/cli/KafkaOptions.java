package io.stockline.cli;

import io.stockline.app.config.ClientOverrides;
import io.stockline.app.kafka.KafkaClientConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** How the client commands reach the cluster: {@code --bootstrap-servers} and {@code --kafka-config}. */
final class KafkaOptions {

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
            defaultValue = "${env:STOCKLINE_BOOTSTRAP_SERVERS:-127.0.0.1:9092}",
            description = "The Kafka cluster (env STOCKLINE_BOOTSTRAP_SERVERS). Default: ${DEFAULT-VALUE}.")
    private String bootstrapServers;

    @Option(names = "--kafka-config", paramLabel = "FILE", defaultValue = "${env:STOCKLINE_KAFKA_CONFIG}",
            description = "A Java properties file of extra Kafka client settings (TLS, SASL...), "
                    + "env STOCKLINE_KAFKA_CONFIG.")
    private Path kafkaConfig;

    KafkaClientConfig clientConfig() {
        return new KafkaClientConfig(bootstrapServers, ClientOverrides.load(kafkaConfig));
    }
}
