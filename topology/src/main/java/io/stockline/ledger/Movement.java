package io.stockline.ledger;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * One change of one SKU's levels: what caused it, by how much each level moved, and the level after.
 * Every change that raises a SKU's version is exactly one movement, so a SKU's movements sum to its
 * levels and there are as many of them as its version says.
 *
 * @param movementId   derived from the cause alone, so a replay of the same change gets the same id
 * @param orderId      the order behind it; null for an adjustment
 * @param adjustmentId the adjustment behind it; null for the order kinds
 * @param cause        why the units were released; null unless {@link MovementKind#RELEASE}
 * @param after        the SKU's level once the movement is applied; its {@code updatedAt} is the movement's time
 * @param place        the place whose units moved; null while the SKU keeps all its units at the default place, and
 *                     for a change that moved no units (a threshold alone)
 * @param placeAfter   that place's level after the movement; null with {@code place}
 */
public record Movement(String movementId, String sku, MovementKind kind, String orderId, String adjustmentId,
                       ReleaseCause cause, long onHandDelta, long availableDelta, long lockedDelta,
                       StockLevel after, Place place, PlaceLevel placeAfter) {

    /** One place's part of a change, and its level after. */
    record PlaceChange(Place place, long onHandDelta, long availableDelta, long lockedDelta, PlaceLevel after) {
    }

    public Movement(final String movementId, final String sku, final MovementKind kind, final String orderId,
                    final String adjustmentId, final ReleaseCause cause, final long onHandDelta,
                    final long availableDelta, final long lockedDelta, final StockLevel after) {
        this(movementId, sku, kind, orderId, adjustmentId, cause, onHandDelta, availableDelta, lockedDelta, after,
                null, null);
    }

    /** The movement from {@code before} to {@code after} that {@code command} made, at the default place. */
    public static Movement of(final StockLevel before, final StockLevel after, final StockCommand command) {
        final String orderId = command instanceof StockCommand.Adjust ? null : orderIdOf(command);
        final String adjustmentId = command instanceof StockCommand.Adjust adjust ? adjust.adjustmentId() : null;
        final ReleaseCause cause = command instanceof StockCommand.Release release ? release.cause() : null;
        return new Movement(idFor(command), command.sku(), kindOf(command), orderId, adjustmentId, cause,
                after.onHand() - before.onHand(), after.available() - before.available(),
                after.locked() - before.locked(), after, null, null);
    }

    /**
     * The movements from {@code before} to {@code after}: one per place whose units moved, each raising the SKU's
     * version by one and carrying the SKU's levels as they stand once it and the ones before it are applied, so that
     * a SKU's movements still sum to its levels, one per version. The last one's {@code after} is {@code after} with
     * its version raised by as many. A SKU kept at the default place alone has one movement, as it always had.
     */
    public static List<Movement> all(final StockLevel before, final StockLevel after, final StockCommand command) {
        final Movement whole = of(before, after, command);
        final List<PlaceChange> changes = placeChanges(before, after);
        if (changes.isEmpty()) {
            return List.of(whole);
        }
        if (command instanceof StockCommand.Adjust adjust && adjust.isTransfer()) {
            // out of the source, then into the destination, as a transfer reads, whichever location sorts first
            changes.sort(Comparator.comparing(change -> change.onHandDelta() > 0));
        }
        final List<Movement> movements = new ArrayList<>(changes.size());
        StockLevel level = before;
        for (final PlaceChange change : changes) {
            final StockLevel next = new StockLevel(after.sku(), level.onHand() + change.onHandDelta(),
                    level.available() + change.availableDelta(), level.locked() + change.lockedDelta(),
                    level.version() + 1, after.updatedAt(), after.lowStockThreshold(), after.places(),
                    after.product());
            movements.add(new Movement(placeId(whole.movementId(), change.place()), whole.sku(), whole.kind(), whole.orderId(),
                    whole.adjustmentId(), whole.cause(), change.onHandDelta(), change.availableDelta(),
                    change.lockedDelta(), next, change.place(), change.after()));
            level = next;
        }
        return movements;
    }

    /** Every place whose part differs between the two levels, in {@code after}'s order, then the ones emptied. */
    static List<PlaceChange> placeChanges(final StockLevel before, final StockLevel after) {
        if (!before.isSplit() && !after.isSplit()) {
            return List.of();
        }
        final List<PlaceChange> changes = new ArrayList<>();
        for (final PlaceLevel part : after.parts()) {
            addIfChanged(changes, before.partAt(part.place()), part);
        }
        for (final PlaceLevel part : before.parts()) {
            if (after.storedPlace(part.place().location(), part.place().batch()) == null) {
                addIfChanged(changes, part, PlaceLevel.empty(part.place()));
            }
        }
        return changes;
    }

    private static void addIfChanged(final List<PlaceChange> changes, final PlaceLevel was, final PlaceLevel now) {
        if (was.onHand() != now.onHand() || was.available() != now.available() || was.locked() != now.locked()) {
            changes.add(new PlaceChange(now.place(), now.onHand() - was.onHand(), now.available() - was.available(),
                    now.locked() - was.locked(), now));
        }
    }

    /**
     * The same cause always gets the same id. An adjustment id is applied once per SKU, and an order
     * reserves, commits, refunds and releases (per cause) each of its SKUs at most once, except where the
     * event that asks names lines (a cancellation or refund of part of the order, a shipment), whose id is then
     * part of the movement's: which makes the id unique.
     */
    /** A movement at one place of a SKU kept at several has the place in its cause too: its change's id and the place. */
    private static String placeId(final String changeId, final Place place) {
        final String name = changeId + '\u0000' + place.location() + (place.batch() == null ? ""
                : '\u0000' + place.batch());
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }

    public static String idFor(final StockCommand command) {
        final String cause = command instanceof StockCommand.Adjust adjust
                ? adjust.adjustmentId()
                : orderIdOf(command) + (command instanceof StockCommand.Release release
                        ? '\u0000' + release.cause().name() : "") + step(command);
        final String name = "movement\u0000" + kindOf(command).name() + '\u0000' + command.sku() + '\u0000' + cause;
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static String step(final StockCommand command) {
        final String step = command instanceof StockCommand.Release release ? release.step()
                : command instanceof StockCommand.Refund refund ? refund.step()
                : command instanceof StockCommand.Ship ship ? ship.shipmentId() : null;
        return step == null ? "" : '\u0000' + step;
    }

    public long at() {
        return after.updatedAt();
    }

    private static MovementKind kindOf(final StockCommand command) {
        if (command instanceof StockCommand.Adjust adjust) {
            return adjust.isTransfer() ? MovementKind.TRANSFER : MovementKind.ADJUSTMENT;
        }
        if (command instanceof StockCommand.Reserve) {
            return MovementKind.RESERVE;
        }
        if (command instanceof StockCommand.Commit) {
            return MovementKind.COMMIT;
        }
        if (command instanceof StockCommand.Release) {
            return MovementKind.RELEASE;
        }
        if (command instanceof StockCommand.Ship) {
            return MovementKind.SHIP;
        }
        return MovementKind.REFUND;
    }

    private static String orderIdOf(final StockCommand command) {
        if (command instanceof StockCommand.Reserve reserve) {
            return reserve.orderId();
        }
        if (command instanceof StockCommand.Commit commit) {
            return commit.orderId();
        }
        if (command instanceof StockCommand.Release release) {
            return release.orderId();
        }
        if (command instanceof StockCommand.Refund refund) {
            return refund.orderId();
        }
        if (command instanceof StockCommand.Ship ship) {
            return ship.orderId();
        }
        throw new IllegalArgumentException("an adjustment has no order: " + command);
    }
}
