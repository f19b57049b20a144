package io.stockline.cli;

import io.stockline.app.config.ServiceConfig;
import picocli.CommandLine.Option;

/** {@code --kafka-port}, as {@code run} and {@code broker} share it. */
final class KafkaPortOption {

    @Option(names = "--kafka-port", paramLabel = "PORT",
            defaultValue = "${env:STOCKLINE_KAFKA_PORT:-" + ServiceConfig.DEFAULT_KAFKA_PORT + "}",
            description = "The embedded broker's port on 127.0.0.1 (0 picks a free one). Default: ${DEFAULT-VALUE}.")
    private int kafkaPort;

    int kafkaPort() {
        return kafkaPort;
    }
}
