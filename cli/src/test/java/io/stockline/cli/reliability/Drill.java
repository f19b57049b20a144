package io.stockline.cli.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stockline.testkit.ChildProcess;
import io.stockline.testkit.Ports;
import io.stockline.cli.InProcessCli;
import io.stockline.app.config.ServiceConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A reliability drill: {@code stockline bench} drives a mixed workload (orders, payments, failed payments,
 * cancellations, refunds, expiries, partial cancels and refunds, shipments: the bench's default mix, so the
 * ledger deducts on shipment) at a fixed rate into a ledger running in other processes, while the
 * drill's faults are injected; then the bench's own checks (every order exactly the outcomes its events
 * call for, no SKU oversold, levels equal to the reference computed from the events) and the
 * {@link LedgerAudit} must all pass.
 *
 * <p>{@code -Dstockline.soak=true} turns the CI-sized drills into the long soak: more faults, more orders.
 * The random points are drawn from {@code -Dstockline.seed} (printed).
 */
final class Drill {

    static final boolean SOAK = Boolean.getBoolean("stockline.soak");
    static final long SEED = Long.getLong("stockline.seed", System.nanoTime());
    static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
    private static final int RATE = 200;
    /** The bench's default mix ships orders, which the ledger takes only when it deducts stock on shipment. */
    private static final String DEDUCT_ON = "shipment";

    /** A drill's size: how many faults, over about how many seconds of load. */
    record Plan(int faults, int loadSeconds) {
        /** The CI-sized plan, or with {@code -Dstockline.soak=true} the soak's. */
        static Plan of(final Plan ci, final Plan soak) {
            return SOAK ? soak : ci;
        }
    }

    private final String name;
    private final Path dir;
    private final Plan plan;
    private final int kafkaPort = Ports.freePort();
    private final int httpPort = Ports.freePort();
    private final SplittableRandom random = new SplittableRandom(SEED);
    private final List<String> faults = new ArrayList<>();

    /**
     * A drill working under {@code dir}, on a free Kafka port and a free HTTP port: the HTTP port is that of
     * the instance the load talks to and the checks ask.
     */
    Drill(final String name, final Path dir, final Plan plan) {
        this.name = name;
        this.dir = dir;
        this.plan = plan;
        System.out.println(name + ": seed " + SEED + (SOAK ? " (soak)" : ""));
    }

    int httpPort() {
        return httpPort;
    }

    String bootstrapServers() {
        return "127.0.0.1:" + kafkaPort;
    }

    private URI ledgerUrl() {
        return URI.create("http://127.0.0.1:" + httpPort);
    }

    /** The bench, in this JVM, in the background: orders at a fixed rate for about {@code seconds}. */
    private CompletableFuture<InProcessCli.Result> startLoad(final int seconds) {
        final int orders = RATE * seconds;
        return CompletableFuture.supplyAsync(() -> InProcessCli.run("", "bench", "--workload", "mixed",
                "--skus", "300", "--orders", String.valueOf(orders), "--rate", String.valueOf(RATE),
                "--follow-up-lag", "200", "--expire-hold", "3s", "--seed", String.valueOf(SEED),
                "--deduct-on", DEDUCT_ON,
                "--bootstrap-servers", bootstrapServers(), "--ledger-url", ledgerUrl().toString(),
                "--quiet-timeout", "240s", "--settle-timeout", "120s", "--progress", "lines",
                "--out", dir.resolve("bench-results").toString(), "--label", name));
    }

    /** A random pause of {@code min} to {@code max} seconds before the next fault. */
    void pause(final int min, final int max) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(random.nextLong(min * 1000L, max * 1000L + 1)));
    }

    void fault(final String what) {
        faults.add(what);
        System.out.println(name + ": fault " + faults.size() + ": " + what);
    }

    int faults() {
        return faults.size();
    }

    /**
     * Starts the load and runs {@code round} (which pauses and injects faults) until the planned faults are
     * in or the load has ended, then {@link #verify verifies}.
     */
    void underLoad(final Runnable round) {
        final CompletableFuture<InProcessCli.Result> load = startLoad(plan.loadSeconds());
        while (faults() < plan.faults() && !load.isDone()) {
            round.run();
        }
        verify(load, plan.faults());
    }

    /** Waits until the instance on the drill's HTTP port answers ready again. */
    void awaitReady(final ChildProcess instance) {
        instance.awaitReady(httpPort, READY_TIMEOUT);
    }

    /**
     * Waits for the load to finish, then checks everything: the bench's verdict and the audit of the
     * committed output. Prints the figures the reliability report quotes.
     */
    private void verify(final CompletableFuture<InProcessCli.Result> load, final int plannedFaults) {
        final InProcessCli.Result bench = load.join();
        System.out.println(bench.out());
        System.out.println(bench.err());
        assertEquals(plannedFaults, faults.size(), "every planned fault was injected while the load ran");
        assertEquals(0, bench.exitCode(), name + ": the bench's checks failed:\n" + bench.err());
        final LedgerAudit audit = new LedgerAudit(bootstrapServers(), ServiceConfig.DEFAULT_APPLICATION_ID, ledgerUrl())
                .run();
        System.out.println(name + ": " + faults.size() + " faults survived; " + audit.summary());
        assertTrue(audit.problems().isEmpty(), name + ": " + String.join("\n", audit.problems()));
    }

    /** Where the drill's processes write their logs: kept after the run (unlike its data), for a post-mortem. */
    private Path logDir() {
        try {
            return Files.createDirectories(Path.of("target", "reliability-logs", name));
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The drill's separate broker ({@code stockline broker}, data in {@code dir/kafka}), started and listening,
     * so that a ledger started next finds it: the ledger's start-up probe gives up after 5 s.
     */
    ChildProcess broker() {
        return ChildProcess.broker(logDir(), dir.resolve("kafka"), kafkaPort).start()
                .awaitListening(kafkaPort, READY_TIMEOUT);
    }

    /** The one ledger instance of a drill, on the separate broker, with a stable {@code --instance-id}. */
    ChildProcess ledger() {
        return instance("ledger", dir.resolve("data"), httpPort, "--bootstrap-servers", bootstrapServers(),
                "--instance-id", "ledger-1");
    }

    /** The one ledger instance of a drill with its embedded broker on the drill's Kafka port. */
    ChildProcess ledgerWithEmbeddedBroker() {
        return instance("ledger", dir.resolve("data"), httpPort, "--kafka-port", String.valueOf(kafkaPort),
                "--instance-id", "ledger-1");
    }

    /** One more instance on the separate broker, with dynamic membership, its data in {@code dir/id}. */
    ChildProcess instance(final String id, final int port) {
        return instance(id, dir.resolve(id), port, "--bootstrap-servers", bootstrapServers());
    }

    private ChildProcess instance(final String id, final Path dataDir, final int port, final String... flags) {
        final List<String> arguments = new ArrayList<>(List.of("--data-dir", dataDir.toString(),
                "--http-port", String.valueOf(port), "--deduct-on", DEDUCT_ON));
        arguments.addAll(List.of(flags));
        return ChildProcess.service(id, logDir(), arguments.toArray(String[]::new));
    }
}
