package io.stockline.cli.reliability;

import io.stockline.testkit.Ports;
import io.stockline.testkit.ChildProcess;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three instances on one broker: while the load runs, a second and a third instance join and then leave
 * again (SIGTERM, the way an orchestrator scales down), so the partitions and their stores move from
 * instance to instance and back. The first instance stays throughout and answers the final checks for all
 * of them. Dynamic membership (no {@code --instance-id}), so that every join and leave rebalances at once.
 */
class RebalanceTest {

    /** Every round injects four faults: two joins, two leaves. */
    private static final Drill.Plan PLAN = Drill.Plan.of(new Drill.Plan(4, 60), new Drill.Plan(4 * 4, 300));

    @Test
    void instancesJoiningAndLeavingUnderLoadLoseNothing(@TempDir final Path dir) {
        final Drill drill = new Drill("rebalance", dir, PLAN);
        final int secondPort = Ports.freePort();
        final int thirdPort = Ports.freePort();
        try (ChildProcess broker = drill.broker();
             ChildProcess first = drill.instance("a", drill.httpPort());
             ChildProcess second = drill.instance("b", secondPort);
             ChildProcess third = drill.instance("c", thirdPort)) {
            drill.awaitReady(first.start());
            drill.underLoad(() -> {
                join(drill, second, secondPort);
                join(drill, third, thirdPort);
                leave(drill, second, first);
                leave(drill, third, first);
            });
        }
    }

    private static void join(final Drill drill, final ChildProcess instance, final int port) {
        drill.pause(2, 6);
        drill.fault("an instance joins (port " + port + ")");
        instance.start().awaitReady(port, Drill.READY_TIMEOUT);
    }

    /** The instance that stays is the one on the drill's HTTP port. */
    private static void leave(final Drill drill, final ChildProcess instance, final ChildProcess stays) {
        drill.pause(2, 6);
        drill.fault("an instance leaves");
        instance.terminate();
        drill.awaitReady(stays);
    }
}
