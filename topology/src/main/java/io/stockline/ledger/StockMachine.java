package io.stockline.ledger;

import io.stockline.ledger.OrderCommand.LineResult;
import io.stockline.ledger.StockCommand.Adjust;
import io.stockline.ledger.StockCommand.Commit;
import io.stockline.ledger.StockCommand.Refund;
import io.stockline.ledger.StockCommand.Release;
import io.stockline.ledger.StockCommand.Reserve;

/**
 * The stock side's rules: pure, no Kafka. A SKU the ledger has never seen has nothing on hand. Only an
 * adjustment can be refused; the other commands come from the order side, which only asks for what
 * the ledger itself locked, so a failure there is a bug and throws.
 */
public final class StockMachine {

    private StockMachine() {
    }

    /**
     * @param current        the SKU's level as stored, or null when the ledger has never seen it
     * @param alreadyApplied for an adjustment, whether its id was applied before (redelivery)
     */
    public static StockStep apply(final StockLevel current, final StockCommand command, final boolean alreadyApplied,
                                  final long now) {
        final StockLevel level = current == null ? StockLevel.empty(command.sku()) : current;
        if (command instanceof Adjust adjust) {
            return adjust(level, adjust, alreadyApplied, now);
        }
        if (command instanceof Reserve reserve) {
            return reserve(level, reserve, now);
        }
        if (command instanceof Commit commit) {
            return changed(level.commit(commit.quantity(), now));
        }
        if (command instanceof Release release) {
            return new StockStep(level.release(release.quantity(), now), true, null,
                    Rollback.of(release.orderId(), release.sku(), release.quantity(), release.cause(), now), null);
        }
        final Refund refund = (Refund) command;
        return new StockStep(level.refund(refund.quantity(), now), true, null,
                Rollback.of(refund.orderId(), refund.sku(), refund.quantity(), ReleaseCause.REFUNDED, now), null);
    }

    private static StockStep adjust(final StockLevel level, final Adjust adjust, final boolean alreadyApplied,
                                    final long now) {
        if (alreadyApplied) {
            return unchanged(level);
        }
        if (!level.canAdjust(adjust.delta())) {
            return new StockStep(level, false, null, null, new Rejection(RejectCode.ADJUSTMENT_EXCEEDS_AVAILABLE,
                    "adjustment " + adjust.adjustmentId() + " of " + adjust.delta() + " to sku " + adjust.sku()
                            + " exceeds available " + level.available(), adjust.origin()));
        }
        return changed(level.adjust(adjust.delta(), now));
    }

    private static StockStep reserve(final StockLevel level, final Reserve reserve, final long now) {
        final boolean fits = level.canReserve(reserve.quantity());
        final StockLevel next = fits ? level.reserve(reserve.quantity(), now) : level;
        final LineResult reply = new LineResult(reserve.orderId(), reserve.sku(), reserve.quantity(), fits,
                level.available());
        return new StockStep(next, fits, reply, null, null);
    }

    private static StockStep changed(final StockLevel level) {
        return new StockStep(level, true, null, null, null);
    }

    private static StockStep unchanged(final StockLevel level) {
        return new StockStep(level, false, null, null, null);
    }
}
