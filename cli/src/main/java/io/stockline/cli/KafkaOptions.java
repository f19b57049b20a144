package io.stockline.cli;

import io.stockline.app.config.KafkaConfigOption;
import io.stockline.app.kafka.KafkaClientConfig;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** How the client commands reach the cluster: {@code --bootstrap-servers} and {@code --kafka-config}. */
final class KafkaOptions {

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT[,...]",
            defaultValue = "${env:STOCKLINE_BOOTSTRAP_SERVERS:-127.0.0.1:9092}",
            description = "The Kafka cluster (env STOCKLINE_BOOTSTRAP_SERVERS). Default: ${DEFAULT-VALUE}.")
    private String bootstrapServers;

    @Mixin
    private KafkaConfigOption kafkaConfig;

    KafkaClientConfig clientConfig() {
        return new KafkaClientConfig(bootstrapServers, kafkaConfig.overrides());
    }
}
