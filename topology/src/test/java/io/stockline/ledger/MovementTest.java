package io.stockline.ledger;

import io.stockline.schemas.EventTopic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.stockline.ledger.StockCommand.Adjust;
import io.stockline.ledger.StockCommand.Commit;
import io.stockline.ledger.StockCommand.Refund;
import io.stockline.ledger.StockCommand.Release;
import io.stockline.ledger.StockCommand.Reserve;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
                new Release("x", SKU, 1, ReleaseCause.PARTIAL_REJECTION));

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

        assertThrows(IllegalArgumentException.class, () -> new StockStep(level(), false, null, null, null, movement));
        assertThrows(IllegalArgumentException.class, () -> new StockStep(level(), true, null, null, null, null));
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
}
