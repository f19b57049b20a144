package io.stockline.bench;

/**
 * Every SKU's levels as an engine reports them, by SKU index; a SKU the engine does not know is absent. An engine that
 * keeps stock by place (Stockline) also reports, per SKU, the sums over its places and how many places hold units.
 */
final class Levels {

    private final long[] onHand;
    private final long[] available;
    private final long[] locked;
    private final boolean[] present;
    /** Per SKU: onHand, available and locked summed over its places, then the places holding units; null: none. */
    private long[] places;

    Levels(final int skus) {
        onHand = new long[skus];
        available = new long[skus];
        locked = new long[skus];
        present = new boolean[skus];
    }

    void put(final int sku, final long skuOnHand, final long skuAvailable, final long skuLocked) {
        onHand[sku] = skuOnHand;
        available[sku] = skuAvailable;
        locked[sku] = skuLocked;
        present[sku] = true;
    }

    /** The sums over the SKU's places, and how many of them hold units. */
    void putPlaces(final int sku, final long placesOnHand, final long placesAvailable, final long placesLocked,
                   final int holding) {
        if (places == null) {
            places = new long[present.length * 4];
        }
        places[sku * 4] = placesOnHand;
        places[sku * 4 + 1] = placesAvailable;
        places[sku * 4 + 2] = placesLocked;
        places[sku * 4 + 3] = holding;
    }

    /** Whether the engine reported its SKUs' places. */
    boolean hasPlaces() {
        return places != null;
    }

    /** onHand, available and locked summed over the SKU's places. */
    long[] placeSums(final int sku) {
        return new long[] {places[sku * 4], places[sku * 4 + 1], places[sku * 4 + 2]};
    }

    /** How many of the SKU's places hold units. */
    int placesHolding(final int sku) {
        return (int) places[sku * 4 + 3];
    }

    int size() {
        return present.length;
    }

    boolean present(final int sku) {
        return present[sku];
    }

    long onHand(final int sku) {
        return onHand[sku];
    }

    long available(final int sku) {
        return available[sku];
    }

    long locked(final int sku) {
        return locked[sku];
    }
}
