package io.stockline.ledger;

import io.stockline.ledger.OrderCommand.LineResult;
import io.stockline.ledger.StockCommand.Adjust;
import io.stockline.ledger.StockCommand.Commit;
import io.stockline.ledger.StockCommand.Refund;
import io.stockline.ledger.StockCommand.Release;
import io.stockline.ledger.StockCommand.Reserve;
import io.stockline.ledger.StockCommand.Ship;
import java.util.List;

/**
 * The stock side's rules: pure, no Kafka. A SKU the ledger has never seen has nothing on hand and no
 * low-stock threshold, so its first stock is BACK_IN_STOCK like any rise from 0. Every change that raises a
 * level's version comes with its movement and with the alerts it crossed ({@link Alert#between}). Only an
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
            return changed(level, level.commit(commit.quantity(), now), command, null, null);
        }
        if (command instanceof Release release) {
            return changed(level, level.release(release.quantity(), now), command, null,
                    Rollback.of(release, now));
        }
        if (command instanceof Ship ship) {
            return changed(level, level.commit(ship.quantity(), now), command, null, null);
        }
        final Refund refund = (Refund) command;
        return changed(level, level.refund(refund.quantity(), now), command, null, Rollback.of(refund, now));
    }

    private static StockStep adjust(final StockLevel level, final Adjust adjust, final boolean alreadyApplied,
                                    final long now) {
        if (alreadyApplied) {
            return unchanged(level);
        }
        if (!level.canAdjust(adjust.delta())) {
            return new StockStep(level, false, null, null, new Rejection(RejectCode.ADJUSTMENT_EXCEEDS_AVAILABLE,
                    "adjustment " + adjust.adjustmentId() + " of " + adjust.delta() + " to sku " + adjust.sku()
                            + " exceeds available " + level.available(), adjust.origin()), null);
        }
        return changed(level, level.adjust(adjust.delta(), adjust.lowStockThreshold(), now), adjust, null, null);
    }

    private static StockStep reserve(final StockLevel level, final Reserve reserve, final long now) {
        final boolean fits = level.canReserve(reserve.quantity());
        final LineResult reply = new LineResult(reserve.orderId(), reserve.sku(), reserve.quantity(), fits,
                level.available(), reserve.soleLine() != null);
        final Outcome decision = reserve.soleLine() == null ? null : decision(level, reserve, fits, now);
        if (!fits) {
            return new StockStep(level, false, reply, null, null, null, decision, List.of());
        }
        final StockLevel after = level.reserve(reserve.quantity(), now);
        return new StockStep(after, true, reply, null, null, Movement.of(level, after, reserve), decision,
                Alert.between(level, after));
    }

    /** The outcome the order side would publish for a one-line order on this answer, word for word. */
    private static Outcome decision(final StockLevel level, final Reserve reserve, final boolean fits,
                                    final long now) {
        final List<Line> lines = List.of(new Line(reserve.sku(), reserve.quantity()));
        return fits
                ? new Outcome(reserve.orderId(), OrderStatus.RESERVED, null, lines, reserve.soleLine().placedAt(),
                        reserve.soleLine().expiresAt(), now)
                : new Outcome(reserve.orderId(), OrderStatus.REJECTED,
                        Outcome.shortage(reserve.sku(), reserve.quantity(), level.available()), lines,
                        reserve.soleLine().placedAt(), null, now);
    }

    private static StockStep changed(final StockLevel before, final StockLevel after, final StockCommand command,
                                     final LineResult reply, final Rollback rollback) {
        return new StockStep(after, true, reply, rollback, null, Movement.of(before, after, command), null,
                Alert.between(before, after));
    }

    private static StockStep unchanged(final StockLevel level) {
        return new StockStep(level, false, null, null, null, null);
    }
}
