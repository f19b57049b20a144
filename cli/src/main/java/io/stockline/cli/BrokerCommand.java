package io.stockline.cli;

import io.stockline.app.kafka.EmbeddedKafkaBroker;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
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

    @Mixin
    private DataDirOption dataDir;

    @Mixin
    private KafkaPortOption port;

    @Override
    public Integer call() throws InterruptedException {
        final CountDownLatch stopped = new CountDownLatch(1);
        final EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dataDir.dataDir().resolve("kafka"), port.kafkaPort());
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
