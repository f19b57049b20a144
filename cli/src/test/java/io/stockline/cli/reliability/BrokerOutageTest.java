package io.stockline.cli.reliability;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stockline.testkit.ChildProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The separate broker ({@code stockline broker}) stops for 30 s under load and starts again on its data.
 * Nobody touches the ledger: it must ride the outage out, stay up, and go on where it was.
 */
class BrokerOutageTest {

    private static final Duration OUTAGE = Duration.ofSeconds(30);
    private static final Drill.Plan PLAN = Drill.Plan.of(new Drill.Plan(1, 60), new Drill.Plan(3, 240));

    @Test
    void theLedgerRidesOutABrokerOutageByItself(@TempDir final Path dir) {
        final Drill drill = new Drill("broker-outage", dir, PLAN);
        try (ChildProcess broker = drill.broker();
             ChildProcess ledger = drill.ledger().start()) {
            drill.awaitReady(ledger);
            drill.underLoad(() -> {
                drill.pause(3, 10);
                drill.fault("stop the broker for " + OUTAGE.toSeconds() + " s");
                broker.terminate();
                // The outage itself, not a wait for something: the broker stays down this long.
                LockSupport.parkNanos(OUTAGE.toNanos());
                assertTrue(ledger.alive(), "the ledger stays up while the broker is down");
                broker.start();
                drill.awaitReady(ledger);
            });
        }
    }
}
