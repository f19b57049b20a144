package io.stockline.app.config;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --kafka-config FILE}: one flag for every command that starts Kafka clients, the bench's included. */
public final class KafkaConfigOption {

    @Option(names = "--kafka-config", paramLabel = "FILE", defaultValue = "${env:STOCKLINE_KAFKA_CONFIG}",
            description = "A Java properties file of extra Kafka client settings (TLS, SASL...) merged into every "
                    + "Kafka client the command starts (admin, producer, consumer, Kafka Streams); "
                    + "env STOCKLINE_KAFKA_CONFIG.")
    private Path file;

    public ClientOverrides overrides() {
        return ClientOverrides.load(file);
    }
}
