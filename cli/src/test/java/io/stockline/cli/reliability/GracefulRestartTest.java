package io.stockline.cli.reliability;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stockline.testkit.ChildProcess;
import io.stockline.app.config.ServiceConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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

    private static final Drill.Plan PLAN = Drill.Plan.of(new Drill.Plan(1, 40), new Drill.Plan(5, 180));

    @Test
    void aStaticMemberStoppedWithSigtermStaysInTheGroupAndLosesNothing(@TempDir final Path dir) {
        final Drill drill = new Drill("graceful-restart", dir, PLAN);
        try (ChildProcess broker = drill.broker();
             ChildProcess ledger = drill.ledger().start();
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                     drill.bootstrapServers()))) {
            drill.awaitReady(ledger);
            drill.underLoad(() -> {
                drill.pause(3, 8);
                drill.fault("SIGTERM the ledger, then start it again");
                ledger.terminate();
                final List<String> members = staticMembers(admin);
                assertTrue(!members.isEmpty() && members.stream().allMatch(id -> id.startsWith("ledger-1")),
                        "the stopped static member is still in the group, so nothing moves while it is away: "
                                + members);
                drill.awaitReady(ledger.start());
            });
            assertTrue(ledger.alive());
        }
    }

    private static List<String> staticMembers(final Admin admin) {
        final String groupId = ServiceConfig.DEFAULT_APPLICATION_ID;
        final ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(groupId)).all()
                .toCompletionStage().toCompletableFuture().join().get(groupId);
        return group.members().stream().map(MemberDescription::groupInstanceId)
                .map(id -> id.orElse("(dynamic)")).toList();
    }
}
