package io.stockline.ledger;

import io.stockline.schemas.EventTopic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.stockline.ledger.StockCommand.Adjust;
import io.stockline.ledger.StockCommand.Commit;
import io.stockline.ledger.StockCommand.Refund;
import io.stockline.ledger.StockCommand.Release;
import io.stockline.ledger.StockCommand.Reserve;
import io.stockline.ledger.StockCommand.Ship;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Every change of a level is one movement, whose id depends on its cause alone. */
class MovementTest {

    private static final String SKU = "sku-1";
    private static final long NOW = 5_000L;
    private static final Origin ORIGIN = new Origin(EventTopic.STOCK_ADJUSTMENTS.topicName(), 0, 7L, SKU, new byte[] {1});

    /** onHand 10 = available 6 + locked 4, version 3. */
    private static StockLevel level() {
        return new StockLevel(SKU, 10, 6, 4, 3, 1_000L);
    }

    @Test
    void eachKindOfChangeMovesTheLevelsByItsDeltasAndNamesItsCause() {
        assertMovement(new Adjust("adj-1", SKU, -2, "recount", 0L, ORIGIN), MovementKind.ADJUSTMENT, -2, -2, 0);
        assertMovement(new Reserve("o1", SKU, 3), MovementKind.RESERVE, 0, -3, 3);
        assertMovement(new Commit("o1", SKU, 4), MovementKind.COMMIT, -4, 0, -4);
        assertMovement(new Release("o1", SKU, 4, ReleaseCause.EXPIRED), MovementKind.RELEASE, 0, 4, -4);
        assertMovement(new Refund("o1", SKU, 5), MovementKind.REFUND, 5, 5, 0);
        assertMovement(new Ship("o1", SKU, 4, "ship-1"), MovementKind.SHIP, -4, 0, -4);

        final Movement adjustment = movementOf(new Adjust("adj-1", SKU, 1, "recount", 0L, ORIGIN));
        assertEquals("adj-1", adjustment.adjustmentId());
        assertNull(adjustment.orderId());
        assertNull(adjustment.cause());
        final Movement release = movementOf(new Release("o1", SKU, 4, ReleaseCause.CANCELLED));
        assertEquals("o1", release.orderId());
        assertNull(release.adjustmentId());
        assertEquals(ReleaseCause.CANCELLED, release.cause());
    }

    @Test
    void movementCarriesTheLevelAfterAndItsTime() {
        final Movement movement = movementOf(new Reserve("o1", SKU, 3));

        assertEquals(new StockLevel(SKU, 10, 3, 7, 4, NOW), movement.after());
        assertEquals(NOW, movement.at());
    }

    @Test
    void sameCauseGetsTheSameIdWhateverTheLevelsOrTheTime() {
        final Reserve reserve = new Reserve("o1", SKU, 3);

        final Movement once = StockMachine.apply(level(), reserve, false, NOW).movement();
        final Movement again = StockMachine.apply(new StockLevel(SKU, 50, 50, 0, 9, 0L), reserve, false, NOW + 99)
                .movement();

        assertEquals(once.movementId(), again.movementId());
    }

    @Test
    void idsDifferByKindSkuOrderAdjustmentAndReleaseCause() {
        final List<StockCommand> causes = List.of(
                new Adjust("x", SKU, 1, "r", 0L, ORIGIN),
                new Adjust("x", "sku-2", 1, "r", 0L, ORIGIN),
                new Adjust("y", SKU, 1, "r", 0L, ORIGIN),
                new Reserve("x", SKU, 1),
                new Reserve("x", "sku-2", 1),
                new Reserve("y", SKU, 1),
                new Commit("x", SKU, 1),
                new Refund("x", SKU, 1),
                new Release("x", SKU, 1, ReleaseCause.CANCELLED),
                new Release("x", SKU, 1, ReleaseCause.PARTIAL_REJECTION),
                new Ship("x", SKU, 1, "s"));

        final Set<String> ids = new HashSet<>();
        causes.forEach(c -> ids.add(Movement.idFor(c)));

        assertEquals(causes.size(), ids.size());
    }

    @Test
    void stepThatChangesNothingHasNoMovement() {
        final Adjust adjust = new Adjust("adj-1", SKU, 5, "recount", 0L, ORIGIN);

        assertNull(StockMachine.apply(level(), adjust, true, NOW).movement(), "redelivered adjustment");
        assertNull(StockMachine.apply(level(), new Adjust("adj-2", SKU, -7, "r", 0L, ORIGIN), false, NOW)
                .movement(), "refused adjustment");
        assertNull(StockMachine.apply(level(), new Reserve("o1", SKU, 7), false, NOW).movement(), "short reserve");
    }

    @Test
    void stepHasAMovementExactlyWhenItChangedTheLevel() {
        final Movement movement = movementOf(new Reserve("o1", SKU, 1));

        assertThrows(IllegalArgumentException.class, () -> new StockStep(level(), false, null, null, null, List.of(movement)));
        assertThrows(IllegalArgumentException.class, () -> new StockStep(level(), true, null, null, null, List.of()));
    }

    private static void assertMovement(final StockCommand command, final MovementKind kind, final long onHandDelta,
                                       final long availableDelta, final long lockedDelta) {
        final Movement movement = movementOf(command);
        assertEquals(kind, movement.kind());
        assertEquals(SKU, movement.sku());
        assertEquals(List.of(onHandDelta, availableDelta, lockedDelta),
                List.of(movement.onHandDelta(), movement.availableDelta(), movement.lockedDelta()), kind.name());
        assertEquals(Movement.idFor(command), movement.movementId());
    }

    private static Movement movementOf(final StockCommand command) {
        final StockStep step = StockMachine.apply(level(), command, false, NOW);
        assertEquals(step.level(), step.movement().after());
        return step.movement();
    }

    /**
     * A cancellation, refund or shipment naming lines can release, return or ship one SKU of an order more than
     * once: its event id (the step) tells those apart, while a step of the whole order keeps the id every
     * version before per-line steps gave it, so that a consumer still drops a replay of an old record.
     */
    @Nested
    class IdsOfPerLineSteps {

        private static final String ORDER = "o1";

        @Test
        void twoPartialReleasesOfOneSkuForOneCauseGetDifferentMovementAndRollbackIds() {
            final StockStep first = apply(new Release(ORDER, SKU, 1, ReleaseCause.CANCELLED, "cancel-1"));
            final StockStep second = apply(new Release(ORDER, SKU, 1, ReleaseCause.CANCELLED, "cancel-2"));
            final StockStep whole = apply(new Release(ORDER, SKU, 1, ReleaseCause.CANCELLED));

            assertEquals(3, Set.of(first.movement().movementId(), second.movement().movementId(),
                    whole.movement().movementId()).size(), "movement ids");
            assertEquals(3, Set.of(first.rollback().rollbackId(), second.rollback().rollbackId(),
                    whole.rollback().rollbackId()).size(), "rollback ids");
        }

        @Test
        void twoPartialReturnsOrShipmentsOfOneSkuGetDifferentIds() {
            final StockStep return1 = apply(new Refund(ORDER, SKU, 1, "pay-1"));
            final StockStep return2 = apply(new Refund(ORDER, SKU, 1, "pay-2"));
            final StockStep wholeRefund = apply(new Refund(ORDER, SKU, 1));

            assertEquals(3, Set.of(return1.movement().movementId(), return2.movement().movementId(),
                    wholeRefund.movement().movementId()).size(), "movement ids");
            assertEquals(3, Set.of(return1.rollback().rollbackId(), return2.rollback().rollbackId(),
                    wholeRefund.rollback().rollbackId()).size(), "rollback ids");
            assertNotEquals(Movement.idFor(new Ship(ORDER, SKU, 1, "ship-1")),
                    Movement.idFor(new Ship(ORDER, SKU, 1, "ship-2")));
            assertNotEquals(Movement.idFor(new Ship(ORDER, SKU, 1, "ship-1")),
                    Movement.idFor(new Commit(ORDER, SKU, 1)), "a shipment is not a commit");
        }

        @Test
        void aWholeOrdersReleaseOrRefundKeepsExactlyTheIdsItHadBefore() {
            for (final ReleaseCause cause : ReleaseCause.values()) {
                if (cause == ReleaseCause.REFUNDED) {
                    continue; // before per-line returns, nothing was released because of a refund
                }
                final StockStep release = apply(new Release(ORDER, SKU, 1, cause));
                assertEquals(legacyRollbackId(ORDER, SKU, cause), release.rollback().rollbackId(), cause.name());
                assertEquals(Rollback.idFor(ORDER, SKU, cause), release.rollback().rollbackId(), cause.name());
                assertEquals(legacyMovementId(MovementKind.RELEASE, ORDER + '\u0000' + cause.name()),
                        release.movement().movementId(), cause.name());
            }
            final StockStep refund = apply(new Refund(ORDER, SKU, 1));
            assertEquals(legacyRollbackId(ORDER, SKU, ReleaseCause.REFUNDED), refund.rollback().rollbackId());
            assertEquals(Rollback.idFor(ORDER, SKU, ReleaseCause.REFUNDED), refund.rollback().rollbackId());
            assertEquals(legacyMovementId(MovementKind.REFUND, ORDER), refund.movement().movementId());
            assertEquals(legacyMovementId(MovementKind.COMMIT, ORDER), Movement.idFor(new Commit(ORDER, SKU, 1)));
            assertEquals(legacyMovementId(MovementKind.RESERVE, ORDER), Movement.idFor(new Reserve(ORDER, SKU, 1)));
            // Two ids as the version before per-line steps wrote them, in case the formula above drifts with the code.
            assertEquals("07dfc60d-2b7a-345b-868e-2a8581e3b61a",
                    apply(new Release(ORDER, SKU, 1, ReleaseCause.CANCELLED)).rollback().rollbackId());
            assertEquals("a1454187-3a37-34d5-be9b-006c2f2f9117", refund.rollback().rollbackId());
            assertEquals("611f7b6b-0145-38f3-a33c-27faf3bf39bc",
                    Movement.idFor(new Release(ORDER, SKU, 1, ReleaseCause.CANCELLED)));
        }

        @Test
        void theUnshippedReleaseAndTheRestockedReturnOfOneSkuInOneRefundGetDifferentIds() {
            for (final String step : new String[] {null, "pay-1"}) {
                final StockStep unshipped = apply(new Release(ORDER, SKU, 1, ReleaseCause.REFUNDED, step));
                final StockStep returned = apply(new Refund(ORDER, SKU, 1, step));

                assertEquals(ReleaseCause.REFUNDED, unshipped.rollback().cause());
                assertEquals(ReleaseCause.REFUNDED, returned.rollback().cause());
                assertNotEquals(unshipped.rollback().rollbackId(), returned.rollback().rollbackId(), "step " + step);
                assertNotEquals(unshipped.movement().movementId(), returned.movement().movementId(), "step " + step);
            }
        }

        private StockStep apply(final StockCommand command) {
            return StockMachine.apply(level(), command, false, NOW);
        }

        /** The movement id every version before per-line steps gave an order's movement. */
        private static String legacyMovementId(final MovementKind kind, final String cause) {
            return uuid("movement\u0000" + kind.name() + '\u0000' + SKU + '\u0000' + cause);
        }

        /** The rollback id every version before per-line steps gave a release or refund. */
        private static String legacyRollbackId(final String orderId, final String sku, final ReleaseCause cause) {
            return uuid(orderId + '\u0000' + sku + '\u0000' + cause.name());
        }

        private static String uuid(final String name) {
            return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
        }
    }
}
