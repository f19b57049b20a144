package io.stockline.topology.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stockline.ledger.AllocationPolicy;
import io.stockline.ledger.DeductOn;
import io.stockline.schemas.DeadLetterCode;
import io.stockline.schemas.OrderStatus;
import io.stockline.schemas.PaymentOutcome;
import io.stockline.schemas.RollbackCause;
import io.stockline.topology.LedgerConfig;
import io.stockline.topology.LedgerHarness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The ledger topology against a reference model of the spec, on thousands of generated events: after every
 * event and every clock move both must have published the same outcomes, rollbacks and dead letters, and the
 * ledger's stores must keep their invariants. A failure prints the seed and the steps that led to it; replay
 * it with {@code -Dstockline.seed=N} (and {@code -Dstockline.events=M}).
 */
class ModelBasedLedgerTest {

    private static final long DEFAULT_SEED = 20_261_122L;
    private static final int DEFAULT_EVENTS = 10_000;

    private static final long SEED = Long.getLong("stockline.seed", DEFAULT_SEED);
    private static final int EVENTS = Integer.getInteger("stockline.events", DEFAULT_EVENTS);
    /** How often the whole order store is read to prove the per-step mirror of it right. */
    private static final int FULL_SCAN_EVERY = Integer.getInteger("stockline.fullScanEvery", 100);

    private static final Timing TIMING = Timing.ofHarness();
    private static final long START = TIMING.startMillis();
    private static final long GRACE = TIMING.orphanGraceMillis();
    private static final long TICK = TIMING.timerIntervalMillis();

    @Test
    void onOnePartitionEveryOrderIsDecidedInItsOwnTaskAndStillAgreesWithTheModel() {
        final String replay = "-Dstockline.seed=" + SEED + " -Dstockline.events=" + EVENTS + " (one partition)";
        final List<Step> scenario = new ScenarioGenerator(SEED, TIMING).generate(EVENTS);
        try (LedgerHarness harness = LedgerHarness.onOnePartition()) {
            final LockstepChecker checker = new LockstepChecker(harness, new ReferenceLedger(TIMING, 1), replay,
                    FULL_SCAN_EVERY);
            scenario.forEach(checker::step);
            checker.checkFinalState();
        }
    }

    /** Stock by location and batch for some SKUs, lines split across locations when no one location has them all. */
    @Test
    void ledgerAgreesWithTheReferenceModelAfterEveryGeneratedEvent() {
        // Given
        final String replay = "-Dstockline.seed=" + SEED + " -Dstockline.events=" + EVENTS + " (located, split lines)";
        System.out.println("ModelBasedLedgerTest: " + replay);
        final List<Step> scenario = ScenarioGenerator.withLocations(SEED, TIMING).generate(EVENTS);
        final long began = System.nanoTime();
        final LedgerConfig config = LedgerHarness.config(LedgerHarness.PARTITIONS)
                .withAllocation(new AllocationPolicy(ScenarioGenerator.LOCATIONS, true));
        try (LedgerHarness harness = new LedgerHarness(config)) {
            final ReferenceLedger model = new ReferenceLedger(TIMING, LedgerHarness.PARTITIONS, false,
                    ScenarioGenerator.LOCATIONS, true);
            final LockstepChecker checker = new LockstepChecker(harness, model, replay, FULL_SCAN_EVERY);

            // When
            scenario.forEach(checker::step);

            // Then
            checker.checkFinalState();
            System.out.printf("ModelBasedLedgerTest: %d steps (%d events) in %d ms, simulated %s; seen %s%n",
                    scenario.size(), EVENTS, (System.nanoTime() - began) / 1_000_000,
                    Duration.ofMillis(harness.now().toEpochMilli() - START), checker.coverage());
            if (EVENTS >= DEFAULT_EVENTS) {
                // Deducting at payment, nothing is ever allocated to ship: every shipment is refused.
                assertEveryRuleWasExercised(checker.coverage(), replay, Set.of(OrderStatus.SHIPPED));
                assertEveryLocationRuleWasExercised(checker.coverage(), model.allocationCases(), replay,
                        "movement COMMIT at a place", "allocation split a line across locations",
                        "transfer into a batch of another expiry");
            }
        }
    }

    /** Stock by location and batch for some SKUs, each line from one location; shipments take the units in order. */
    @Test
    void deductingOnShipmentShipmentsAndRefundsBeforeAndAfterThemAgreeWithTheModel() {
        final String replay = "-Dstockline.seed=" + SEED + " -Dstockline.events=" + EVENTS
                + " (located, lines not split, deducting on shipment)";
        final List<Step> scenario = ScenarioGenerator.withLocations(SEED, TIMING).generate(EVENTS);
        final LedgerConfig config = LedgerHarness.config(LedgerHarness.PARTITIONS).withDeductOn(DeductOn.SHIPMENT)
                .withAllocation(new AllocationPolicy(ScenarioGenerator.LOCATIONS, false));
        try (LedgerHarness harness = new LedgerHarness(config)) {
            final ReferenceLedger model = new ReferenceLedger(TIMING, LedgerHarness.PARTITIONS, true,
                    ScenarioGenerator.LOCATIONS, false);
            final LockstepChecker checker = new LockstepChecker(harness, model, replay, FULL_SCAN_EVERY);
            scenario.forEach(checker::step);
            checker.checkFinalState();
            if (EVENTS >= DEFAULT_EVENTS) {
                assertEveryRuleWasExercised(checker.coverage(), replay, Set.of());
                assertEveryLocationRuleWasExercised(checker.coverage(), model.allocationCases(), replay,
                        "movement SHIP at a place");
            }
        }
    }

    @Test
    void sameSeedGivesTheSameScenario() {
        // Given
        final ScenarioGenerator first = new ScenarioGenerator(SEED, TIMING);
        final ScenarioGenerator second = new ScenarioGenerator(SEED, TIMING);

        // When
        final List<Step> once = first.generate(2_000);
        final List<Step> again = second.generate(2_000);

        // Then
        assertEquals(once, again, "seed " + SEED);
    }

    @Test
    void reservedOrderExpiresAtTheFirstPunctuationAtOrAfterItsDeadline() {
        // Given an order held for 300 ms; punctuations fall every 250 ms from the start
        final List<Step> steps = new ArrayList<>(List.of(
                new Step.Adjust("a-1", "sku-a", 5),
                new Step.Place("e-1", "o-1", List.of(new Step.Line("sku-a", 2)), START, 300L, null)));

        // When the clock passes 250 ms (still held), then 500 ms (released)
        steps.add(new Step.Advance(TICK));
        steps.add(new Step.Advance(TICK));

        // Then the model and the ledger agree step by step, and the order is EXPIRED
        final ReferenceLedger model = runInLockstep(steps);
        assertEndedWithNothingLocked(model, OrderStatus.EXPIRED);
    }

    @Test
    void heldEventsApplyInArrivalOrderOnceTheOrderIsDecided() {
        // Given a capture and then a refund that arrive before their order, when the order arrives
        final ReferenceLedger model = runInLockstep(orderArrivingAfter(
                new Step.Pay("p-1", "o-1", PaymentOutcome.CAPTURED),
                new Step.Pay("p-2", "o-1", PaymentOutcome.REFUNDED)));

        // Then it is reserved, confirmed and refunded, in that order
        assertEndedWithNothingLocked(model, OrderStatus.REFUNDED);
    }

    @Test
    void earlyCancellationMeansTheOrderIsNeverReservedAndAHeldCaptureIsLate() {
        // Given a capture, then a cancellation, before their order, when the order arrives
        final ReferenceLedger model = runInLockstep(orderArrivingAfter(
                new Step.Pay("p-1", "o-1", PaymentOutcome.CAPTURED),
                new Step.Cancel("c-1", "o-1")));

        // Then it is CANCELLED with nothing locked, and the capture a LATE_PAYMENT
        assertEndedWithNothingLocked(model, OrderStatus.CANCELLED);
    }

    @Test
    void heldEventWithoutItsOrderBecomesAnOrphanAtTheFirstPunctuationAfterTheGrace() {
        // Given a payment for an order that never comes
        final List<Step> steps = List.of(
                new Step.Pay("p-1", "o-1", PaymentOutcome.CAPTURED),
                // When the grace has all but passed, then passed, then a punctuation falls
                new Step.Advance(GRACE - 1),
                new Step.Advance(1),
                new Step.Advance(TICK));

        // Then the ledger and the model both dead-letter it once, at the same step
        runInLockstep(steps);
    }

    @Test
    void partlyShortOrderIsRejectedAndReleasesEachSkuThatFitted() {
        // Given two SKUs in stock and one short
        final List<Step> steps = List.of(
                new Step.Adjust("a-1", "sku-a", 5),
                new Step.Adjust("a-2", "sku-b", 5),
                new Step.Adjust("a-3", "sku-c", 1),
                // When one order wants all three, with sku-a on two lines
                new Step.Place("e-1", "o-1", List.of(new Step.Line("sku-a", 2), new Step.Line("sku-c", 2),
                        new Step.Line("sku-b", 1), new Step.Line("sku-a", 3)), START, null, null));

        // Then it is REJECTED naming sku-c, with one PARTIAL_REJECTION each for sku-a (5) and sku-b (1)
        final ReferenceLedger model = runInLockstep(steps);
        assertEquals(OrderStatus.REJECTED, model.statusOf("o-1"));
        assertEquals(List.of(new ReferenceLedger.Rollback("o-1", "sku-a", 5, RollbackCause.PARTIAL_REJECTION),
                new ReferenceLedger.Rollback("o-1", "sku-b", 1, RollbackCause.PARTIAL_REJECTION)),
                model.allRollbacks());
    }

    @Test
    void sameLinesListedInAnotherOrderAreTheSameContentAndNoConflict() {
        // Given an order of sku-a and sku-b, reserved
        final List<Step> steps = List.of(
                new Step.Adjust("a-1", "sku-a", 5),
                new Step.Adjust("a-2", "sku-b", 5),
                new Step.Place("e-1", "o-1", List.of(new Step.Line("sku-a", 1), new Step.Line("sku-b", 2)),
                        START, null, null),
                // When the shop places it again with the same lines, listed the other way round
                new Step.Place("e-2", "o-1", List.of(new Step.Line("sku-b", 2), new Step.Line("sku-a", 1)),
                        START, null, null));

        // Then nothing happens: the summed lines, placedAt and hold are all the same, so it is no conflict
        runInLockstep(steps);
    }

    @Test
    void conflictingOrderDeliveredAgainEmitsNothingTheSecondTime() {
        // Given an order, and another event for its id with other content, dead-lettered as ORDER_ID_CONFLICT
        final Step.Place conflicting = orderOfSkuA("e-2", 2);
        final List<Step> steps = List.of(
                orderOfSkuA("e-1", 1),
                conflicting,
                // When that same event (same eventId) is delivered again
                conflicting);

        // Then the redelivery changes nothing and emits nothing, like any redelivered event
        runInLockstep(steps);
    }

    private static ReferenceLedger runInLockstep(final List<Step> steps) {
        final ReferenceLedger model = model();
        try (LedgerHarness harness = new LedgerHarness()) {
            new LockstepChecker(harness, model, "a fixed scenario", 1).run(steps);
        }
        return model;
    }

    /** 5 of sku-a in stock, then the {@code early} events, then order o-1 for 2 of sku-a. */
    private static List<Step> orderArrivingAfter(final Step... early) {
        final List<Step> steps = new ArrayList<>();
        steps.add(new Step.Adjust("a-1", "sku-a", 5));
        steps.addAll(List.of(early));
        steps.add(orderOfSkuA("e-1", 2));
        return steps;
    }

    /** Order o-1 of one line, {@code quantity} of sku-a, placed at the start with the default hold. */
    private static Step.Place orderOfSkuA(final String eventId, final long quantity) {
        return new Step.Place(eventId, "o-1", List.of(new Step.Line("sku-a", quantity)), START, null, null);
    }

    /** Order o-1 ended with {@code status}, and sku-a has all its 5 units back: nothing locked, nothing taken. */
    private static void assertEndedWithNothingLocked(final ReferenceLedger model, final OrderStatus status) {
        assertEquals(status, model.statusOf("o-1"));
        assertEquals(new ReferenceLedger.Level(5, 5, 0), model.level("sku-a"));
    }

    private static ReferenceLedger model() {
        return new ReferenceLedger(TIMING, LedgerHarness.PARTITIONS);
    }

    /** A long run that never hit some rule says more about the generator than about the ledger. */
    private static void assertEveryRuleWasExercised(final Map<String, Integer> coverage, final String replay,
                                                    final Set<OrderStatus> cannotHappen) {
        final List<String> wanted = new ArrayList<>();
        for (final OrderStatus status : OrderStatus.values()) {
            if (!cannotHappen.contains(status)) {
                wanted.add("outcome " + status);
            }
        }
        for (final RollbackCause cause : RollbackCause.values()) {
            wanted.add("rollback " + cause);
        }
        for (final DeadLetterCode code : List.of(DeadLetterCode.ADJUSTMENT_EXCEEDS_AVAILABLE,
                DeadLetterCode.ORDER_ID_CONFLICT, DeadLetterCode.LATE_PAYMENT, DeadLetterCode.ILLEGAL_TRANSITION,
                DeadLetterCode.ORPHAN_EVENT, DeadLetterCode.CANCEL_EXCEEDS_RESERVED, DeadLetterCode.RETURN_EXCEEDS_SOLD,
                DeadLetterCode.SHIPMENT_EXCEEDS_ALLOCATED)) {
            wanted.add("dead letter " + code);
        }
        final List<String> missing = wanted.stream().filter(w -> !coverage.containsKey(w)).toList();
        assertTrue(missing.isEmpty(), "the scenario " + replay + " never produced " + missing);
    }

    /** A located run that never moved units between locations, or never refused a place, tested too little. */
    private static void assertEveryLocationRuleWasExercised(final Map<String, Integer> coverage,
                                                            final Map<String, Integer> allocationCases,
                                                            final String replay, final String... alsoWanted) {
        final List<String> wanted = new ArrayList<>(List.of("movement TRANSFER at a place", "movement RESERVE at a place",
                "movement RELEASE at a place", "movement REFUND at a place", "located outcome lines",
                "allocation passed over an expired batch", "allocation took from two batches",
                "allocation of a pinned line"));
        wanted.addAll(List.of(alsoWanted));
        final Map<String, Integer> seen = new TreeMap<>(coverage);
        seen.putAll(allocationCases);
        for (final DeadLetterCode code : List.of(DeadLetterCode.UNKNOWN_LOCATION, DeadLetterCode.UNKNOWN_BATCH,
                DeadLetterCode.BATCH_EXPIRED, DeadLetterCode.BATCH_EXPIRY_MISMATCH,
                DeadLetterCode.TRANSFER_EXCEEDS_AVAILABLE, DeadLetterCode.INVALID_TRANSFER)) {
            wanted.add("dead letter " + code);
        }
        final List<String> missing = wanted.stream().filter(w -> !seen.containsKey(w)).toList();
        assertTrue(missing.isEmpty(), "the scenario " + replay + " never produced " + missing + "; seen " + seen);
    }
}
