package io.stockline.bench;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Shows a run's progress on stderr: a redrawn bar on a terminal, a line every few seconds otherwise. */
final class Progress implements AutoCloseable {

    /** How progress is shown. */
    enum Mode {
        AUTO, BAR, LINES, NONE;

        static Mode parse(final String text) {
            try {
                return valueOf(text.trim().toUpperCase(Locale.ROOT));
            } catch (final IllegalArgumentException e) {
                throw new IllegalArgumentException("expected auto, bar, lines or none, got '" + text + "'", e);
            }
        }
    }

    private static final int BAR_WIDTH = 24;
    private static final long BAR_EVERY_MILLIS = 250;
    private static final long LINE_EVERY_MILLIS = 5_000;

    private final PrintWriter err;
    private final Mode mode;
    private final String engine;
    private final OutcomeLog log;
    private final long startNanos = System.nanoTime();
    private final ScheduledExecutorService ticker;
    private long lastDecided;
    private long lastNanos = startNanos;

    private Progress(final PrintWriter err, final Mode mode, final String engine, final OutcomeLog log) {
        this.err = err;
        this.mode = mode;
        this.engine = engine;
        this.log = log;
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            final Thread thread = new Thread(r, ResourceProbe.DRIVER_PREFIX + "progress");
            thread.setDaemon(true);
            return thread;
        });
        final long every = mode == Mode.BAR ? BAR_EVERY_MILLIS : LINE_EVERY_MILLIS;
        ticker.scheduleAtFixedRate(this::show, every, every, TimeUnit.MILLISECONDS);
    }

    /** Starts showing progress; {@code NONE} shows nothing, {@code AUTO} picks by whether stderr is a terminal. */
    static Progress start(final PrintWriter err, final Mode requested, final String engine, final OutcomeLog log) {
        final Mode mode = requested == Mode.AUTO ? (stderrIsTerminal() ? Mode.BAR : Mode.LINES) : requested;
        return new Progress(err, mode, engine, log);
    }

    private static boolean stderrIsTerminal() {
        try {
            final String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (final Exception e) {
            return System.console() != null;
        }
    }

    private synchronized void show() {
        if (mode == Mode.NONE) {
            return;
        }
        final long now = System.nanoTime();
        final long decided = log.decided();
        final long total = log.scenario().orderCount();
        final double rate = (decided - lastDecided) / Math.max(1e-9, (now - lastNanos) / 1e9);
        lastDecided = decided;
        lastNanos = now;
        final int filled = (int) (BAR_WIDTH * decided / Math.max(1, total));
        final String line = String.format(Locale.ROOT, "%-10s [%s%s] %3d%%  %,d/%,d decided  %,.0f/s  p99 %s  %ds",
                engine, "#".repeat(filled), "-".repeat(BAR_WIDTH - filled), 100 * decided / Math.max(1, total),
                decided, total, rate, p99(), (now - startNanos) / 1_000_000_000L);
        if (mode == Mode.BAR) {
            err.print("\r" + line + "   ");
        } else {
            err.println(line);
        }
        err.flush();
    }

    private String p99() {
        final var latencies = log.latencies();
        return latencies.getTotalCount() == 0 ? "-"
                : String.format(Locale.ROOT, "%.1f ms", latencies.getValueAtPercentile(99) / 1000.0);
    }

    @Override
    public synchronized void close() {
        ticker.shutdownNow();
        if (mode == Mode.BAR) {
            show();
            err.println();
            err.flush();
        }
    }
}
