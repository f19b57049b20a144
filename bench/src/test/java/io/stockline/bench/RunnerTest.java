package io.stockline.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stockline.ledger.DeductOn;
import io.stockline.schemas.OrderStatus;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The driver sends each order's steps as a shop would: one on another stream only once the one before is out. */
class RunnerTest {

    @Test
    void aStepOnAnotherStreamIsSentOnlyOnceTheOutcomeBeforeItHasCome() throws InterruptedException {
        // Given partial cancels, partial refunds and shipments two orders apart, on an engine that answers 3 ms late
        final Scenario scenario = Scenario.generate(new WorkloadSpec(Workload.MIXED, 300, 0, 20, 1_000_000, 1.0,
                1.1, 4, 3, Mix.parse("ship=40,partial-refund=30,partial-cancel=30"), DeductOn.SHIPMENT,
                Duration.ofSeconds(5), 2, 300, 5), "d");
        final SlowEngine engine = new SlowEngine();
        final StringWriter err = new StringWriter();

        // When the driver runs it
        final RunResult result;
        try (engine) {
            result = new Runner(new Runner.Options(0, 0, 20_000, Duration.ofSeconds(10), Duration.ofSeconds(1),
                    Optional.empty(), Progress.Mode.NONE), new PrintWriter(err)).run(engine, scenario);
        }

        // Then every event went out once, each order's in its order, none before the outcome it awaits, and it passed
        assertEquals(0, engine.violationCount, engine.violations.toString());
        assertEquals(scenario.eventCount(), engine.sent);
        assertTrue(engine.awaited > 100, engine.awaited + " steps awaited an outcome");
        assertEquals(RunResult.PASSED, result.status(), result.checks().toString());
    }

    /** Reserves every order and takes every step as the scenario expects, each outcome told 3 ms later. */
    private static final class SlowEngine implements Engine {
        private final ScheduledExecutorService outcomes = Executors.newSingleThreadScheduledExecutor();
        private final List<String> violations = new ArrayList<>();
        private int violationCount;
        private Scenario scenario;
        private OutcomeLog log;
        private int[] steps;
        private int sent;
        private int awaited;

        @Override
        public String name() {
            return "slow";
        }

        @Override
        public void prepare(final Scenario run, final OutcomeLog outcomeLog) {
            scenario = run;
            log = outcomeLog;
            steps = new int[run.orderCount()];
        }

        @Override
        public void send(final long event) {
            sent++;
            final int order = Scenario.orderOf(event);
            final Scenario.Kind kind = Scenario.kindOf(event);
            final OrderStatus status;
            if (kind == Scenario.Kind.PLACE) {
                status = OrderStatus.RESERVED;
            } else {
                final int step = steps[order]++;
                if (scenario.followUps(order)[step] != kind) {
                    violation(kind + " of order " + order + " as step " + (step + 1) + " of "
                            + Arrays.toString(scenario.followUps(order)));
                }
                final int awaits = scenario.awaits(event);
                if (awaits > 0) {
                    awaited++;
                    if (log.outcomeCount(order) < awaits) {
                        violation(kind + " of order " + order + " sent after " + log.outcomeCount(order)
                                + " outcomes, awaiting " + awaits);
                    }
                }
                status = scenario.step(event).status();
            }
            outcomes.schedule(() -> log.record(order, status, false, System.nanoTime()), 3, TimeUnit.MILLISECONDS);
        }

        private void violation(final String what) {
            violationCount++;
            if (violations.size() < 5) {
                violations.add(what);
            }
        }

        @Override
        public void endOfEvents() {
        }

        @Override
        public Levels levels() {
            return Verifier.reference(scenario, log);
        }

        @Override
        public OptionalLong servicePid() {
            return OptionalLong.empty();
        }

        @Override
        public Optional<String> failure() {
            return Optional.empty();
        }

        @Override
        public Map<String, Object> settings() {
            return Map.of();
        }

        @Override
        public void close() {
            outcomes.shutdownNow();
        }
    }
}
