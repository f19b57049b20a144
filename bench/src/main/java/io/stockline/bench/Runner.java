package io.stockline.bench;

import io.stockline.app.Errors;
import io.stockline.schemas.OrderStatus;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.HdrHistogram.Histogram;

/**
 * Drives one engine through one scenario: prepares it (not timed), sends every event in sequence order,
 * open loop at a fixed rate or as fast as the engine decides, waits for every outcome, then measures and
 * checks.
 */
final class Runner {

    /**
     * How to drive.
     *
     * @param rate        orders per second, open loop (the schedule does not wait for outcomes); 0 = as fast as it goes
     * @param warmup      orders at the start that are sent and checked but not measured
     * @param maxInFlight as fast as it goes: at most this many orders sent and not yet decided
     * @param quiet       give up when no outcome has come for this long
     * @param settle      how long the levels may take to reach the reference after the last outcome
     * @param jfr         a Java Flight Recorder file to record the measured phase into
     * @param progress    how to show progress
     */
    record Options(double rate, int warmup, int maxInFlight, Duration quiet, Duration settle, Optional<Path> jfr,
                   Progress.Mode progress) {
    }

    private static final long SETTLE_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    private static final long DRAIN_POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final Options options;
    private final PrintWriter err;

    Runner(final Options options, final PrintWriter err) {
        this.options = options;
        this.err = err;
    }

    RunResult run(final Engine engine, final Scenario scenario) throws InterruptedException {
        final OutcomeLog log = new OutcomeLog(scenario, options.warmup());
        try {
            engine.prepare(scenario, log);
        } catch (final EngineUnavailableException e) {
            return RunResult.skipped(engine.name(), e.getMessage());
        }
        final String loadBefore = loadAverage();
        final Recording recording = options.jfr().map(Runner::startRecording).orElse(null);
        final ResourceProbe probe = ResourceProbe.start(engine.servicePid());
        final long sendStart = System.nanoTime();
        final boolean allSent;
        final boolean complete;
        try (Progress progress = Progress.start(err, options.progress(), engine.name(), log)) {
            allSent = sendAll(engine, scenario, log);
            engine.endOfEvents();
            complete = allSent && engine.failure().isEmpty() && log.awaitComplete(options.quiet().toNanos());
        }
        final double sendSeconds = (System.nanoTime() - sendStart) / 1e9;
        final Usage usage = probe.stop();
        if (recording != null) {
            stopRecording(recording, options.jfr().orElseThrow());
        }
        final long settleStart = System.nanoTime();
        final Levels levels = settledLevels(engine, scenario, log);
        final double settleSeconds = (System.nanoTime() - settleStart) / 1e9;
        final List<Check> checks = new ArrayList<>();
        engine.failure().ifPresent(f -> checks.add(new Check("the engine ran without error", false, f)));
        if (!allSent || !complete) {
            checks.add(new Check("every order completed before the quiet timeout", false, log.complete() + " of "
                    + scenario.orderCount() + " orders complete when no outcome had come for "
                    + options.quiet().toSeconds() + " s"));
        }
        checks.addAll(Verifier.check(scenario, log, levels));
        return result(engine, scenario, log, usage, loadBefore, settleSeconds, sendSeconds, checks);
    }

    /**
     * Sends the whole sequence; false when the engine failed or stopped deciding on the way. A follow-up that
     * awaits an earlier step's outcome ({@link Scenario#awaits}) is held back until it has come, and so is every
     * later event of its order; the rest of the sequence goes on meanwhile.
     */
    private boolean sendAll(final Engine engine, final Scenario scenario, final OutcomeLog log)
            throws InterruptedException {
        final long start = System.nanoTime();
        final double nanosPerOrder = options.rate() > 0 ? 1e9 / options.rate() : 0;
        final Deferred deferred = new Deferred(engine, scenario, log);
        int slot = 0;
        for (int i = 0; i < scenario.eventCount(); i++) {
            final long event = scenario.event(i);
            final boolean place = Scenario.kindOf(event) == Scenario.Kind.PLACE;
            if ((i & 255) == 0) {
                deferred.sendReady();
            }
            if (!place && deferred.holds(event)) {
                continue;
            }
            if (place) {
                slot = Scenario.orderOf(event);
            }
            final long startNanos;
            if (nanosPerOrder > 0) {
                startNanos = start + (long) (slot * nanosPerOrder);
                for (long wait = startNanos - System.nanoTime(); wait > 0; wait = startNanos - System.nanoTime()) {
                    LockSupport.parkNanos(wait);
                }
            } else {
                if (place && slot - log.decided() >= options.maxInFlight()
                        && !log.awaitDecided(slot - options.maxInFlight() + 1, options.quiet().toNanos())) {
                    return false;
                }
                startNanos = System.nanoTime();
            }
            if (place) {
                log.sent(slot, startNanos);
            }
            engine.send(event);
            if ((i & 1023) == 0 && engine.failure().isPresent()) {
                return false;
            }
        }
        return deferred.drain(options.quiet().toNanos());
    }

    /** Follow-ups held back until the outcome they await has come, in the order they were due. */
    private static final class Deferred {
        private final Engine engine;
        private final Scenario scenario;
        private final OutcomeLog log;
        private final ArrayDeque<Long> events = new ArrayDeque<>();
        private final int[] heldPerOrder;
        private long lookedAt = -1;

        Deferred(final Engine engine, final Scenario scenario, final OutcomeLog log) {
            this.engine = engine;
            this.scenario = scenario;
            this.log = log;
            heldPerOrder = new int[scenario.orderCount()];
        }

        /** Holds the event back when it must wait, or when an earlier event of its order is held. */
        boolean holds(final long event) {
            final int order = Scenario.orderOf(event);
            if (heldPerOrder[order] == 0 && log.reached(order, scenario.awaits(event))) {
                return false;
            }
            heldPerOrder[order]++;
            events.add(event);
            return true;
        }

        /**
         * Sends, in order, each held event whose outcome has come and whose order has none held before it. Looks
         * only when an outcome has come since it last looked: a look reads every held event.
         */
        boolean sendReady() {
            if (events.isEmpty() || log.recorded() == lookedAt) {
                return false;
            }
            lookedAt = log.recorded();
            final Set<Integer> waiting = new HashSet<>();
            boolean sent = false;
            for (final Iterator<Long> held = events.iterator(); held.hasNext(); ) {
                final long event = held.next();
                final int order = Scenario.orderOf(event);
                if (!waiting.contains(order) && log.reached(order, scenario.awaits(event))) {
                    engine.send(event);
                    heldPerOrder[order]--;
                    held.remove();
                    sent = true;
                } else {
                    waiting.add(order);
                }
            }
            return sent;
        }

        /** Sends everything still held as its outcomes come; false when none has come for {@code quietNanos}. */
        boolean drain(final long quietNanos) {
            long quietSince = System.nanoTime();
            long lastSeen = log.recorded();
            while (!events.isEmpty()) {
                sendReady();
                if (log.recorded() != lastSeen) {
                    lastSeen = log.recorded();
                    quietSince = System.nanoTime();
                } else if (System.nanoTime() - quietSince > quietNanos || engine.failure().isPresent()) {
                    return false;
                }
                LockSupport.parkNanos(DRAIN_POLL_NANOS);
            }
            return true;
        }
    }

    /**
     * The levels once they stop moving: the stock side may still be applying releases the order side sent
     * with an outcome (a partial rejection's, say) when that outcome is read.
     */
    private Levels settledLevels(final Engine engine, final Scenario scenario, final OutcomeLog log) {
        final Levels reference = Verifier.reference(scenario, log);
        final long deadline = System.nanoTime() + options.settle().toNanos();
        Levels levels = engine.levels();
        while (!Verifier.mismatches(reference, levels).isEmpty() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(SETTLE_POLL_NANOS);
            levels = engine.levels();
        }
        return levels;
    }

    private RunResult result(final Engine engine, final Scenario scenario, final OutcomeLog log, final Usage usage,
                             final String loadBefore, final double settleSeconds, final double sendSeconds,
                             final List<Check> checks) {
        final double seconds = log.lastDecisionNanos() > log.firstSendNanos()
                ? (log.lastDecisionNanos() - log.firstSendNanos()) / 1e9 : 0;
        long reserved = 0;
        for (int order = 0; order < scenario.orderCount(); order++) {
            if (log.decision(order) == OrderStatus.RESERVED) {
                reserved++;
            }
        }
        final Histogram latencies = log.latencies();
        final RunResult.Latency latency = new RunResult.Latency(ms(latencies.getValueAtPercentile(50)),
                ms(latencies.getValueAtPercentile(99)), ms(latencies.getValueAtPercentile(99.9)),
                ms(latencies.getMaxValue()), latencies.getTotalCount());
        final boolean passed = checks.stream().allMatch(Check::passed);
        final String note = passed ? "" : checks.stream().filter(c -> !c.passed()).map(Check::name)
                .reduce((a, b) -> a + "; " + b).orElse("");
        return new RunResult(engine.name(), passed ? RunResult.PASSED : RunResult.FAILED, note,
                scenario.orderCount(), log.decided(), reserved, log.measuredLines(), round(seconds),
                seconds > 0 ? Math.round(log.measured() / seconds) : 0, Math.round(log.steadyDecisionsPerSecond()),
                seconds > 0 ? Math.round(log.measuredLines() / seconds) : 0, options.rate(),
                Math.round(scenario.orderCount() / Math.max(1e-9, sendSeconds)), latency, usage, loadBefore,
                loadAverage(), round(settleSeconds), checks, engine.settings(), log.timeline());
    }

    private static Recording startRecording(final Path file) {
        try {
            final Recording recording = new Recording(Configuration.getConfiguration("profile"));
            recording.setName("stockline-bench");
            recording.start();
            return recording;
        } catch (final IOException | java.text.ParseException e) {
            throw new IllegalStateException("cannot start a flight recording: " + Errors.rootMessage(e), e);
        }
    }

    private void stopRecording(final Recording recording, final Path file) {
        try (recording) {
            recording.stop();
            final Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            recording.dump(file);
            err.println("flight recording written to " + file);
        } catch (final IOException e) {
            err.println("stockline: cannot write the flight recording " + file + ": " + e.getMessage());
        }
    }

    /** The 1, 5 and 15 minute load averages, as the kernel tells them. */
    static String loadAverage() {
        try {
            final String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (final IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static double ms(final long micros) {
        return Math.round(micros / 10.0) / 100.0;
    }

    private static double round(final double value) {
        return Math.round(value * 100) / 100.0;
    }
}
