package io.stockline.ledger;

/**
 * What one command did to one SKU. {@code changed} says whether {@code level} must be stored, and then
 * {@code movement} says how it changed; the other parts are null when the command sends nothing of
 * that kind.
 */
public record StockStep(StockLevel level, boolean changed, OrderCommand.LineResult reply, Rollback rollback,
                        Rejection rejection, Movement movement) {

    public StockStep {
        if (changed != (movement != null)) {
            throw new IllegalArgumentException("a step has a movement exactly when it changed the level");
        }
    }
}
