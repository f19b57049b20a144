package io.stockline.ledger;

import java.util.List;

/**
 * What one command did to one SKU. {@code changed} says whether {@code level} must be stored, and then
 * {@code movement} says how it changed and {@code alerts} what it crossed (most often nothing); the other parts
 * are null when the command sends nothing of that kind. {@code outcome} is the decision of a one-line order,
 * which the stock side publishes.
 */
public record StockStep(StockLevel level, boolean changed, OrderCommand.LineResult reply, Rollback rollback,
                        Rejection rejection, Movement movement, Outcome outcome, List<Alert> alerts) {

    public StockStep(final StockLevel level, final boolean changed, final OrderCommand.LineResult reply,
                     final Rollback rollback, final Rejection rejection, final Movement movement) {
        this(level, changed, reply, rollback, rejection, movement, null, List.of());
    }

    public StockStep {
        if (changed != (movement != null)) {
            throw new IllegalArgumentException("a step has a movement exactly when it changed the level");
        }
        if (!changed && !alerts.isEmpty()) {
            throw new IllegalArgumentException("only a change of the level can cross anything");
        }
    }
}
