package io.stockline.ledger;

import java.util.List;

/**
 * What one command did to one SKU. {@code changed} says whether {@code level} must be stored, and then
 * {@code movements} say how it changed (one per place whose units moved) and {@code alerts} what it crossed (most often nothing); the other parts
 * are null when the command sends nothing of that kind. {@code outcome} is the decision of a one-line order,
 * which the stock side publishes.
 */
public record StockStep(StockLevel level, boolean changed, OrderCommand.LineResult reply, Rollback rollback,
                        Rejection rejection, List<Movement> movements, Outcome outcome, List<Alert> alerts) {

    public StockStep(final StockLevel level, final boolean changed, final OrderCommand.LineResult reply,
                     final Rollback rollback, final Rejection rejection, final List<Movement> movements) {
        this(level, changed, reply, rollback, rejection, movements, null, List.of());
    }

    public StockStep {
        movements = List.copyOf(movements);
        if (changed == movements.isEmpty()) {
            throw new IllegalArgumentException("a step has movements exactly when it changed the level");
        }
        if (!changed && !alerts.isEmpty()) {
            throw new IllegalArgumentException("only a change of the level can cross anything");
        }
    }

    /** The change's movement: its only one, or the last when it moved units at several places. Null if unchanged. */
    public Movement movement() {
        return movements.isEmpty() ? null : movements.get(movements.size() - 1);
    }
}
