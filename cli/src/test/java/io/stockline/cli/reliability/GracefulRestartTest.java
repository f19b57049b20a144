package io.stockline.cli.reliability;

import io.stockline.testkit.Ports;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stockline.testkit.ChildProcess;
import io.stockline.cli.InProcessCli;
import io.stockline.app.config.ServiceConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM under load, as an orchestrator stops a pod, then a start on the same data: in-flight work is
 * committed on the way down (the checks find nothing lost or doubled), and a static member (one with
 * {@code --instance-id}) stays in the group while it is away, so its return moves no partition.
 */
class GracefulRestartTest {

    private static final int RESTARTS = Drill.SOAK ? 5 : 1;
    private static final int LOAD_SECONDS = Drill.SOAK ? 180 : 40;

    @TempDir
    Path dir;

    @Test
    void aStaticMemberStoppedWithSigtermStaysInTheGroupAndLosesNothing() throws Exception {
        final String name = "graceful-restart";
        final int kafkaPort = Ports.freePort();
        final int httpPort = Ports.freePort();
        final String bootstrap = "127.0.0.1:" + kafkaPort;
        try (ChildProcess broker = Drill.broker(name, dir, kafkaPort);
             ChildProcess ledger = Drill.ledger(name, dir.resolve("data"), bootstrap, httpPort).start();
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            ledger.awaitReady(httpPort, Drill.READY_TIMEOUT);
            final Drill drill = new Drill(name, dir, bootstrap, httpPort);
            final CompletableFuture<InProcessCli.Result> load = drill.startLoad(LOAD_SECONDS);
            while (drill.faults() < RESTARTS && !load.isDone()) {
                drill.pause(3, 8);
                drill.fault("SIGTERM the ledger, then start it again");
                ledger.terminate();
                final List<String> members = staticMembers(admin);
                assertTrue(!members.isEmpty() && members.stream().allMatch(id -> id.startsWith("ledger-1")),
                        "the stopped static member is still in the group, so nothing moves while it is away: "
                                + members);
                ledger.start().awaitReady(httpPort, Drill.READY_TIMEOUT);
            }
            drill.verify(load, RESTARTS);
            assertTrue(ledger.alive());
        }
    }

    private static List<String> staticMembers(final Admin admin) throws InterruptedException, ExecutionException {
        final ConsumerGroupDescription group = admin.describeConsumerGroups(
                List.of(ServiceConfig.DEFAULT_APPLICATION_ID)).all().get().get(ServiceConfig.DEFAULT_APPLICATION_ID);
        return group.members().stream().map(MemberDescription::groupInstanceId)
                .map(id -> id.orElse("(dynamic)")).toList();
    }
}
