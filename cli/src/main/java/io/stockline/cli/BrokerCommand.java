package io.stockline.cli;

import io.stockline.app.config.ServiceConfig;
import io.stockline.app.kafka.EmbeddedKafkaBroker;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code stockline broker}: the same single-node KRaft broker that {@code run} embeds, in a process of its
 * own, so that Stockline and the broker can be stopped, killed and restarted independently.
 */
@Command(name = "broker",
        description = {"Run a standalone single-node Kafka broker (KRaft) on 127.0.0.1, until Ctrl-C.",
                "Point instances at it with 'stockline run --bootstrap-servers 127.0.0.1:PORT'."})
public final class BrokerCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--data-dir", paramLabel = "DIR",
            defaultValue = "${env:STOCKLINE_DATA_DIR:-" + ServiceConfig.DEFAULT_DATA_DIR + "}",
            description = "The broker keeps its log under DIR/kafka and reuses it on the next start. "
                    + "Default: ${DEFAULT-VALUE}.")
    private Path dataDir;

    @Option(names = "--kafka-port", paramLabel = "PORT",
            defaultValue = "${env:STOCKLINE_KAFKA_PORT:-" + ServiceConfig.DEFAULT_KAFKA_PORT + "}",
            description = "The broker's port on 127.0.0.1. Default: ${DEFAULT-VALUE}.")
    private int port;

    @Override
    public Integer call() throws InterruptedException {
        final CountDownLatch stopped = new CountDownLatch(1);
        final EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir.resolve("kafka"), port);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            stopped.countDown();
        }, "stockline-broker-shutdown"));
        final PrintWriter out = spec.commandLine().getOut();
        out.println("Kafka broker " + broker.bootstrapServers() + " (cluster " + broker.clusterId() + "), data in "
                + broker.dataDir());
        out.println("Press Ctrl-C to stop.");
        out.flush();
        stopped.await();
        return 0;
    }
}
