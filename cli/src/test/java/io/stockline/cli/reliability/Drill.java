package io.stockline.cli.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stockline.testkit.ChildProcess;
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
 * cancellations, refunds, expiries) at a fixed rate into a ledger running in other processes, while the
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

    private final String name;
    private final Path dir;
    private final String bootstrapServers;
    private final URI ledgerUrl;
    private final SplittableRandom random;
    private final List<String> faults = new ArrayList<>();

    Drill(final String name, final Path dir, final String bootstrapServers, final int httpPort) {
        this.name = name;
        this.dir = dir;
        this.bootstrapServers = bootstrapServers;
        this.ledgerUrl = URI.create("http://127.0.0.1:" + httpPort);
        this.random = new SplittableRandom(SEED);
        System.out.println(name + ": seed " + SEED + (SOAK ? " (soak)" : ""));
    }

    /** The bench, in this JVM, in the background: orders at a fixed rate for about {@code seconds}. */
    CompletableFuture<InProcessCli.Result> startLoad(final int seconds) {
        final int orders = RATE * seconds;
        return CompletableFuture.supplyAsync(() -> InProcessCli.run("", "bench", "--workload", "mixed",
                "--skus", "300", "--orders", String.valueOf(orders), "--rate", String.valueOf(RATE),
                "--follow-up-lag", "200", "--expire-hold", "3s", "--seed", String.valueOf(SEED),
                "--bootstrap-servers", bootstrapServers, "--ledger-url", ledgerUrl.toString(),
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
     * Waits for the load to finish, then checks everything: the bench's verdict and the audit of the
     * committed output. Prints the figures the reliability report quotes.
     */
    void verify(final CompletableFuture<InProcessCli.Result> load, final int plannedFaults) {
        final InProcessCli.Result bench = load.join();
        System.out.println(bench.out());
        System.out.println(bench.err());
        assertEquals(plannedFaults, faults.size(), "every planned fault was injected while the load ran");
        assertEquals(0, bench.exitCode(), name + ": the bench's checks failed:\n" + bench.err());
        final LedgerAudit audit = new LedgerAudit(bootstrapServers, ServiceConfig.DEFAULT_APPLICATION_ID, ledgerUrl)
                .run();
        System.out.println(name + ": " + faults.size() + " faults survived; " + audit.summary());
        assertTrue(audit.problems().isEmpty(), name + ": " + String.join("\n", audit.problems()));
    }

    /** Where the drill's processes write their logs: kept after the run (unlike its data), for a post-mortem. */
    static Path logDir(final String drill) {
        try {
            return Files.createDirectories(Path.of("target", "reliability-logs", drill));
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A drill's separate broker ({@code stockline broker}, data in {@code dir/kafka}), started and listening, so
     * that a ledger started next finds it: the ledger's start-up probe gives up after 5 s.
     */
    static ChildProcess broker(final String drill, final Path dir, final int kafkaPort) {
        return ChildProcess.broker(logDir(drill), dir.resolve("kafka"), kafkaPort).start()
                .awaitListening(kafkaPort, READY_TIMEOUT);
    }

    /** The one ledger instance of a drill, on a separate broker, with a stable {@code --instance-id}. */
    static ChildProcess ledger(final String drill, final Path dataDir, final String bootstrap, final int httpPort) {
        return ChildProcess.service("ledger", logDir(drill), "--data-dir", dataDir.toString(), "--bootstrap-servers",
                bootstrap, "--http-port", String.valueOf(httpPort), "--instance-id", "ledger-1");
    }
}
