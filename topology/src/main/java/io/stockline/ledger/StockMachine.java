package io.stockline.ledger;

import io.stockline.ledger.OrderCommand.LineResult;
import io.stockline.ledger.StockCommand.Adjust;
import io.stockline.ledger.StockCommand.Commit;
import io.stockline.ledger.StockCommand.Refund;
import io.stockline.ledger.StockCommand.Release;
import io.stockline.ledger.StockCommand.Reserve;
import io.stockline.ledger.StockCommand.Ship;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

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
        return apply(current, command, alreadyApplied, now, AllocationPolicy.DEFAULT);
    }

    /**
     * @param policy where a reservation takes units from, when the SKU keeps them in more than one place
     */
    public static StockStep apply(final StockLevel current, final StockCommand command, final boolean alreadyApplied,
                                  final long now, final AllocationPolicy policy) {
        final StockLevel level = current == null ? StockLevel.empty(command.sku()) : current;
        if (command instanceof Adjust adjust) {
            return alreadyApplied ? unchanged(level) : adjust(level, adjust, now);
        }
        if (command instanceof Reserve reserve) {
            return reserve(level, reserve, now, policy);
        }
        if (command instanceof Commit commit) {
            return changed(level, level.commit(commit.from(), commit.quantity(), now), command, null, null);
        }
        if (command instanceof Release release) {
            return changed(level, level.release(release.from(), release.quantity(), now), command, null,
                    Rollback.of(release, now));
        }
        if (command instanceof Ship ship) {
            return changed(level, level.commit(ship.from(), ship.quantity(), now), command, null, null);
        }
        final Refund refund = (Refund) command;
        return changed(level, level.refund(refund.from(), refund.quantity(), now), command, null,
                Rollback.of(refund, now));
    }

    /**
     * Units in or out at one place, or moved between two locations. A batch keeps the expiry it was first given;
     * units never go into a batch past its expiry, nor come out of a batch the location does not have.
     */
    private static StockStep adjust(final StockLevel level, final Adjust adjust, final long now) {
        final Place named = adjust.place();
        final Place stored = level.storedPlace(named.location(), named.batch());
        if (named.batch() != null && stored == null && (adjust.delta() < 0 || adjust.isTransfer())) {
            return refused(level, adjust, RejectCode.UNKNOWN_BATCH, "names batch " + named.batch()
                    + ", which location " + named.location() + " does not have");
        }
        if (stored != null && named.expiresAt() != null && !named.expiresAt().equals(stored.expiresAt())) {
            return refused(level, adjust, RejectCode.BATCH_EXPIRY_MISMATCH, "gives batch " + named.batch()
                    + " the expiry " + Instant.ofEpochMilli(named.expiresAt()) + ", but it expires " + expiry(stored));
        }
        final Place place = stored != null ? stored : named;
        if (adjust.isTransfer()) {
            return transfer(level, adjust, place, now);
        }
        if (adjust.delta() > 0 && place.isExpiredAt(now)) {
            return refused(level, adjust, RejectCode.BATCH_EXPIRED, "adds units to batch " + place.batch()
                    + ", which expired at " + Instant.ofEpochMilli(place.expiresAt()));
        }
        final long there = level.partAt(place).available();
        if (!level.canAdjust(adjust.delta()) || there + adjust.delta() < 0) {
            return new StockStep(level, false, null, null, new Rejection(RejectCode.ADJUSTMENT_EXCEEDS_AVAILABLE,
                    "adjustment " + adjust.adjustmentId() + " of " + adjust.delta() + " to sku " + adjust.sku()
                            + " exceeds available " + (level.isSplit() ? there + " at " + place : level.available()),
                    adjust.origin()), List.of());
        }
        final StockLevel after = level.adjust(adjust.delta(), place, adjust.lowStockThreshold(), now);
        return changed(level, after.withProduct(adjust.product()), adjust, null, null);
    }

    private static StockStep transfer(final StockLevel level, final Adjust transfer, final Place from,
                                      final long now) {
        final long there = level.partAt(from).available();
        if (there < transfer.delta()) {
            return refused(level, transfer, RejectCode.TRANSFER_EXCEEDS_AVAILABLE, "moves " + transfer.delta()
                    + " from " + from + " to " + transfer.toLocation() + ", where " + there + " are available");
        }
        final Place atDestination = level.storedPlace(transfer.toLocation(), from.batch());
        if (atDestination != null && !Objects.equals(atDestination.expiresAt(), from.expiresAt())) {
            // Merged, the units would take the other batch's expiry: expired ones could be sold again.
            return refused(level, transfer, RejectCode.BATCH_EXPIRY_MISMATCH, "moves batch " + from.batch()
                    + " expiring " + expiry(from) + " to " + transfer.toLocation() + ", where batch " + from.batch()
                    + " expires " + expiry(atDestination));
        }
        final Place to = new Place(transfer.toLocation(), from.batch(), from.expiresAt());
        final StockLevel after = level.transfer(transfer.delta(), from, to, transfer.lowStockThreshold(), now);
        return changed(level, after.withProduct(transfer.product()), transfer, null, null);
    }

    private static String expiry(final Place place) {
        return place.expiresAt() == null ? "never" : Instant.ofEpochMilli(place.expiresAt()).toString();
    }

    private static StockStep refused(final StockLevel level, final Adjust adjust, final RejectCode code,
                                     final String what) {
        return new StockStep(level, false, null, null, new Rejection(code, (adjust.isTransfer() ? "transfer "
                : "adjustment ") + adjust.adjustmentId() + " to sku " + adjust.sku() + " " + what, adjust.origin()),
                List.of());
    }

    private static StockStep reserve(final StockLevel level, final Reserve reserve, final long now,
                                     final AllocationPolicy policy) {
        final Allocator.Result taken = Allocator.allocate(level, reserve.quantity(), reserve.location(), policy, now);
        final boolean fits = taken.fits();
        final LineResult reply = new LineResult(reserve.orderId(), reserve.sku(), reserve.quantity(), fits,
                taken.reservable(), reserve.soleLine() != null, taken.allocations(), taken.reason());
        final Outcome decision = reserve.soleLine() == null ? null : decision(reserve, reply, now);
        if (!fits) {
            return new StockStep(level, false, reply, null, null, List.of(), decision, List.of());
        }
        final StockLevel after = level.reserve(taken.allocations(), reserve.quantity(), now);
        final List<Movement> movements = Movement.all(level, after, reserve);
        return new StockStep(versioned(after, movements), true, reply, null, null, movements, decision,
                Alert.between(level, after));
    }

    /** The outcome the order side would publish for a one-line order on this answer, word for word. */
    private static Outcome decision(final Reserve reserve, final LineResult reply, final long now) {
        return reply.reserved()
                ? new Outcome(reserve.orderId(), OrderStatus.RESERVED, null,
                        Line.at(reserve.sku(), reserve.quantity(), reply.allocations()), reserve.soleLine().placedAt(),
                        reserve.soleLine().expiresAt(), now)
                : new Outcome(reserve.orderId(), OrderStatus.REJECTED, reply.shortageReason(),
                        List.of(new Line(reserve.sku(), reserve.quantity(), reserve.location(), null)),
                        reserve.soleLine().placedAt(), null, now);
    }

    private static StockStep changed(final StockLevel before, final StockLevel after, final StockCommand command,
                                     final LineResult reply, final Rollback rollback) {
        final List<Movement> movements = Movement.all(before, after, command);
        return new StockStep(versioned(after, movements), true, reply, rollback, null, movements, null,
                Alert.between(before, after));
    }

    /** The level with the version its last movement gave it: one per place whose units moved. */
    private static StockLevel versioned(final StockLevel after, final List<Movement> movements) {
        final long version = movements.get(movements.size() - 1).after().version();
        return version == after.version() ? after : new StockLevel(after.sku(), after.onHand(), after.available(),
                after.locked(), version, after.updatedAt(), after.lowStockThreshold(), after.places(), after.product());
    }

    private static StockStep unchanged(final StockLevel level) {
        return new StockStep(level, false, null, null, null, List.of());
    }
}
