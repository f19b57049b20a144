package io.stockline.ledger;

import java.util.Comparator;
import java.util.Objects;

/**
 * Where units of a SKU sit: a location and, for goods kept by batch, the batch and its expiry.
 *
 * @param location  never null; {@link #DEFAULT_LOCATION} for every event that names none
 * @param batch     null for units kept outside any batch
 * @param expiresAt the batch's expiry; null for units outside a batch, or a batch that never expires
 */
public record Place(String location, String batch, Long expiresAt) {

    public static final String DEFAULT_LOCATION = "default";
    /** Where every unit of a SKU is until an adjustment names a location or a batch. */
    public static final Place DEFAULT = new Place(DEFAULT_LOCATION, null, null);

    /**
     * First-expiry-first-out within a location: the earliest expiry first, batches that never expire and units outside
     * a batch last; then by batch name, so the order is the same on every instance.
     */
    public static final Comparator<Place> FEFO = Comparator
            .comparing(Place::expiresAt, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(Place::batch, Comparator.nullsLast(Comparator.naturalOrder()));

    public Place {
        Objects.requireNonNull(location, "location");
        if (batch == null && expiresAt != null) {
            throw new IllegalArgumentException("only a batch has an expiry");
        }
    }

    public static Place at(final String location) {
        return location == null || location.equals(DEFAULT_LOCATION) ? DEFAULT : new Place(location, null, null);
    }

    public boolean isDefault() {
        return equals(DEFAULT);
    }

    /** Whether a batch has passed its expiry at {@code now}: its units are never reserved from then on. */
    public boolean isExpiredAt(final long now) {
        return expiresAt != null && expiresAt <= now;
    }

    /** The same location and batch, whatever expiry either says. */
    public boolean sameSpot(final Place other) {
        return location.equals(other.location) && Objects.equals(batch, other.batch);
    }

    @Override
    public String toString() {
        return batch == null ? location : location + "/" + batch;
    }
}
