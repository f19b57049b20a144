package io.stockline.ledger;

/**
 * What one command did to one SKU. {@code changed} says whether {@code level} must be stored; the
 * other parts are null when the command sends nothing of that kind.
 */
public record StockStep(StockLevel level, boolean changed, OrderCommand.LineResult reply, Rollback rollback,
                        Rejection rejection) {
}
