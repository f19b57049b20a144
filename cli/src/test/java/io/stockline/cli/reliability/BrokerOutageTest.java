package io.stockline.cli.reliability;

import io.stockline.testkit.Ports;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stockline.testkit.ChildProcess;
import io.stockline.cli.InProcessCli;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The separate broker ({@code stockline broker}) stops for 30 s under load and starts again on its data.
 * Nobody touches the ledger: it must ride the outage out, stay up, and go on where it was.
 */
class BrokerOutageTest {

    private static final Duration OUTAGE = Duration.ofSeconds(30);
    private static final int OUTAGES = Drill.SOAK ? 3 : 1;
    private static final int LOAD_SECONDS = Drill.SOAK ? 240 : 60;

    @TempDir
    Path dir;

    @Test
    void theLedgerRidesOutABrokerOutageByItself() {
        final String name = "broker-outage";
        final int kafkaPort = Ports.freePort();
        final int httpPort = Ports.freePort();
        final String bootstrap = "127.0.0.1:" + kafkaPort;
        try (ChildProcess broker = Drill.broker(name, dir, kafkaPort);
             ChildProcess ledger = Drill.ledger(name, dir.resolve("data"), bootstrap, httpPort).start()) {
            ledger.awaitReady(httpPort, Drill.READY_TIMEOUT);
            final Drill drill = new Drill(name, dir, bootstrap, httpPort);
            final CompletableFuture<InProcessCli.Result> load = drill.startLoad(LOAD_SECONDS);
            while (drill.faults() < OUTAGES && !load.isDone()) {
                drill.pause(3, 10);
                drill.fault("stop the broker for " + OUTAGE.toSeconds() + " s");
                broker.terminate();
                // The outage itself, not a wait for something: the broker stays down this long.
                LockSupport.parkNanos(OUTAGE.toNanos());
                assertTrue(ledger.alive(), "the ledger stays up while the broker is down");
                broker.start();
                ledger.awaitReady(httpPort, Drill.READY_TIMEOUT);
            }
            drill.verify(load, OUTAGES);
        }
    }
}
