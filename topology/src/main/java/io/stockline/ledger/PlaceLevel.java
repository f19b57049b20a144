package io.stockline.ledger;

/**
 * The part of a SKU's stock at one {@link Place}. Obeys the same invariants as the SKU's level: {@code available +
 * locked == onHand}, neither below 0.
 */
public record PlaceLevel(Place place, long onHand, long available, long locked) {

    public static PlaceLevel empty(final Place place) {
        return new PlaceLevel(place, 0, 0, 0);
    }

    public boolean isEmpty() {
        return onHand == 0 && available == 0 && locked == 0;
    }

    /** Units that could be reserved at {@code now}: none once the batch has expired. */
    public long reservableAt(final long now) {
        return place.isExpiredAt(now) ? 0 : available;
    }

    /** Units not locked in a batch that has expired: on hand, but never reserved. */
    public long expiredAt(final long now) {
        return place.isExpiredAt(now) ? available : 0;
    }

    PlaceLevel plus(final long onHandDelta, final long availableDelta, final long lockedDelta) {
        return new PlaceLevel(place, Math.addExact(onHand, onHandDelta), Math.addExact(available, availableDelta),
                Math.addExact(locked, lockedDelta));
    }
}
