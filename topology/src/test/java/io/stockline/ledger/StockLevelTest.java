package io.stockline.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The arithmetic of one SKU's level, operation by operation, at its boundaries. */
class StockLevelTest {

    private static final String SKU = "sku-1";
    private static final long AT = 1_000L;
    private static final long LATER = 2_000L;

    /** onHand 10 = available 6 + locked 4, version 3. */
    private static StockLevel level() {
        return new StockLevel(SKU, 10, 6, 4, 3, AT);
    }

    private static void assertLevel(final StockLevel actual, final long onHand, final long available,
                                    final long locked, final long version, final long updatedAt) {
        assertEquals(new StockLevel(SKU, onHand, available, locked, version, updatedAt), actual);
        assertTrue(actual.invariantsHold(), () -> "invariants broken: " + actual);
    }

    @Test
    void emptyLevelHasNothingAndHoldsInvariants() {
        final StockLevel empty = StockLevel.empty(SKU);

        assertLevel(empty, 0, 0, 0, 0, 0);
    }

    @Nested
    class Invariants {

        @Test
        void holdWhenAvailablePlusLockedIsOnHand() {
            assertTrue(level().invariantsHold());
        }

        @Test
        void breakWhenAvailablePlusLockedIsNotOnHand() {
            assertFalse(new StockLevel(SKU, 10, 6, 5, 0, 0).invariantsHold());
        }

        @Test
        void breakWhenAvailableIsNegative() {
            assertFalse(new StockLevel(SKU, 0, -1, 1, 0, 0).invariantsHold());
        }

        @Test
        void breakWhenLockedIsNegative() {
            assertFalse(new StockLevel(SKU, 0, 1, -1, 0, 0).invariantsHold());
        }
    }

    @Nested
    class Adjust {

        @ParameterizedTest(name = "{0}: on hand {1}, available {2}")
        @CsvSource({
            "5, 15, 11",  // a positive delta adds to on hand and available
            "-6, 4, 0",   // a negative one may take available down to exactly zero
            "0, 10, 6"})  // zero is allowed and only bumps the version
        void allowedDeltaChangesOnHandAndAvailableAlike(final long delta, final long onHand, final long available) {
            assertTrue(level().canAdjust(delta));

            final StockLevel next = level().adjust(delta, LATER);

            assertLevel(next, onHand, available, 4, 4, LATER);
        }

        @Test
        void negativeDeltaOneBeyondAvailableIsRefused() {
            final StockLevel given = level();

            assertFalse(given.canAdjust(-7));
            assertThrows(IllegalStateException.class, () -> given.adjust(-7, LATER));
            assertEquals(level(), given);
        }

        @Test
        void negativeDeltaCannotTakeLockedUnitsEvenThoughOnHandWouldStayPositive() {
            assertFalse(level().canAdjust(-8));
        }

        @Test
        void deltaOverflowingAvailableIsRefused() {
            final StockLevel full = new StockLevel(SKU, Long.MAX_VALUE, Long.MAX_VALUE, 0, 0, 0);

            assertFalse(full.canAdjust(1));
            assertThrows(IllegalStateException.class, () -> full.adjust(1, LATER));
        }

        @Test
        void deltaOverflowingOnHandButNotAvailableIsRefused() {
            final StockLevel nearlyFull = new StockLevel(SKU, Long.MAX_VALUE, Long.MAX_VALUE - 10, 10, 0, 0);

            assertFalse(nearlyFull.canAdjust(5));
        }

        @Test
        void deltaUpToExactlyLongMaxIsAllowed() {
            final StockLevel next = StockLevel.empty(SKU).adjust(Long.MAX_VALUE, LATER);

            assertEquals(Long.MAX_VALUE, next.onHand());
            assertEquals(Long.MAX_VALUE, next.available());
            assertTrue(next.invariantsHold());
        }

        @Test
        void longMinDeltaIsRefusedWithoutOverflowing() {
            assertFalse(level().canAdjust(Long.MIN_VALUE));
            assertFalse(StockLevel.empty(SKU).canAdjust(Long.MIN_VALUE));
        }
    }

    @Nested
    class Reserve {

        @Test
        void movesQuantityFromAvailableToLocked() {
            final StockLevel next = level().reserve(2, LATER);

            assertLevel(next, 10, 4, 6, 4, LATER);
        }

        @Test
        void exactlyAvailableFits() {
            assertTrue(level().canReserve(6));

            assertLevel(level().reserve(6, LATER), 10, 0, 10, 4, LATER);
        }

        @Test
        void oneMoreThanAvailableDoesNotFit() {
            assertFalse(level().canReserve(7));
            assertThrows(IllegalStateException.class, () -> level().reserve(7, LATER));
        }

        @ParameterizedTest
        @ValueSource(longs = {0, -1, Long.MIN_VALUE})
        void nonPositiveQuantityDoesNotFit(final long quantity) {
            assertFalse(level().canReserve(quantity));
            assertThrows(IllegalStateException.class, () -> level().reserve(quantity, LATER));
        }

        @Test
        void nothingFitsAnEmptyLevel() {
            assertFalse(StockLevel.empty(SKU).canReserve(1));
        }
    }

    /** Commit, release and refund: each moves a quantity between locked, available and on hand. */
    @Nested
    class CommitReleaseAndRefund {

        @ParameterizedTest(name = "{0} {1}: on hand {2}, available {3}, locked {4}")
        @CsvSource({
            "commit, 3, 7, 6, 1",     // takes the quantity out of locked and on hand
            "commit, 4, 6, 6, 0",     // exactly all that is locked
            "release, 3, 10, 9, 1",   // moves it from locked back to available
            "release, 4, 10, 10, 0",  // exactly all that is locked
            "refund, 3, 13, 9, 4"})   // adds it to on hand and available
        void movesTheQuantityAndBumpsTheVersion(final String move, final long quantity, final long onHand,
                                                final long available, final long locked) {
            assertLevel(move(move, level(), quantity), onHand, available, locked, 4, LATER);
        }

        @ParameterizedTest
        @ValueSource(strings = {"commit", "release"})
        void moreThanLockedIsABug(final String move) {
            assertThrows(IllegalStateException.class, () -> move(move, level(), 5));
        }

        @ParameterizedTest(name = "{0} {1}")
        @CsvSource({"commit, 0", "commit, -1", "commit, " + Long.MIN_VALUE,
            "release, 0", "release, -1", "release, " + Long.MIN_VALUE,
            "refund, 0", "refund, -1", "refund, " + Long.MIN_VALUE})
        void nonPositiveQuantityIsABug(final String move, final long quantity) {
            assertThrows(IllegalStateException.class, () -> move(move, level(), quantity));
        }

        @Test
        void refundOverflowIsABug() {
            final StockLevel full = new StockLevel(SKU, Long.MAX_VALUE, Long.MAX_VALUE - 1, 1, 0, 0);

            assertThrows(IllegalStateException.class, () -> full.refund(1, LATER));
        }

        private static StockLevel move(final String move, final StockLevel level, final long quantity) {
            return switch (move) {
                case "commit" -> level.commit(quantity, LATER);
                case "release" -> level.release(quantity, LATER);
                case "refund" -> level.refund(quantity, LATER);
                default -> throw new IllegalArgumentException(move);
            };
        }
    }

    @Test
    void refusalNamesTheSku() {
        final IllegalStateException refusal = assertThrows(IllegalStateException.class,
                () -> level().commit(99, LATER));

        assertTrue(refusal.getMessage().contains(SKU), refusal.getMessage());
    }
}
