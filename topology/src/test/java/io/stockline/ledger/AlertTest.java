package io.stockline.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stockline.ledger.StockCommand.Adjust;
import io.stockline.ledger.StockCommand.Commit;
import io.stockline.ledger.StockCommand.Refund;
import io.stockline.ledger.StockCommand.Release;
import io.stockline.ledger.StockCommand.Reserve;
import io.stockline.schemas.EventTopic;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which changes of a SKU's available stock (and threshold) cross something, and what each crossing raises. */
class AlertTest {

    private static final String SKU = "sku-1";
    private static final String ORDER = "order-1";
    private static final long NOW = 5_000L;
    private static final Origin ORIGIN = new Origin(EventTopic.STOCK_ADJUSTMENTS.topicName(), 0, 1L, SKU, null);

    /** A level with {@code available} units, none locked, and this threshold (null: none). */
    private static StockLevel level(final long available, final Long threshold) {
        return new StockLevel(SKU, available, available, 0, 1, 1_000L, threshold);
    }

    private static Adjust adjust(final long delta, final Long threshold) {
        return new Adjust("adj-1", SKU, delta, "recount", 900L, ORIGIN, threshold);
    }

    private static List<AlertKind> kinds(final List<Alert> alerts) {
        return alerts.stream().map(Alert::kind).toList();
    }

    /** available before, threshold before, available after, threshold after, the alerts in order. */
    static Stream<Arguments> changes() {
        return Stream.of(
                Arguments.of("last units go", 5L, null, 0L, null, List.of(AlertKind.SOLD_OUT)),
                Arguments.of("first units come", 0L, null, 3L, null, List.of(AlertKind.BACK_IN_STOCK)),
                Arguments.of("fewer, still some, no threshold", 5L, null, 3L, null, List.of()),
                Arguments.of("more, no threshold", 5L, null, 8L, null, List.of()),
                Arguments.of("none stays none", 0L, 5L, 0L, 5L, List.of()),
                Arguments.of("down to exactly the threshold", 10L, 5L, 5L, 5L, List.of(AlertKind.LOW_STOCK)),
                Arguments.of("down past the threshold", 10L, 5L, 2L, 5L, List.of(AlertKind.LOW_STOCK)),
                Arguments.of("down, still above the threshold", 10L, 5L, 6L, 5L, List.of()),
                Arguments.of("further down while low", 5L, 5L, 4L, 5L, List.of()),
                Arguments.of("low to none", 3L, 5L, 0L, 5L, List.of(AlertKind.SOLD_OUT)),
                Arguments.of("above the threshold to none", 10L, 5L, 0L, 5L, List.of(AlertKind.SOLD_OUT)),
                Arguments.of("none to at or below the threshold", 0L, 5L, 3L, 5L,
                        List.of(AlertKind.BACK_IN_STOCK, AlertKind.LOW_STOCK)),
                Arguments.of("none to exactly the threshold", 0L, 5L, 5L, 5L,
                        List.of(AlertKind.BACK_IN_STOCK, AlertKind.LOW_STOCK)),
                Arguments.of("none to past the threshold", 0L, 5L, 6L, 5L, List.of(AlertKind.BACK_IN_STOCK)),
                Arguments.of("low back above the threshold", 3L, 5L, 8L, 5L, List.of()),
                Arguments.of("low, up but still low", 3L, 5L, 4L, 5L, List.of()),
                Arguments.of("a threshold set above the level", 3L, null, 3L, 5L, List.of(AlertKind.LOW_STOCK)),
                Arguments.of("a threshold set at the level", 3L, null, 3L, 3L, List.of(AlertKind.LOW_STOCK)),
                Arguments.of("a threshold set below the level", 8L, null, 8L, 5L, List.of()),
                Arguments.of("a threshold raised above the level", 3L, 2L, 3L, 5L, List.of(AlertKind.LOW_STOCK)),
                Arguments.of("a threshold changed, still at or above the level", 3L, 5L, 3L, 3L, List.of()),
                Arguments.of("a threshold lowered below the level", 3L, 5L, 3L, 2L, List.of()),
                Arguments.of("a threshold set on a sold-out SKU", 0L, null, 0L, 5L, List.of()),
                Arguments.of("a threshold of 0 is never reached", 1L, null, 1L, 0L, List.of()),
                Arguments.of("a threshold of 0 switches low stock off", 3L, 5L, 3L, 0L, List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("changes")
    void aChangeRaisesAnAlertForEachThingItCrossesAndNoneOtherwise(final String change, final long availableBefore,
                                                                    final Long thresholdBefore,
                                                                    final long availableAfter,
                                                                    final Long thresholdAfter,
                                                                    final List<AlertKind> expected) {
        final StockLevel after = new StockLevel(SKU, availableAfter, availableAfter, 0, 2, NOW, thresholdAfter);

        final List<Alert> alerts = Alert.between(level(availableBefore, thresholdBefore), after);

        assertEquals(expected, kinds(alerts));
        alerts.forEach(alert -> assertEquals(new Alert(SKU, alert.kind(), availableAfter, thresholdAfter, NOW),
                alert));
    }

    @Nested
    class FromTheStockMachine {

        @Test
        void anAdjustmentOfZeroThatSetsOnlyTheThresholdIsAChangeOfNothingButTheThresholdAndVersion() {
            final StockStep step = StockMachine.apply(level(3, null), adjust(0, 5L), false, NOW);

            assertTrue(step.changed());
            assertEquals(new StockLevel(SKU, 3, 3, 0, 2, NOW, 5L), step.level());
            assertEquals(MovementKind.ADJUSTMENT, step.movement().kind());
            assertEquals(List.of(0L, 0L, 0L), List.of(step.movement().onHandDelta(),
                    step.movement().availableDelta(), step.movement().lockedDelta()));
            assertEquals(List.of(new Alert(SKU, AlertKind.LOW_STOCK, 3, 5L, NOW)), step.alerts());
        }

        @Test
        void anAdjustmentWithoutAThresholdKeepsTheOneSet() {
            final StockStep step = StockMachine.apply(level(10, 5L), adjust(-6, null), false, NOW);

            assertEquals(5L, step.level().lowStockThreshold());
            assertEquals(List.of(new Alert(SKU, AlertKind.LOW_STOCK, 4, 5L, NOW)), step.alerts());
        }

        @Test
        void everyOtherChangeKeepsTheThreshold() {
            final StockLevel locked = new StockLevel(SKU, 10, 6, 4, 1, 1_000L, 7L);
            for (final StockCommand command : List.of(new Reserve(ORDER, SKU, 1), new Commit(ORDER, SKU, 1),
                    new Release(ORDER, SKU, 1, ReleaseCause.EXPIRED), new Refund(ORDER, SKU, 1))) {
                assertEquals(7L, StockMachine.apply(locked, command, false, NOW).level().lowStockThreshold(),
                        command.toString());
            }
        }

        @Test
        void aReserveOfTheLastUnitsIsSoldOutAndTheirReleaseBackInStock() {
            final StockStep reserved = StockMachine.apply(level(2, null), new Reserve(ORDER, SKU, 2), false, NOW);
            final StockStep released = StockMachine.apply(reserved.level(),
                    new Release(ORDER, SKU, 2, ReleaseCause.EXPIRED), false, NOW);

            assertEquals(List.of(new Alert(SKU, AlertKind.SOLD_OUT, 0, null, NOW)), reserved.alerts());
            assertEquals(List.of(new Alert(SKU, AlertKind.BACK_IN_STOCK, 2, null, NOW)), released.alerts());
        }

        @Test
        void aRefundOfASoldOutSkuIsBackInStockAndACommitNeverCrosses() {
            final StockLevel soldOutButLocked = new StockLevel(SKU, 2, 0, 2, 1, 1_000L, 5L);

            final StockStep committed = StockMachine.apply(soldOutButLocked, new Commit(ORDER, SKU, 2), false, NOW);
            final StockStep refunded = StockMachine.apply(committed.level(), new Refund(ORDER, SKU, 1), false, NOW);

            assertEquals(List.of(), committed.alerts(), "a commit leaves available as it is");
            assertEquals(List.of(AlertKind.BACK_IN_STOCK, AlertKind.LOW_STOCK), kinds(refunded.alerts()));
        }

        @Test
        void theFirstStockOfASkuTheLedgerHasNeverSeenIsBackInStock() {
            final StockStep step = StockMachine.apply(null, adjust(4, null), false, NOW);

            assertEquals(List.of(new Alert(SKU, AlertKind.BACK_IN_STOCK, 4, null, NOW)), step.alerts());
        }

        @Test
        void whatChangesNothingRaisesNothing() {
            final StockLevel low = level(3, 5L);

            final StockStep refused = StockMachine.apply(low, adjust(-4, 1L), false, NOW);
            final StockStep redelivered = StockMachine.apply(low, adjust(-3, 1L), true, NOW);
            final StockStep shortReserve = StockMachine.apply(low, new Reserve(ORDER, SKU, 4), false, NOW);

            for (final StockStep step : List.of(refused, redelivered, shortReserve)) {
                assertFalse(step.changed());
                assertEquals(List.of(), step.alerts());
                assertEquals(5L, step.level().lowStockThreshold(), "a refused threshold is not set");
            }
        }
    }
}
