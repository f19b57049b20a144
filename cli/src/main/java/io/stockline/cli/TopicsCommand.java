package io.stockline.cli;

import io.stockline.app.config.ServiceConfig;
import io.stockline.app.kafka.KafkaAdmin;
import io.stockline.topology.LedgerTopics;
import java.io.PrintWriter;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code stockline topics}: what the cluster has, and the ledger's topics created on demand. */
@Command(name = "topics",
        description = {"List the cluster's topics, marking the ledger's (and those of them that are missing).",
                "With --create, first create the ledger's missing topics."})
public final class TopicsCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private KafkaOptions kafka;

    @Option(names = "--create", description = "Create the ledger's topics that do not exist yet.")
    private boolean create;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "" + ServiceConfig.DEFAULT_PARTITIONS,
            description = "Partitions of each topic --create makes. Default: ${DEFAULT-VALUE}.")
    private int partitions;

    @Option(names = "--replication-factor", paramLabel = "N",
            defaultValue = "" + ServiceConfig.BROKER_DEFAULT_REPLICATION,
            description = "Replicas of each topic --create makes; -1 takes the broker's default.replication.factor. "
                    + "Default: ${DEFAULT-VALUE}.")
    private int replicationFactor;

    @Override
    public Integer call() {
        final PrintWriter out = spec.commandLine().getOut();
        try (KafkaAdmin admin = KafkaAdmin.connect(kafka.clientConfig())) {
            if (create) {
                final List<String> created = admin.ensureTopics(LedgerTopics.all(), partitions, replicationFactor);
                out.printf("created %d topics%s%n", created.size(),
                        created.isEmpty() ? "" : ": " + String.join(", ", created));
            }
            list(admin.topics(), out);
        }
        out.flush();
        return 0;
    }

    private static void list(final SortedMap<String, Integer> existing, final PrintWriter out) {
        final SortedMap<String, String> rows = new TreeMap<>();
        existing.forEach((name, count) -> rows.put(name, count + (count == 1 ? " partition" : " partitions")));
        for (final String ledgerTopic : LedgerTopics.all()) {
            rows.merge(ledgerTopic, "missing", (partitions, missing) -> partitions);
        }
        final String format = "%-" + rows.keySet().stream().mapToInt(String::length).max().orElse(1) + "s  %-13s  %s";
        rows.forEach((name, description) -> out.println(String.format(format, name, description,
                LedgerTopics.all().contains(name) ? "ledger" : "").stripTrailing()));
    }
}
