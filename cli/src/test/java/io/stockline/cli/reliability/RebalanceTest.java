package io.stockline.cli.reliability;

import io.stockline.testkit.Ports;
import io.stockline.testkit.ChildProcess;
import io.stockline.cli.InProcessCli;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three instances on one broker: while the load runs, a second and a third instance join and then leave
 * again (SIGTERM, the way an orchestrator scales down), so the partitions and their stores move from
 * instance to instance and back. The first instance stays throughout and answers the final checks for all
 * of them. Dynamic membership (no {@code --instance-id}), so that every join and leave rebalances at once.
 */
class RebalanceTest {

    private static final int ROUNDS = Drill.SOAK ? 4 : 1;
    private static final int LOAD_SECONDS = Drill.SOAK ? 300 : 60;

    @TempDir
    Path dir;

    @Test
    void instancesJoiningAndLeavingUnderLoadLoseNothing() {
        final String name = "rebalance";
        final int kafkaPort = Ports.freePort();
        final String bootstrap = "127.0.0.1:" + kafkaPort;
        final List<Integer> ports = List.of(Ports.freePort(), Ports.freePort(), Ports.freePort());
        try (ChildProcess broker = Drill.broker(name, dir, kafkaPort);
             ChildProcess first = instance(name, "a", bootstrap, ports.get(0));
             ChildProcess second = instance(name, "b", bootstrap, ports.get(1));
             ChildProcess third = instance(name, "c", bootstrap, ports.get(2))) {
            first.start().awaitReady(ports.get(0), Drill.READY_TIMEOUT);
            final Drill drill = new Drill(name, dir, bootstrap, ports.get(0));
            final CompletableFuture<InProcessCli.Result> load = drill.startLoad(LOAD_SECONDS);
            for (int round = 0; round < ROUNDS && !load.isDone(); round++) {
                join(drill, second, ports.get(1));
                join(drill, third, ports.get(2));
                leave(drill, second, first, ports.get(0));
                leave(drill, third, first, ports.get(0));
            }
            drill.verify(load, 4 * ROUNDS);
        }
    }

    private ChildProcess instance(final String drill, final String id, final String bootstrap, final int port) {
        return ChildProcess.service(id, Drill.logDir(drill), "--data-dir", dir.resolve(id).toString(),
                "--bootstrap-servers", bootstrap, "--http-port", String.valueOf(port));
    }

    private static void join(final Drill drill, final ChildProcess instance, final int port) {
        drill.pause(2, 6);
        drill.fault("an instance joins (port " + port + ")");
        instance.start().awaitReady(port, Drill.READY_TIMEOUT);
    }

    private static void leave(final Drill drill, final ChildProcess instance, final ChildProcess stays,
                              final int staysPort) {
        drill.pause(2, 6);
        drill.fault("an instance leaves");
        instance.terminate();
        stays.awaitReady(staysPort, Drill.READY_TIMEOUT);
    }
}
