package io.stockline.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
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

        @Test
        void positiveDeltaAddsToOnHandAndAvailable() {
            final StockLevel next = level().adjust(5, LATER);

            assertLevel(next, 15, 11, 4, 4, LATER);
        }

        @Test
        void negativeDeltaDownToExactlyZeroAvailableIsAllowed() {
            assertTrue(level().canAdjust(-6));

            final StockLevel next = level().adjust(-6, LATER);

            assertLevel(next, 4, 0, 4, 4, LATER);
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
        void zeroDeltaIsAllowedAndOnlyBumpsTheVersion() {
            final StockLevel next = level().adjust(0, LATER);

            assertLevel(next, 10, 6, 4, 4, LATER);
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

    @Nested
    class Commit {

        @Test
        void takesQuantityOutOfLockedAndOnHand() {
            assertLevel(level().commit(3, LATER), 7, 6, 1, 4, LATER);
        }

        @Test
        void exactlyAllLockedIsAllowed() {
            assertLevel(level().commit(4, LATER), 6, 6, 0, 4, LATER);
        }

        @Test
        void moreThanLockedIsABug() {
            assertThrows(IllegalStateException.class, () -> level().commit(5, LATER));
        }

        @ParameterizedTest
        @ValueSource(longs = {0, -1, Long.MIN_VALUE})
        void nonPositiveQuantityIsABug(final long quantity) {
            assertThrows(IllegalStateException.class, () -> level().commit(quantity, LATER));
        }
    }

    @Nested
    class Release {

        @Test
        void movesQuantityFromLockedBackToAvailable() {
            assertLevel(level().release(3, LATER), 10, 9, 1, 4, LATER);
        }

        @Test
        void exactlyAllLockedIsAllowed() {
            assertLevel(level().release(4, LATER), 10, 10, 0, 4, LATER);
        }

        @Test
        void moreThanLockedIsABug() {
            assertThrows(IllegalStateException.class, () -> level().release(5, LATER));
        }

        @ParameterizedTest
        @ValueSource(longs = {0, -1, Long.MIN_VALUE})
        void nonPositiveQuantityIsABug(final long quantity) {
            assertThrows(IllegalStateException.class, () -> level().release(quantity, LATER));
        }
    }

    @Nested
    class Refund {

        @Test
        void addsQuantityToOnHandAndAvailable() {
            assertLevel(level().refund(3, LATER), 13, 9, 4, 4, LATER);
        }

        @Test
        void overflowIsABug() {
            final StockLevel full = new StockLevel(SKU, Long.MAX_VALUE, Long.MAX_VALUE - 1, 1, 0, 0);

            assertThrows(IllegalStateException.class, () -> full.refund(1, LATER));
        }

        @ParameterizedTest
        @ValueSource(longs = {0, -1, Long.MIN_VALUE})
        void nonPositiveQuantityIsABug(final long quantity) {
            assertThrows(IllegalStateException.class, () -> level().refund(quantity, LATER));
        }
    }

    @Test
    void refusalNamesTheSku() {
        final IllegalStateException refusal = assertThrows(IllegalStateException.class,
                () -> level().commit(99, LATER));

        assertTrue(refusal.getMessage().contains(SKU), refusal.getMessage());
    }
}
