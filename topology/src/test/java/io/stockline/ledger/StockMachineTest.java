package io.stockline.ledger;

import io.stockline.schemas.EventTopic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.stockline.ledger.OrderCommand.LineResult;
import io.stockline.ledger.StockCommand.Adjust;
import io.stockline.ledger.StockCommand.Commit;
import io.stockline.ledger.StockCommand.Refund;
import io.stockline.ledger.StockCommand.Release;
import io.stockline.ledger.StockCommand.Reserve;
import io.stockline.ledger.StockCommand.Ship;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The stock side's rules, command by command, and over many random command sequences. */
class StockMachineTest {

    private static final String SKU = "sku-1";
    private static final String ORDER = "order-1";
    private static final long NOW = 5_000L;
    private static final long PLACED_AT = 4_000L;
    private static final Origin ORIGIN = new Origin(EventTopic.STOCK_ADJUSTMENTS.topicName(), 2, 42L, SKU, new byte[] {1, 2, 3});

    /** onHand 10 = available 6 + locked 4, version 3. */
    private static StockLevel level() {
        return new StockLevel(SKU, 10, 6, 4, 3, 1_000L);
    }

    private static Adjust adjust(final long delta) {
        return new Adjust("adj-1", SKU, delta, "recount", 900L, ORIGIN);
    }

    private static void assertChangedTo(final StockStep step, final long onHand, final long available,
                                        final long locked, final long version) {
        assertTrue(step.changed(), "changed");
        assertEquals(new StockLevel(SKU, onHand, available, locked, version, NOW), step.level());
        assertTrue(step.level().invariantsHold());
        assertNull(step.rejection());
    }

    private static void assertNothingChanged(final StockLevel given, final StockStep step) {
        assertFalse(step.changed(), "changed");
        assertSame(given, step.level());
        assertNothingSent(step);
    }

    private static void assertNothingSent(final StockStep step) {
        assertNull(step.reply());
        assertNull(step.rollback());
    }

    /** Applies {@code command} to {@link #level()}, checking that it leaves that very level in place. */
    private static StockStep leavesTheLevel(final StockCommand command, final boolean redelivered) {
        final StockLevel given = level();
        final StockStep step = StockMachine.apply(given, command, redelivered, NOW);
        assertFalse(step.changed(), "changed");
        assertSame(given, step.level());
        return step;
    }

    @Nested
    class Adjustment {

        @Test
        void addsDeltaToOnHandAndAvailableAndStampsNow() {
            final StockStep step = StockMachine.apply(level(), adjust(5), false, NOW);

            assertChangedTo(step, 15, 11, 4, 4);
            assertNull(step.reply());
            assertNull(step.rollback());
        }

        @Test
        void downToExactlyZeroAvailableIsAccepted() {
            final StockStep step = StockMachine.apply(level(), adjust(-6), false, NOW);

            assertChangedTo(step, 4, 0, 4, 4);
        }

        @ParameterizedTest
        @ValueSource(longs = {-7, Long.MIN_VALUE})
        void adjustmentBelowZeroIsRefusedAndChangesNothing(final long delta) {
            final StockStep step = leavesTheLevel(adjust(delta), false);

            assertNothingSent(step);
            assertEquals(RejectCode.ADJUSTMENT_EXCEEDS_AVAILABLE, step.rejection().code());
            assertSame(ORIGIN, step.rejection().origin());
            assertTrue(step.rejection().message().contains("adj-1"), step.rejection().message());
        }

        @Test
        void adjustmentThatWouldOverflowIsRefused() {
            final StockLevel given = new StockLevel(SKU, Long.MAX_VALUE, Long.MAX_VALUE - 1, 1, 7, 0);

            final StockStep step = StockMachine.apply(given, adjust(1), false, NOW);

            assertNothingChanged(given, step);
            assertEquals(RejectCode.ADJUSTMENT_EXCEEDS_AVAILABLE, step.rejection().code());
        }

        @Test
        void firstAdjustmentOfAnUnknownSkuStartsFromZero() {
            final StockStep step = StockMachine.apply(null, adjust(8), false, NOW);

            assertChangedTo(step, 8, 8, 0, 1);
        }

        @Test
        void negativeFirstAdjustmentOfAnUnknownSkuIsRefusedAndStoresNothing() {
            final StockStep step = StockMachine.apply(null, adjust(-1), false, NOW);

            assertFalse(step.changed());
            assertEquals(StockLevel.empty(SKU), step.level());
            assertEquals(RejectCode.ADJUSTMENT_EXCEEDS_AVAILABLE, step.rejection().code());
        }

        /** -100 would be refused: a redelivery is not refused again either. */
        @ParameterizedTest
        @ValueSource(longs = {5, -100})
        void redeliveredAdjustmentChangesNothingAndIsNotRefusedAgain(final long delta) {
            final StockStep step = leavesTheLevel(adjust(delta), true);

            assertNothingSent(step);
            assertNull(step.rejection());
        }
    }

    @Nested
    class Reservation {

        @Test
        void fittingReserveLocksAndRepliesReserved() {
            final StockStep step = StockMachine.apply(level(), new Reserve(ORDER, SKU, 2), false, NOW);

            assertChangedTo(step, 10, 4, 6, 4);
            assertEquals(new LineResult(ORDER, SKU, 2, true, 6), step.reply());
            assertNull(step.rollback());
        }

        @Test
        void reserveOfExactlyAvailableFits() {
            final StockStep step = StockMachine.apply(level(), new Reserve(ORDER, SKU, 6), false, NOW);

            assertChangedTo(step, 10, 0, 10, 4);
            assertEquals(new LineResult(ORDER, SKU, 6, true, 6), step.reply());
        }

        @Test
        void reserveOfOneMoreThanAvailableChangesNothingAndRepliesShortWithAvailableSeen() {
            final StockStep step = leavesTheLevel(new Reserve(ORDER, SKU, 7), false);

            assertEquals(new LineResult(ORDER, SKU, 7, false, 6), step.reply());
            assertNull(step.rollback());
            assertNull(step.rejection());
        }

        @Test
        void aMultiLineOrdersReservePublishesNoDecision() {
            final StockStep step = StockMachine.apply(level(), new Reserve(ORDER, SKU, 2), false, NOW);

            assertNull(step.outcome());
            assertFalse(step.reply().decisionPublished());
        }

        @Test
        void aOneLineOrderThatFitsIsReservedByTheStockSideItself() {
            final StockStep step = StockMachine.apply(level(),
                    new Reserve(ORDER, SKU, 2, new StockCommand.SoleLine(PLACED_AT, 9_000L)), false, NOW);

            assertChangedTo(step, 10, 4, 6, 4);
            assertEquals(new Outcome(ORDER, OrderStatus.RESERVED, null, java.util.List.of(new Line(SKU, 2)),
                    PLACED_AT, 9_000L, NOW), step.outcome());
            assertEquals(new LineResult(ORDER, SKU, 2, true, 6, true), step.reply());
        }

        @Test
        void aOneLineOrderThatDoesNotFitIsRejectedByTheStockSideNamingTheShortage() {
            final StockStep step = leavesTheLevel(
                    new Reserve(ORDER, SKU, 7, new StockCommand.SoleLine(PLACED_AT, 9_000L)), false);

            assertEquals(new Outcome(ORDER, OrderStatus.REJECTED,
                    "insufficient stock for sku sku-1: requested 7, available 6", java.util.List.of(new Line(SKU, 7)),
                    PLACED_AT, null, NOW), step.outcome());
            assertEquals(new LineResult(ORDER, SKU, 7, false, 6, true), step.reply());
        }

        @Test
        void reserveOnUnknownSkuRepliesShortWithNothingAvailable() {
            final StockStep step = StockMachine.apply(null, new Reserve(ORDER, SKU, 1), false, NOW);

            assertFalse(step.changed());
            assertEquals(new LineResult(ORDER, SKU, 1, false, 0), step.reply());
        }

        /**
         * The spec's "fits iff available >= q" would let q = 0 fit; the ledger refuses non-positive
         * quantities instead (the contract rules already refuse such order lines upstream).
         */
        @Test
        void zeroReserveIsRepliedShortAndChangesNothing() {
            final StockStep step = leavesTheLevel(new Reserve(ORDER, SKU, 0), false);

            assertFalse(step.reply().reserved());
        }

        @Test
        void negativeReserveCannotCreateStock() {
            final StockStep step = leavesTheLevel(new Reserve(ORDER, SKU, -3), false);

            assertFalse(step.reply().reserved());
        }
    }

    /**
     * Commit, release and refund of an order's units on {@link #level()}: the new level, no reply, and the
     * rollback that a release or a refund publishes with its deterministic id.
     */
    static Stream<Arguments> settlements() {
        final List<Arguments> rows = new ArrayList<>();
        rows.add(Arguments.of("commit takes the units out of locked and on hand", new Commit(ORDER, SKU, 4),
                new StockLevel(SKU, 6, 6, 0, 4, NOW), null));
        for (final ReleaseCause cause : ReleaseCause.values()) {
            if (cause != ReleaseCause.REFUNDED) {
                rows.add(Arguments.of("release (" + cause + ") unlocks and publishes one rollback",
                        new Release(ORDER, SKU, 3, cause), new StockLevel(SKU, 10, 9, 1, 4, NOW),
                        new Rollback(Rollback.idFor(ORDER, SKU, cause), ORDER, SKU, 3, cause, NOW)));
            }
        }
        rows.add(Arguments.of("ship takes the allocated units out of locked and on hand, and publishes no rollback",
                new Ship(ORDER, SKU, 4, "ship-1"), new StockLevel(SKU, 6, 6, 0, 4, NOW), null));
        rows.add(Arguments.of("a refund's release of unshipped units unlocks them and publishes a REFUNDED rollback",
                new Release(ORDER, SKU, 3, ReleaseCause.REFUNDED), new StockLevel(SKU, 10, 9, 1, 4, NOW),
                new Rollback(Rollback.idFor(ORDER, SKU, ReleaseCause.REFUNDED, "unshipped"), ORDER, SKU, 3,
                        ReleaseCause.REFUNDED, NOW)));
        rows.add(Arguments.of("refund puts the units back on hand and publishes a REFUNDED rollback",
                new Refund(ORDER, SKU, 3), new StockLevel(SKU, 13, 9, 4, 4, NOW),
                new Rollback(Rollback.idFor(ORDER, SKU, ReleaseCause.REFUNDED), ORDER, SKU, 3,
                        ReleaseCause.REFUNDED, NOW)));
        return rows.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("settlements")
    void settlementChangesTheLevelAndRepliesNothing(final String rule, final StockCommand command,
                                                   final StockLevel expected, final Rollback rollback) {
        final StockStep step = StockMachine.apply(level(), command, false, NOW);

        assertChangedTo(step, expected.onHand(), expected.available(), expected.locked(), expected.version());
        assertNull(step.reply());
        assertEquals(rollback, step.rollback());
    }

    @Test
    void refundOfSkuTheLedgerForgotStartsFromZero() {
        final StockStep step = StockMachine.apply(null, new Refund(ORDER, SKU, 3), false, NOW);

        assertChangedTo(step, 3, 3, 0, 1);
    }

    /** Commands the ledger's own order side cannot send: applying one is a bug, not a refusal. */
    static Stream<Arguments> bugs() {
        final StockLevel full = new StockLevel(SKU, Long.MAX_VALUE, Long.MAX_VALUE, 0, 0, 0);
        return Stream.of(
                Arguments.of("commit of more than locked", level(), new Commit(ORDER, SKU, 5)),
                Arguments.of("commit on an unknown SKU", null, new Commit(ORDER, SKU, 1)),
                Arguments.of("ship of more than locked", level(), new Ship(ORDER, SKU, 5, "ship-1")),
                Arguments.of("ship on an unknown SKU", null, new Ship(ORDER, SKU, 1, "ship-1")),
                Arguments.of("release of more than locked", level(),
                        new Release(ORDER, SKU, 5, ReleaseCause.CANCELLED)),
                Arguments.of("release on an unknown SKU", null, new Release(ORDER, SKU, 1, ReleaseCause.EXPIRED)),
                Arguments.of("refund that would overflow", full, new Refund(ORDER, SKU, 1)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bugs")
    void commandThatCannotBeSentIsABug(final String what, final StockLevel given, final StockCommand command) {
        assertThrows(IllegalStateException.class, () -> StockMachine.apply(given, command, false, NOW));
    }

    /**
     * Many random command sequences against an independent model of the spec: each allowed change does
     * what the spec says and keeps the invariants; each refused one leaves the level as it was.
     */
    @Nested
    class RandomSequences {

        private static final long SEED = 0x5EEDL;
        private static final int SEQUENCES = 500;
        private static final int STEPS = 200;

        @Test
        void invariantsHoldAndRefusalsChangeNothingOverRandomSequences() {
            System.out.println("StockMachineTest random sequences: seed=" + SEED);
            final Random random = new Random(SEED);
            long refusals = 0;
            long bugs = 0;
            for (int sequence = 0; sequence < SEQUENCES; sequence++) {
                final long sequenceSeed = random.nextLong();
                final int[] counted = runSequence(sequenceSeed);
                refusals += counted[0];
                bugs += counted[1];
            }
            System.out.println("  refused adjustments/short reserves=" + refusals + ", bug commands=" + bugs);
            assertTrue(refusals > 0 && bugs > 0, "the random walk must visit refusals and bugs too");
        }

        /** @return {refused or short, thrown} */
        private int[] runSequence(final long seed) {
            final Random random = new Random(seed);
            StockLevel level = random.nextInt(10) == 0
                    ? new StockLevel(SKU, Long.MAX_VALUE - 5, Long.MAX_VALUE - 20, 15, 0, 0) : null;
            int refused = 0;
            int thrown = 0;
            for (int step = 0; step < STEPS; step++) {
                final StockLevel before = level == null ? StockLevel.empty(SKU) : level;
                final long now = NOW + step;
                final StockCommand command = randomCommand(random, before);
                final boolean redelivered = random.nextInt(10) == 0;
                final String context = "seed=" + seed + " step=" + step + " before=" + before + " command="
                        + command + " redelivered=" + redelivered;
                final Expected expected = expect(before, command, redelivered);
                if (expected == null) {
                    final StockLevel stored = level;
                    assertThrows(IllegalStateException.class,
                            () -> StockMachine.apply(stored, command, redelivered, now), context);
                    thrown++;
                    continue;
                }
                final StockStep result = StockMachine.apply(level, command, redelivered, now);
                assertTrue(result.level().invariantsHold(), context + " -> " + result.level());
                if (expected.changes) {
                    assertTrue(result.changed(), context);
                    assertEquals(new StockLevel(SKU, expected.onHand, expected.available, expected.locked,
                            before.version() + 1, now), result.level(), context);
                    level = result.level();
                } else {
                    assertFalse(result.changed(), context);
                    assertEquals(before, result.level(), context);
                    if (level != null) {
                        assertSame(level, result.level(), context);
                    }
                    refused++;
                }
                assertEquals(expected.rejected, result.rejection() != null, context);
                if (command instanceof Reserve reserve) {
                    assertEquals(new LineResult(ORDER, SKU, reserve.quantity(), expected.changes,
                            before.available()), result.reply(), context);
                }
            }
            return new int[] {refused, thrown};
        }

        private StockCommand randomCommand(final Random random, final StockLevel level) {
            final long available = level.available();
            final long locked = level.locked();
            return switch (random.nextInt(6)) {
                case 0 -> new Adjust("adj", SKU, random.nextInt(30) - 10, "r", 0, ORIGIN);
                case 1 -> new Adjust("adj", SKU, -available - random.nextInt(3) + 1, "r", 0, ORIGIN);
                case 2 -> new Reserve(ORDER, SKU, 1 + bounded(random, available + 2));
                case 3 -> random.nextBoolean() ? new Commit(ORDER, SKU, 1 + bounded(random, locked + 1))
                        : new Ship(ORDER, SKU, 1 + bounded(random, locked + 1), "ship");
                case 4 -> new Release(ORDER, SKU, 1 + bounded(random, locked + 1),
                        ReleaseCause.values()[random.nextInt(ReleaseCause.values().length)]);
                default -> random.nextInt(4) == 0
                        ? new Adjust("adj", SKU, Long.MAX_VALUE - random.nextInt(3), "r", 0, ORIGIN)
                        : new Refund(ORDER, SKU, 1 + random.nextInt(5));
            };
        }

        private static long bounded(final Random random, final long bound) {
            return bound <= 0 ? 0 : Math.floorMod(random.nextLong(), Math.min(bound, 1_000_000L));
        }

        private record Expected(boolean changes, boolean rejected, long onHand, long available, long locked) {
        }

        /** The spec, written independently of the code under test; null when the command is a bug. */
        private static Expected expect(final StockLevel l, final StockCommand command, final boolean redelivered) {
            final Expected same = new Expected(false, false, l.onHand(), l.available(), l.locked());
            if (command instanceof Adjust a) {
                if (redelivered) {
                    return same;
                }
                final Long onHand = plus(l.onHand(), a.delta());
                final Long available = plus(l.available(), a.delta());
                if (onHand == null || available == null || available < 0) {
                    return new Expected(false, true, l.onHand(), l.available(), l.locked());
                }
                return new Expected(true, false, onHand, available, l.locked());
            }
            if (command instanceof Reserve r) {
                return l.available() >= r.quantity()
                        ? new Expected(true, false, l.onHand(), l.available() - r.quantity(),
                        l.locked() + r.quantity())
                        : same;
            }
            if (command instanceof Commit || command instanceof Ship) {
                final long quantity = command instanceof Commit c ? c.quantity() : ((Ship) command).quantity();
                return quantity > l.locked() ? null
                        : new Expected(true, false, l.onHand() - quantity, l.available(), l.locked() - quantity);
            }
            if (command instanceof Release r) {
                return r.quantity() > l.locked() ? null
                        : new Expected(true, false, l.onHand(), l.available() + r.quantity(),
                        l.locked() - r.quantity());
            }
            if (command instanceof Refund r) {
                final Long onHand = plus(l.onHand(), r.quantity());
                return onHand == null ? null
                        : new Expected(true, false, onHand, l.available() + r.quantity(), l.locked());
            }
            fail("unknown command " + command);
            return null;
        }

        private static Long plus(final long a, final long b) {
            try {
                return Math.addExact(a, b);
            } catch (final ArithmeticException overflow) {
                return null;
            }
        }
    }
}
