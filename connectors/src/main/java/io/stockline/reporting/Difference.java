package io.stockline.reporting;

/**
 * One thing reconcile found wrong with one SKU.
 *
 * @param check    what was compared, e.g. {@code available} (MySQL against the ledger) or
 *                 {@code sum(on_hand_delta) = on_hand} (within MySQL)
 * @param found    what MySQL has
 * @param expected what it should have: the ledger's value, or the other side of the rule
 */
public record Difference(String sku, String check, String found, String expected) {
}
