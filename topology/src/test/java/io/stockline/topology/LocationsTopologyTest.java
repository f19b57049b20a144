package io.stockline.topology;

import static io.stockline.topology.LedgerHarness.line;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stockline.ledger.AllocationPolicy;
import io.stockline.ledger.DeductOn;
import io.stockline.ledger.Place;
import io.stockline.ledger.PlaceLevel;
import io.stockline.ledger.StockLevel;
import io.stockline.schemas.DeadLetter;
import io.stockline.schemas.DeadLetterCode;
import io.stockline.schemas.EventTopic;
import io.stockline.schemas.OrderOutcome;
import io.stockline.schemas.OrderStatus;
import io.stockline.schemas.PaymentOutcome;
import io.stockline.schemas.RollbackCause;
import io.stockline.schemas.StockMovement;
import io.stockline.schemas.StockRollback;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The README's rows for locations and batches, one test a row (and the allocation rules of the paragraphs above the
 * table), through the whole topology: on one partition, and on six, where an order's SKUs may live in another task.
 * The ledger knows the locations north, south and default, in that order. A movement is written here as
 * {@code KIND location/batch onHand,available,locked -> the place's onHand,available,locked after}.
 */
class LocationsTopologyTest {

    private static final List<String> LOCATIONS = List.of("north", "south", "default");
    private static final Instant SOON = LedgerHarness.START.plus(Duration.ofDays(10));
    private static final Instant LATER = LedgerHarness.START.plus(Duration.ofDays(20));

    // --- adjustments at a place ---

    @ParameterizedTest(name = "{0} partition(s)")
    @ValueSource(ints = {1, LedgerHarness.PARTITIONS})
    void anAdjustmentAtALocationAndBatchChangesThatPlaceAndTheSkuTotals(final int partitions) {
        try (LedgerHarness ledger = ledger(partitions, false)) {
            // Given nothing of A anywhere
            // When 10 come into batch b1 at north, 4 into south outside any batch, and 3 of b1 are written off
            ledger.adjustAt("a1", "A", 10, "north", "b1", SOON);
            ledger.adjustAt("a2", "A", 4, "south", null, null);
            ledger.adjustAt("a3", "A", -3, "north", "b1", null);

            // Then one ADJUSTMENT movement at each place, b1 keeping the expiry it came with, and the totals are sums
            final List<StockMovement> movements = values(ledger.stockMovements());
            assertEquals(List.of("ADJUSTMENT north/b1 10,10,0 -> 10,10,0", "ADJUSTMENT south/- 4,4,0 -> 4,4,0",
                    "ADJUSTMENT north/b1 -3,-3,0 -> 7,7,0"), described(movements));
            assertEquals(List.of("a1", "a2", "a3"), movements.stream().map(StockMovement::getAdjustmentId).toList());
            assertEquals(Arrays.asList(SOON, null, SOON),
                    movements.stream().map(StockMovement::getBatchExpiresAt).toList());
            assertSumToLevel(ledger, movements);
            assertEquals(List.of(11L, 11L, 0L), levels(ledger));
            assertEquals(List.of(7L, 7L, 0L), levelAt(ledger, "north", "b1"));
            assertEquals(List.of(4L, 4L, 0L), levelAt(ledger, "south", null));
            assertEquals(List.of(), ledger.deadLetters());
        }
    }

    @ParameterizedTest(name = "{0} partition(s)")
    @ValueSource(ints = {1, LedgerHarness.PARTITIONS})
    void aSkuNeverGivenALocationMovesAsItAlwaysDidWithoutAPlace(final int partitions) {
        try (LedgerHarness ledger = ledger(partitions, false)) {
            // Given 10 A, no location or batch ever named
            ledger.adjust("a1", "A", 10);

            // When an order of 3 is placed and paid
            ledger.place("o1", line("A", 3));
            ledger.pay("p1", "o1", PaymentOutcome.CAPTURED);

            // Then its movements and lines name no place, as before locations
            final List<StockMovement> movements = values(ledger.stockMovements());
            assertEquals(List.of("ADJUSTMENT -/- 10,10,0 -> null", "RESERVE -/- 0,-3,3 -> null",
                    "COMMIT -/- -3,0,-3 -> null"), described(movements));
            assertTrue(movements.stream().allMatch(m -> m.getBatchExpiresAt() == null));
            assertSumToLevel(ledger, movements);
            assertEquals(List.of(line("A", 3), line("A", 3)),
                    ledger.outcomes().stream().flatMap(o -> o.getLines().stream()).toList());
            assertEquals(List.of(), ledger.level("A").places(), "nothing stored by place");
        }
    }

    @ParameterizedTest(name = "{0} partition(s)")
    @ValueSource(ints = {1, LedgerHarness.PARTITIONS})
    void anAdjustmentTakingUnitsOutOfABatchTheLocationDoesNotHaveIsAnUnknownBatch(final int partitions) {
        try (LedgerHarness ledger = ledger(partitions, false)) {
            // Given batch b1 at north only
            ledger.adjustAt("a1", "A", 5, "north", "b1", SOON);
            ledger.stockMovements();

            // When units of b1 are written off at south
            ledger.adjustAt("a2", "A", -1, "south", "b1", null);

            // Then it is refused, naming the batch and the location
            final DeadLetter refused = onlyDeadLetter(ledger);
            assertEquals(DeadLetterCode.UNKNOWN_BATCH, refused.getCode(), refused.getMessage());
            assertEquals(EventTopic.STOCK_ADJUSTMENTS.topicName(), refused.getSourceTopic());
            assertContains(refused.getMessage(), "batch b1", "location south");
            assertEquals(List.of(), ledger.stockMovements());
            assertEquals(List.of(5L, 5L, 0L), levels(ledger));
        }
    }

    @ParameterizedTest(name = "{0} partition(s)")
    @ValueSource(ints = {1, LedgerHarness.PARTITIONS})
    void anAdjustmentAddingUnitsToABatchPastItsExpiryIsBatchExpired(final int partitions) {
        try (LedgerHarness ledger = ledger(partitions, false)) {
            // Given batch b2 at north, expiring in an hour
            ledger.adjustAt("a1", "A", 5, "north", "b2", LedgerHarness.START.plus(Duration.ofHours(1)));
            ledger.stockMovements();

            // When a new batch comes in already expired, and after two hours more units come into b2
            ledger.adjustAt("a2", "A", 3, "north", "b1", ledger.now());
            ledger.advance(Duration.ofHours(2));
            ledger.adjustAt("a3", "A", 1, "north", "b2", null);

            // Then both are refused; b2's units stay on hand until written off, which an adjustment still can
            final List<DeadLetter> deadLetters = ledger.deadLetters();
            assertEquals(List.of(DeadLetterCode.BATCH_EXPIRED, DeadLetterCode.BATCH_EXPIRED),
                    deadLetters.stream().map(DeadLetter::getCode).toList());
            assertContains(deadLetters.get(0).getMessage(), "batch b1");
            assertContains(deadLetters.get(1).getMessage(), "batch b2");
            assertEquals(List.of(5L, 5L, 0L), levels(ledger));
            ledger.adjustAt("a4", "A", -5, "north", "b2", null);
            assertEquals(List.of("ADJUSTMENT north/b2 -5,-5,0 -> 0,0,0"), described(values(ledger.stockMovements())));
            assertEquals(List.of(0L, 0L, 0L), levels(ledger));
            assertEquals(List.of(), ledger.deadLetters());
        }
    }

    @ParameterizedTest(name = "{0} partition(s)")
    @ValueSource(ints = {1, LedgerHarness.PARTITIONS})
    void anAdjustmentGivingABatchAnotherExpiryIsABatchExpiryMismatch(final int partitions) {
        try (LedgerHarness ledger = ledger(partitions, false)) {
            // Given batch b1 at north, expiring SOON
            ledger.adjustAt("a1", "A", 5, "north", "b1", SOON);
            ledger.stockMovements();

            // When more of b1 come in saying it expires LATER
            ledger.adjustAt("a2", "A", 2, "north", "b1", LATER);

            // Then it is refused, naming both expiries, and b1 keeps its own
            final DeadLetter refused = onlyDeadLetter(ledger);
            assertEquals(DeadLetterCode.BATCH_EXPIRY_MISMATCH, refused.getCode(), refused.getMessage());
            assertContains(refused.getMessage(), "batch b1", LATER.toString(), SOON.toString());
            assertEquals(List.of(), ledger.stockMovements());
            assertEquals(SOON.toEpochMilli(), ledger.level("A").storedPlace("north", "b1").expiresAt());
        }
    }

    @ParameterizedTest(name = "{0} partition(s)")
    @ValueSource(ints = {1, LedgerHarness.PARTITIONS})
    void anAdjustmentBeyondWhatItsPlaceHasExceedsAvailableNamingThePlace(final int partitions) {
        try (LedgerHarness ledger = ledger(partitions, false)) {
            // Given 3 A at north and 10 at south
            ledger.adjustAt("a1", "A", 3, "north", null, null);
            ledger.adjustAt("a2", "A", 10, "south", null, null);
            ledger.stockMovements();

            // When 5 are written off at north
            ledger.adjustAt("a3", "A", -5, "north", null, null);

            // Then it is refused, naming what north has, though the SKU has 13
            final DeadLetter refused = onlyDeadLetter(ledger);
            assertEquals(DeadLetterCode.ADJUSTMENT_EXCEEDS_AVAILABLE, refused.getCode(), refused.getMessage());
            assertContains(refused.getMessage(), "exceeds available 3 at north");
            assertEquals(List.of(), ledger.stockMovements());
            assertEquals(List.of(13L, 13L, 0L), levels(ledger));
        }
    }

    @ParameterizedTest(name = "{0} partition(s)")
    @ValueSource(ints = {1, LedgerHarness.PARTITIONS})
    void anEventNamingALocationTheLedgerDoesNotKnowIsAnUnknownLocation(final int partitions) {
        try (LedgerHarness ledger = ledger(partitions, false)) {
            // Given 5 A at north
            ledger.adjustAt("a1", "A", 5, "north", null, null);
            ledger.stockMovements();

            // When an adjustment at east, a transfer to east and an order pinned to east come
            ledger.adjustAt("a2", "A", 5, "east", null, null);
            ledger.transfer("t1", "A", 1, "north", null, "east");
            ledger.place("o1", line("A", 1, "east"));

            // Then each is refused as UNKNOWN_LOCATION, naming the locations the ledger knows
            final List<DeadLetter> deadLetters = ledger.deadLetters();
            assertEquals(List.of(DeadLetterCode.UNKNOWN_LOCATION, DeadLetterCode.UNKNOWN_LOCATION,
                    DeadLetterCode.UNKNOWN_LOCATION), deadLetters.stream().map(DeadLetter::getCode).toList());
            assertEquals(List.of(EventTopic.STOCK_ADJUSTMENTS.topicName(), EventTopic.STOCK_ADJUSTMENTS.topicName(),
                    EventTopic.ORDERS.topicName()), deadLetters.stream().map(DeadLetter::getSourceTopic).toList());
            deadLetters.forEach(d -> assertContains(d.getMessage(), "'east'", "--locations north,south,default"));
            assertEquals(List.of(), ledger.outcomes());
            assertEquals(List.of(), ledger.stockMovements());
            assertEquals(List.of(5L, 5L, 0L), levels(ledger));
        }
    }

    // --- transfers ---

    @ParameterizedTest(name = "{0} partition(s)")
    @ValueSource(ints = {1, LedgerHarness.PARTITIONS})
    void aTransferMovesUnitsOfABatchFromOneLocationToAnotherKeepingItsExpiry(final int partitions) {
        try (LedgerHarness ledger = ledger(partitions, false)) {
            // Given 6 A of batch b1 at north
            ledger.adjustAt("a1", "A", 6, "north", "b1", SOON);

            // When 4 move to south, and then 1 of them back to north
            ledger.transfer("t1", "A", 4, "north", "b1", "south");
            ledger.transfer("t2", "A", 1, "south", "b1", "north");

            // Then each is two TRANSFER movements, out of the source and into the destination; the totals stay
            final List<StockMovement> movements = values(ledger.stockMovements());
            assertEquals(List.of("ADJUSTMENT north/b1 6,6,0 -> 6,6,0",
                    "TRANSFER north/b1 -4,-4,0 -> 2,2,0", "TRANSFER south/b1 4,4,0 -> 4,4,0",
                    "TRANSFER south/b1 -1,-1,0 -> 3,3,0", "TRANSFER north/b1 1,1,0 -> 3,3,0"), described(movements));
            assertEquals(List.of("a1", "t1", "t1", "t2", "t2"),
                    movements.stream().map(StockMovement::getAdjustmentId).toList());
            assertTrue(movements.stream().allMatch(m -> SOON.equals(m.getBatchExpiresAt())), "b1 keeps its expiry");
            assertSumToLevel(ledger, movements);
            assertEquals(List.of(6L, 6L, 0L), levels(ledger));
            assertEquals(SOON.toEpochMilli(), ledger.level("A").storedPlace("south", "b1").expiresAt());
            assertEquals(List.of(), ledger.deadLetters());
        }
    }

    @ParameterizedTest(name = "{0} partition(s)")
    @ValueSource(ints = {1, LedgerHarness.PARTITIONS})
    void aTransferOfMoreThanIsAvailableAtItsSourceIsRefusedWhole(final int partitions) {
        try (LedgerHarness ledger = ledger(partitions, false)) {
            // Given 5 A at north, 2 of them locked by an order
            ledger.adjustAt("a1", "A", 5, "north", null, null);
            ledger.place("o1", line("A", 2, "north"));
            ledger.stockMovements();

            // When 4 are to move to south
            ledger.transfer("t1", "A", 4, "north", null, "south");

            // Then nothing moves
            final DeadLetter refused = onlyDeadLetter(ledger);
            assertEquals(DeadLetterCode.TRANSFER_EXCEEDS_AVAILABLE, refused.getCode(), refused.getMessage());
            assertContains(refused.getMessage(), "moves 4 from north to south, where 3 are available");
            assertEquals(List.of(), ledger.stockMovements());
            assertEquals(List.of(5L, 3L, 2L), levelAt(ledger, "north", null));
            assertEquals(List.of(0L, 0L, 0L), levelAt(ledger, "south", null));
        }
    }

    @ParameterizedTest(name = "{0} partition(s)")
    @ValueSource(ints = {1, LedgerHarness.PARTITIONS})
    void aTransferOfABatchTheSourceDoesNotHaveIsAnUnknownBatch(final int partitions) {
        try (LedgerHarness ledger = ledger(partitions, false)) {
            // Given batch b1 at north
            ledger.adjustAt("a1", "A", 5, "north", "b1", SOON);
            ledger.stockMovements();

            // When units of b1 are to move from south to north
            ledger.transfer("t1", "A", 1, "south", "b1", "north");

            // Then it is refused
            final DeadLetter refused = onlyDeadLetter(ledger);
            assertEquals(DeadLetterCode.UNKNOWN_BATCH, refused.getCode(), refused.getMessage());
            assertContains(refused.getMessage(), "transfer t1", "batch b1", "location south");
            assertEquals(List.of(), ledger.stockMovements());
        }
    }

    @ParameterizedTest(name = "{0} partition(s)")
    @ValueSource(ints = {1, LedgerHarness.PARTITIONS})
    void aTransferIntoABatchOfTheSameNameWithAnotherExpiryIsABatchExpiryMismatch(final int partitions) {
        try (LedgerHarness ledger = ledger(partitions, false)) {
            // Given batch b1 at north and, expiring later, a batch of the same name at south
            ledger.adjustAt("a1", "A", 5, "north", "b1", SOON);
            ledger.adjustAt("a2", "A", 1, "south", "b1", SOON.plus(Duration.ofDays(30)));
            ledger.stockMovements();

            // When north's b1 is to move to south
            ledger.transfer("t1", "A", 5, "north", "b1", "south");

            // Then it is refused, and nothing moves: merged, north's units would take south's expiry
            final DeadLetter refused = onlyDeadLetter(ledger);
            assertEquals(DeadLetterCode.BATCH_EXPIRY_MISMATCH, refused.getCode(), refused.getMessage());
            assertContains(refused.getMessage(), "transfer t1", "batch b1", "to south", "where batch b1 expires");
            assertEquals(List.of(), ledger.stockMovements());
        }
    }

    @ParameterizedTest(name = "{0} partition(s)")
    @ValueSource(ints = {1, LedgerHarness.PARTITIONS})
    void aTransferOfNoUnitsOrToItsOwnLocationIsAnInvalidTransfer(final int partitions) {
        try (LedgerHarness ledger = ledger(partitions, false)) {
            // Given 5 A at north
            ledger.adjustAt("a1", "A", 5, "north", null, null);
            ledger.stockMovements();

            // When transfers of 0 and of -1 units to south come, and one from north to north
            ledger.transfer("t1", "A", 0, "north", null, "south");
            ledger.transfer("t2", "A", -1, "north", null, "south");
            ledger.transfer("t3", "A", 1, "north", null, "north");

            // Then each is refused as INVALID_TRANSFER, saying what it moves
            final List<DeadLetter> deadLetters = ledger.deadLetters();
            assertEquals(List.of(DeadLetterCode.INVALID_TRANSFER, DeadLetterCode.INVALID_TRANSFER,
                    DeadLetterCode.INVALID_TRANSFER), deadLetters.stream().map(DeadLetter::getCode).toList());
            assertContains(deadLetters.get(0).getMessage(), "moves 0 from north to south");
            assertContains(deadLetters.get(1).getMessage(), "moves -1 from north to south");
            assertContains(deadLetters.get(2).getMessage(), "moves 1 from north to north");
            assertEquals(List.of(), ledger.stockMovements());
            assertEquals(List.of(5L, 5L, 0L), levelAt(ledger, "north", null));
        }
    }

    // --- allocation ---

    @ParameterizedTest(name = "{0} partition(s)")
    @ValueSource(ints = {1, LedgerHarness.PARTITIONS})
    void aReservationTakesTheFirstToExpireFirstThenUnitsOutsideAnyBatch(final int partitions) {
        try (LedgerHarness ledger = ledger(partitions, false)) {
            // Given at north: 3 of b1 expiring LATER, 2 of b2 expiring SOON, 5 outside any batch
            ledger.adjustAt("a1", "A", 3, "north", "b1", LATER);
            ledger.adjustAt("a2", "A", 2, "north", "b2", SOON);
            ledger.adjustAt("a3", "A", 5, "north", null, null);
            ledger.stockMovements();

            // When an order of 6 A is placed
            ledger.place("o1", line("A", 6));

            // Then it takes b2, then b1, then one outside a batch, and its lines say so
            final OrderOutcome reserved = onlyOutcome(ledger);
            assertEquals(OrderStatus.RESERVED, reserved.getStatus());
            assertEquals(List.of(line("A", 2, "north", "b2"), line("A", 3, "north", "b1"), line("A", 1, "north")),
                    reserved.getLines());
            assertEquals(List.of("RESERVE north/b2 0,-2,2 -> 2,0,2", "RESERVE north/b1 0,-3,3 -> 3,0,3",
                    "RESERVE north/- 0,-1,1 -> 5,4,1"), described(values(ledger.stockMovements())));
            assertEquals(List.of(10L, 4L, 6L), levels(ledger));
        }
    }

    @ParameterizedTest(name = "{0} partition(s)")
    @ValueSource(ints = {1, LedgerHarness.PARTITIONS})
    void aBatchPastItsExpiryIsNeverReserved(final int partitions) {
        try (LedgerHarness ledger = ledger(partitions, false)) {
            // Given at north 5 of b1, expiring in an hour, and 2 of b2 expiring LATER; two hours pass
            ledger.adjustAt("a1", "A", 5, "north", "b1", LedgerHarness.START.plus(Duration.ofHours(1)));
            ledger.adjustAt("a2", "A", 2, "north", "b2", LATER);
            ledger.advance(Duration.ofHours(2));
            ledger.stockMovements();

            // When an order of 3 A is placed, and then one of 2
            ledger.place("o1", line("A", 3));
            ledger.place("o2", line("A", 2));

            // Then the first is short by b1's units, the second takes b2; b1's units stay on hand and available
            final List<OrderOutcome> outcomes = ledger.outcomes();
            assertEquals(List.of(OrderStatus.REJECTED, OrderStatus.RESERVED),
                    outcomes.stream().map(OrderOutcome::getStatus).toList());
            assertEquals("insufficient stock for sku A: requested 3, available 2", outcomes.get(0).getReason());
            assertEquals(List.of(line("A", 2, "north", "b2")), outcomes.get(1).getLines());
            assertEquals(List.of("RESERVE north/b2 0,-2,2 -> 2,0,2"), described(values(ledger.stockMovements())));
            assertEquals(List.of(5L, 5L, 0L), levelAt(ledger, "north", "b1"));
            assertEquals(List.of(7L, 5L, 2L), levels(ledger));
        }
    }

    @ParameterizedTest(name = "{0} partition(s)")
    @ValueSource(ints = {1, LedgerHarness.PARTITIONS})
    void aLinePinnedToALocationTakesItsUnitsThereFirstExpiryFirst(final int partitions) {
        try (LedgerHarness ledger = ledger(partitions, false)) {
            // Given 10 A at north, and at south 2 of b1 expiring SOON and 5 outside any batch
            ledger.adjustAt("a1", "A", 10, "north", null, null);
            ledger.adjustAt("a2", "A", 2, "south", "b1", SOON);
            ledger.adjustAt("a3", "A", 5, "south", null, null);
            ledger.stockMovements();

            // When an order pins 4 A to south
            ledger.place("o1", line("A", 4, "south"));

            // Then all four come from south, b1 first, though north comes first and has them all
            final OrderOutcome reserved = onlyOutcome(ledger);
            assertEquals(OrderStatus.RESERVED, reserved.getStatus());
            assertEquals(List.of(line("A", 2, "south", "b1"), line("A", 2, "south")), reserved.getLines());
            assertEquals(List.of("RESERVE south/b1 0,-2,2 -> 2,0,2", "RESERVE south/- 0,-2,2 -> 5,3,2"),
                    described(values(ledger.stockMovements())));
            assertEquals(List.of(10L, 10L, 0L), levelAt(ledger, "north", null));
        }
    }

    @ParameterizedTest(name = "{0} partition(s)")
    @ValueSource(ints = {1, LedgerHarness.PARTITIONS})
    void aLinePinnedToALocationWithTooFewUnitsRejectsTheOrder(final int partitions) {
        try (LedgerHarness ledger = ledger(partitions, true)) {
            // Given 10 A at north and 2 at south, lines allowed to split
            ledger.adjustAt("a1", "A", 10, "north", null, null);
            ledger.adjustAt("a2", "A", 2, "south", null, null);
            ledger.stockMovements();

            // When an order pins 3 A to south
            ledger.place("o1", line("A", 3, "south"));

            // Then it is rejected, naming the location; nothing is taken elsewhere
            final OrderOutcome rejected = onlyOutcome(ledger);
            assertEquals(OrderStatus.REJECTED, rejected.getStatus());
            assertEquals("insufficient stock for sku A at location south: requested 3, available 2",
                    rejected.getReason());
            assertEquals(List.of(line("A", 3, "south")), rejected.getLines());
            assertEquals(List.of(), ledger.stockMovements());
            assertEquals(List.of(12L, 12L, 0L), levels(ledger));
        }
    }

    @ParameterizedTest(name = "{0} partition(s)")
    @ValueSource(ints = {1, LedgerHarness.PARTITIONS})
    void withoutSplitLinesALineTakesItsUnitsFromTheFirstLocationThatHasThemAll(final int partitions) {
        try (LedgerHarness ledger = ledger(partitions, false)) {
            // Given 3 A at north and 4 at south
            ledger.adjustAt("a1", "A", 3, "north", null, null);
            ledger.adjustAt("a2", "A", 4, "south", null, null);
            ledger.stockMovements();

            // When an order of 5 A is placed, and then one of 4
            ledger.place("o1", line("A", 5));
            ledger.place("o2", line("A", 4));

            // Then the first is rejected though 7 are available, the second comes from south alone
            final List<OrderOutcome> outcomes = ledger.outcomes();
            assertEquals(List.of(OrderStatus.REJECTED, OrderStatus.RESERVED),
                    outcomes.stream().map(OrderOutcome::getStatus).toList());
            assertEquals("insufficient stock for sku A: requested 5, available 7, at most 4 at one location "
                    + "(lines are not split across locations)", outcomes.get(0).getReason());
            assertEquals(List.of(line("A", 5)), outcomes.get(0).getLines());
            assertEquals(List.of(line("A", 4, "south")), outcomes.get(1).getLines());
            assertEquals(List.of("RESERVE south/- 0,-4,4 -> 4,0,4"), described(values(ledger.stockMovements())));
        }
    }

    @ParameterizedTest(name = "{0} partition(s)")
    @ValueSource(ints = {1, LedgerHarness.PARTITIONS})
    void withSplitLinesALineTakesItsUnitsFromOneLocationAfterAnother(final int partitions) {
        try (LedgerHarness ledger = ledger(partitions, true)) {
            // Given 3 A at north and 4 at south, lines allowed to split
            ledger.adjustAt("a1", "A", 3, "north", null, null);
            ledger.adjustAt("a2", "A", 4, "south", null, null);
            ledger.stockMovements();

            // When an order of 5 A is placed
            ledger.place("o1", line("A", 5));

            // Then it takes all of north, then 2 of south
            final OrderOutcome reserved = onlyOutcome(ledger);
            assertEquals(OrderStatus.RESERVED, reserved.getStatus());
            assertEquals(List.of(line("A", 3, "north"), line("A", 2, "south")), reserved.getLines());
            assertEquals(List.of("RESERVE north/- 0,-3,3 -> 3,0,3", "RESERVE south/- 0,-2,2 -> 4,2,2"),
                    described(values(ledger.stockMovements())));
            assertEquals(List.of(7L, 2L, 5L), levels(ledger));
        }
    }

    // --- what events may name ---

    @ParameterizedTest(name = "{0} partition(s)")
    @ValueSource(ints = {1, LedgerHarness.PARTITIONS})
    void anOrderLineNamingABatchOrPinningOneSkuToTwoLocationsIsInvalidLines(final int partitions) {
        try (LedgerHarness ledger = ledger(partitions, false)) {
            // Given 10 A at north and at south
            ledger.adjustAt("a1", "A", 10, "north", null, null);
            ledger.adjustAt("a2", "A", 10, "south", null, null);
            ledger.stockMovements();

            // When an order names a batch, and another pins A to north and to south
            ledger.place("o1", line("A", 1, "north", "b1"));
            ledger.place("o2", line("A", 1, "north"), line("A", 1, "south"));

            // Then both are refused and nothing is reserved
            final List<DeadLetter> deadLetters = ledger.deadLetters();
            assertEquals(List.of(DeadLetterCode.INVALID_LINES, DeadLetterCode.INVALID_LINES),
                    deadLetters.stream().map(DeadLetter::getCode).toList());
            assertContains(deadLetters.get(0).getMessage(), "names no batch", "batch b1");
            assertContains(deadLetters.get(1).getMessage(), "sku A is in two lines with different locations");
            assertEquals(List.of(), ledger.outcomes());
            assertEquals(List.of(), ledger.stockMovements());
        }
    }

    @ParameterizedTest(name = "{0} partition(s)")
    @ValueSource(ints = {1, LedgerHarness.PARTITIONS})
    void aCancellationRefundOrShipmentWhoseLinesNameAPlaceIsInvalidLines(final int partitions) {
        try (LedgerHarness ledger = ledger(partitions, false, DeductOn.SHIPMENT)) {
            // Given a paid order of 3 A from north
            ledger.adjustAt("a1", "A", 10, "north", null, null);
            ledger.place("o1", line("A", 3));
            ledger.pay("p1", "o1", PaymentOutcome.CAPTURED);
            ledger.outcomes();
            ledger.stockMovements();

            // When a cancellation, a refund and a shipment each name a location or batch in a line
            ledger.cancel("c1", "o1", "one less", line("A", 1, "north"));
            ledger.refund("r1", "o1", true, line("A", 1, null, "b1"));
            ledger.ship("s1", "o1", line("A", 1, "north"));

            // Then each is refused: the ledger knows where the order's units are
            final List<DeadLetter> deadLetters = ledger.deadLetters();
            assertEquals(List.of(DeadLetterCode.INVALID_LINES, DeadLetterCode.INVALID_LINES,
                    DeadLetterCode.INVALID_LINES), deadLetters.stream().map(DeadLetter::getCode).toList());
            assertEquals(List.of(EventTopic.CANCELLATIONS.topicName(), EventTopic.PAYMENTS.topicName(),
                    EventTopic.SHIPMENTS.topicName()), deadLetters.stream().map(DeadLetter::getSourceTopic).toList());
            deadLetters.forEach(d -> assertContains(d.getMessage(), "name no location or batch"));
            assertEquals(List.of(), ledger.outcomes());
            assertEquals(List.of(), ledger.stockMovements());
            assertEquals(List.of(10L, 7L, 3L), levelAt(ledger, "north", null));
        }
    }

    // --- an order's later steps act on exactly its places ---

    @ParameterizedTest(name = "{0} partition(s)")
    @ValueSource(ints = {1, LedgerHarness.PARTITIONS})
    void aPartialCancelAPaymentAndARefundActOnExactlyThePlacesTheOrderTook(final int partitions) {
        try (LedgerHarness ledger = ledger(partitions, true)) {
            // Given 2 A of b1 at north and 5 at south, and an order of 4 split over them
            ledger.adjustAt("a1", "A", 2, "north", "b1", SOON);
            ledger.adjustAt("a2", "A", 5, "south", null, null);
            final List<StockMovement> movements = new ArrayList<>(values(ledger.stockMovements()));
            ledger.place("o1", line("A", 4));
            final List<String> reserved = described(drain(ledger, movements));

            // When one unit is cancelled
            ledger.cancel("c1", "o1", "one less", line("A", 1));
            final List<String> cancelled = described(drain(ledger, movements));
            // and the order is paid
            ledger.pay("p1", "o1", PaymentOutcome.CAPTURED);
            final List<String> paid = described(drain(ledger, movements));
            // and one unit comes back, and then the rest
            ledger.refund("r1", "o1", true, line("A", 1));
            final List<String> refundedOne = described(drain(ledger, movements));
            ledger.refund("r2", "o1", true);
            final List<String> refundedAll = described(drain(ledger, movements));

            // Then the cancel gives back the last unit taken (south), the payment sells each place's units,
            // the first refund puts back the last unit sold (south), the second the rest where they came from
            assertEquals(List.of("RESERVE north/b1 0,-2,2 -> 2,0,2", "RESERVE south/- 0,-2,2 -> 5,3,2"), reserved);
            assertEquals(List.of("RELEASE south/- 0,1,-1 -> 5,4,1"), cancelled);
            assertSamePlaces(List.of("COMMIT north/b1 -2,0,-2 -> 0,0,0", "COMMIT south/- -1,0,-1 -> 4,4,0"), paid);
            assertEquals(List.of("REFUND south/- 1,1,0 -> 5,5,0"), refundedOne);
            assertEquals(List.of("REFUND north/b1 2,2,0 -> 2,2,0"), refundedAll);
            final List<OrderOutcome> outcomes = ledger.outcomes();
            assertEquals(List.of(OrderStatus.RESERVED, OrderStatus.AMENDED, OrderStatus.CONFIRMED,
                    OrderStatus.PARTIALLY_REFUNDED, OrderStatus.REFUNDED),
                    outcomes.stream().map(OrderOutcome::getStatus).toList());
            assertEquals(List.of(line("A", 2, "north", "b1"), line("A", 2, "south")), outcomes.get(0).getLines());
            assertEquals(List.of(line("A", 2, "north", "b1"), line("A", 1, "south")), outcomes.get(1).getLines());
            assertEquals(List.of(line("A", 2, "north", "b1"), line("A", 1, "south")), outcomes.get(2).getLines());
            assertEquals(List.of(line("A", 2, "north", "b1")), outcomes.get(3).getLines());
            assertEquals(List.of(RollbackCause.CANCELLED, RollbackCause.REFUNDED, RollbackCause.REFUNDED),
                    ledger.rollbacks().stream().map(StockRollback::getCause).toList());
            assertEquals(SOON.toEpochMilli(), ledger.level("A").storedPlace("north", "b1").expiresAt(),
                    "b1 comes back with its expiry");
            assertSumToLevel(ledger, movements);
            assertEquals(List.of(7L, 7L, 0L), levels(ledger));
            assertEquals(List.of(), ledger.deadLetters());
        }
    }

    @ParameterizedTest(name = "{0} partition(s)")
    @ValueSource(ints = {1, LedgerHarness.PARTITIONS})
    void deductingOnShipmentAShipmentTakesTheFirstToExpireAndARefundReleasesTheRestThenTakesBackTheShipped(
            final int partitions) {
        try (LedgerHarness ledger = ledger(partitions, true, DeductOn.SHIPMENT)) {
            // Given 2 A of b1 at north and 5 at south, and a paid order of 4 split over them
            ledger.adjustAt("a1", "A", 2, "north", "b1", SOON);
            ledger.adjustAt("a2", "A", 5, "south", null, null);
            ledger.place("o1", line("A", 4));
            ledger.pay("p1", "o1", PaymentOutcome.CAPTURED);
            final List<StockMovement> movements = new ArrayList<>(values(ledger.stockMovements()));

            // When 3 are shipped, and then the whole order is refunded
            ledger.ship("s1", "o1", line("A", 3));
            final List<String> shipped = described(drain(ledger, movements));
            ledger.pay("r1", "o1", PaymentOutcome.REFUNDED);
            final List<String> refunded = described(drain(ledger, movements));

            // Then the shipment takes b1's two first, then one at south; the refund releases the unshipped one at
            // south and puts the shipped ones back where they came from
            assertSamePlaces(List.of("SHIP north/b1 -2,0,-2 -> 0,0,0", "SHIP south/- -1,0,-1 -> 4,3,1"), shipped);
            assertEquals("RELEASE south/- 0,1,-1 -> 4,4,0", refunded.get(0), "the unshipped unit first: " + refunded);
            assertSamePlaces(List.of("REFUND north/b1 2,2,0 -> 2,2,0", "REFUND south/- 1,1,0 -> 5,5,0"),
                    refunded.subList(1, refunded.size()));
            assertSumToLevel(ledger, movements);
            final List<OrderOutcome> outcomes = ledger.outcomes();
            assertEquals(List.of(OrderStatus.RESERVED, OrderStatus.CONFIRMED, OrderStatus.SHIPPED,
                    OrderStatus.REFUNDED), outcomes.stream().map(OrderOutcome::getStatus).toList());
            assertEquals("still to ship: 1 x A", outcomes.get(2).getReason());
            assertEquals(List.of(1L, 3L), ledger.rollbacks().stream().map(StockRollback::getQuantity).toList());
            assertEquals(List.of(7L, 7L, 0L), levels(ledger));
            assertEquals(List.of(), ledger.deadLetters());
        }
    }

    @ParameterizedTest(name = "{0} partition(s)")
    @ValueSource(ints = {1, LedgerHarness.PARTITIONS})
    void anOrderNotPaidInTimeReleasesExactlyThePlacesItTook(final int partitions) {
        try (LedgerHarness ledger = ledger(partitions, true)) {
            // Given 2 A of b1 at north and 5 at south, and an order of 4 split over them
            ledger.adjustAt("a1", "A", 2, "north", "b1", SOON);
            ledger.adjustAt("a2", "A", 5, "south", null, null);
            ledger.place("o1", line("A", 4));
            ledger.stockMovements();

            // When its hold runs out
            ledger.advance(LedgerHarness.HOLD.plus(Duration.ofSeconds(1)));

            // Then both places get their units back
            assertEquals(OrderStatus.EXPIRED, last(ledger.outcomes()).getStatus());
            assertEquals(List.of("RELEASE north/b1 0,2,-2 -> 2,2,0", "RELEASE south/- 0,2,-2 -> 5,5,0"),
                    described(values(ledger.stockMovements())));
            assertEquals(List.of(RollbackCause.EXPIRED),
                    ledger.rollbacks().stream().map(StockRollback::getCause).toList());
            assertEquals(List.of(7L, 7L, 0L), levels(ledger));
        }
    }

    private static LedgerHarness ledger(final int partitions, final boolean splitLines) {
        return ledger(partitions, splitLines, DeductOn.PAYMENT);
    }

    private static LedgerHarness ledger(final int partitions, final boolean splitLines, final DeductOn deductOn) {
        return new LedgerHarness(LedgerHarness.config(partitions).withDeductOn(deductOn)
                .withAllocation(new AllocationPolicy(LOCATIONS, splitLines)));
    }

    /** The movements written since the last read, also added to {@code all}. */
    private static List<StockMovement> drain(final LedgerHarness ledger, final List<StockMovement> all) {
        final List<StockMovement> movements = values(ledger.stockMovements());
        all.addAll(movements);
        return movements;
    }

    /**
     * The movements of one change at the places expected, in whatever order: the README says which units a step
     * takes, not in which order one change's movements at several places come.
     */
    private static void assertSamePlaces(final List<String> expected, final List<String> actual) {
        assertEquals(expected.stream().sorted().toList(), actual.stream().sorted().toList());
    }

    private static List<StockMovement> values(final List<KeyValue<String, StockMovement>> records) {
        records.forEach(r -> assertEquals(r.value.getSku(), r.key, "keyed by sku"));
        return records.stream().map(r -> r.value).toList();
    }

    /** Each movement as {@code KIND location/batch onHand,available,locked -> place after} ({@code -} for null). */
    private static List<String> described(final List<StockMovement> movements) {
        return movements.stream().map(m -> m.getKind() + " " + orDash(m.getLocation()) + "/" + orDash(m.getBatch())
                + " " + m.getOnHandDelta() + "," + m.getAvailableDelta() + "," + m.getLockedDelta() + " -> "
                + (m.getPlaceOnHandAfter() == null ? "null" : m.getPlaceOnHandAfter() + "," + m.getPlaceAvailableAfter()
                        + "," + m.getPlaceLockedAfter())).toList();
    }

    private static String orDash(final String value) {
        return value == null ? "-" : value;
    }

    /** Every movement of A since its first, in versions counting up by one, sums to A's levels and version. */
    private static void assertSumToLevel(final LedgerHarness ledger, final List<StockMovement> movements) {
        final MovementSums sums = new MovementSums();
        movements.forEach(sums::add);
        final StockLevel level = ledger.level("A");
        assertEquals(List.of(level.onHand(), level.available(), level.locked(), level.version()), sums.of("A"));
    }

    private static List<Long> levels(final LedgerHarness ledger) {
        final StockLevel level = ledger.level("A");
        return List.of(level.onHand(), level.available(), level.locked());
    }

    /** A's on hand, available and locked at one location and batch (null: outside any batch). */
    private static List<Long> levelAt(final LedgerHarness ledger, final String location, final String batch) {
        final PlaceLevel part = ledger.level("A").partAt(new Place(location, batch, null));
        return List.of(part.onHand(), part.available(), part.locked());
    }

    private static void assertContains(final String message, final String... parts) {
        for (final String part : parts) {
            assertTrue(message.contains(part), "'" + part + "' in: " + message);
        }
    }

    private static OrderOutcome onlyOutcome(final LedgerHarness ledger) {
        final List<OrderOutcome> outcomes = ledger.outcomes();
        assertEquals(1, outcomes.size(), outcomes.toString());
        return outcomes.get(0);
    }

    private static <T> T last(final List<T> values) {
        return values.get(values.size() - 1);
    }

    private static DeadLetter onlyDeadLetter(final LedgerHarness ledger) {
        final List<DeadLetter> deadLetters = ledger.deadLetters();
        assertEquals(1, deadLetters.size(), deadLetters.toString());
        return deadLetters.get(0);
    }
}
