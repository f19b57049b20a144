package io.stockline.cli.reliability;

import io.stockline.testkit.ChildProcess;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of the Stockline process at random points while the bench drives a mixed workload, then a
 * restart on the same data directory; the load goes on throughout. With the embedded broker the broker dies
 * too and recovers from its disk; with {@code stockline broker} in a process of its own only the ledger
 * dies. Two crashes each in CI, ten with {@code -Dstockline.soak=true}. The instance restarts with its
 * {@code --instance-id} (static membership), as the README tells operators to run it, so the group takes it
 * back at once instead of waiting out the dead member's session.
 */
class CrashTest {

    private static final Drill.Plan PLAN = Drill.Plan.of(new Drill.Plan(2, 60), new Drill.Plan(10, 300));

    /**
     * Each restart first has the embedded broker's controller fence the dead broker (see
     * {@code EmbeddedKafkaBroker}); without that, about one restart in fifteen hung on a transaction Kafka
     * left open ("Solved" in docs/RELIABILITY.md).
     */
    @Test
    void killedWithItsEmbeddedBrokerTheLedgerLosesNothing(@TempDir final Path dir) {
        final Drill drill = new Drill("crash-embedded-broker", dir, PLAN);
        try (ChildProcess ledger = drill.ledgerWithEmbeddedBroker()) {
            crashRepeatedly(drill, ledger);
        }
    }

    @Test
    void killedBesideASeparateBrokerTheLedgerLosesNothing(@TempDir final Path dir) {
        final Drill drill = new Drill("crash-separate-broker", dir, PLAN);
        try (ChildProcess broker = drill.broker();
             ChildProcess ledger = drill.ledger()) {
            crashRepeatedly(drill, ledger);
        }
    }

    private static void crashRepeatedly(final Drill drill, final ChildProcess ledger) {
        drill.awaitReady(ledger.start());
        drill.underLoad(() -> {
            drill.pause(3, 10);
            drill.fault("kill -9 the ledger process");
            ledger.kill();
            drill.awaitReady(ledger.start());
        });
    }
}
