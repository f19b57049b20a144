package io.stockline.bench;

/**
 * Every SKU's levels as an engine reports them, by SKU index; a SKU the engine does not know is absent.
 */
final class Levels {

    private final long[] onHand;
    private final long[] available;
    private final long[] locked;
    private final boolean[] present;

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
