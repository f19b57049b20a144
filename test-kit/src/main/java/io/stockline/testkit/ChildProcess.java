package io.stockline.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One {@code stockline} command ({@code run} or {@code broker}) in a JVM of its own, so that it can be
 * killed with SIGKILL as a crash would, stopped with SIGTERM as an operator would, and started again on
 * the same data directory. Its output goes to a log file in the given directory, one per start. Its
 * environment has no {@code STOCKLINE_*} variable, so the flags alone decide, not the shell of whoever runs
 * the build.
 */
public final class ChildProcess implements AutoCloseable {

    /** The launcher's main class, found on the calling test's class path. */
    private static final String MAIN_CLASS = "io.stockline.cli.Stockline";
    /** Small, quick-starting JVMs: a test machine runs up to five of them at once. */
    private static final List<String> JVM_OPTIONS = List.of("-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
    private static final int LOG_TAIL = 40;
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

    private final String name;
    private final List<String> arguments;
    private final Path logDir;
    private Process process;
    private int starts;
    private boolean verbose = Boolean.getBoolean("stockline.drill.verbose");

    private ChildProcess(final String name, final Path logDir, final String... arguments) {
        this.name = name;
        this.logDir = logDir;
        this.arguments = List.of(arguments);
    }

    /** A ledger instance: {@code stockline run} with these arguments. */
    public static ChildProcess service(final String name, final Path logDir, final String... arguments) {
        final List<String> all = new ArrayList<>(List.of("run"));
        all.addAll(List.of(arguments));
        return new ChildProcess(name, logDir, all.toArray(String[]::new));
    }

    /** A standalone broker: {@code stockline broker --data-dir DIR --kafka-port PORT}. */
    public static ChildProcess broker(final Path logDir, final Path dataDir, final int port) {
        return new ChildProcess("broker", logDir, "broker", "--data-dir", dataDir.toString(),
                "--kafka-port", String.valueOf(port));
    }

    public ChildProcess start() {
        final List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JVM_OPTIONS);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), MAIN_CLASS));
        command.addAll(arguments);
        if (verbose) {
            command.add("--verbose");
        }
        starts++;
        final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(logDir.resolve(name + "-" + starts + ".log").toFile());
        builder.environment().keySet().removeIf(variable -> variable.startsWith("STOCKLINE_"));
        try {
            process = builder.start();
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
        return this;
    }

    /** With {@code --verbose} from the next start on: Kafka's own INFO lines in the log too. */
    public ChildProcess verbose() {
        verbose = true;
        return this;
    }

    /** The log of the {@code start}th start (1 is the first). */
    public String log(final int start) {
        try {
            return Files.readString(logDir.resolve(name + "-" + start + ".log"));
        } catch (final IOException e) {
            throw new UncheckedIOException("no log of start " + start + " of " + name, e);
        }
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed or committed, as when the machine loses the process. */
    public void kill() {
        process.destroyForcibly();
        awaitExit();
    }

    /** SIGTERM: the graceful path an orchestrator takes. */
    public void terminate() {
        process.destroy();
        awaitExit();
    }

    public boolean alive() {
        return process != null && process.isAlive();
    }

    /** Waits until the instance's {@code /ready} answers 200 (Kafka Streams RUNNING). */
    public void awaitReady(final int httpPort, final Duration within) {
        await(name + " to be ready on port " + httpPort, within, () -> ready(httpPort));
    }

    /**
     * Waits until something listens on 127.0.0.1:{@code port}, as a broker child does once it is up, so that a
     * ledger started next finds it; stops the process when it does not, since a caller still building its
     * try-with-resources could not close it.
     */
    public ChildProcess awaitListening(final int port, final Duration within) {
        try {
            await(name + " to listen on port " + port, within, () -> Ports.listening(port));
        } catch (final AssertionError e) {
            close();
            throw e;
        }
        return this;
    }

    /** Like {@link Await#until}, but fails at once if the process has exited, and quotes the end of its log. */
    public void await(final String what, final Duration within, final BooleanSupplier condition) {
        try {
            Await.until(what, within, () -> {
                if (!process.isAlive()) {
                    throw new AssertionError(name + " exited with " + process.exitValue() + " before " + what);
                }
                return condition.getAsBoolean();
            });
        } catch (final AssertionError e) {
            throw new AssertionError(e.getMessage() + "; the end of its log:\n" + logTail(), e);
        }
    }

    private String logTail() {
        try {
            final List<String> lines = Files.readAllLines(logDir.resolve(name + "-" + starts + ".log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL), lines.size()));
        } catch (final IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static boolean ready(final int httpPort) {
        return Http.tryGet("http://127.0.0.1:" + httpPort + "/ready").map(r -> r.statusCode() == 200).orElse(false);
    }

    private void awaitExit() {
        try {
            if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError(name + " did not stop within " + STOP_TIMEOUT.toSeconds() + " s");
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (alive()) {
            process.destroyForcibly();
            awaitExit();
        }
    }
}
