package io.stockline.ledger;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Units of one SKU that an order gave back, as published on stock-rollbacks. */
public record Rollback(String rollbackId, String orderId, String sku, long quantity, ReleaseCause cause, long at) {

    public static Rollback of(final String orderId, final String sku, final long quantity,
                              final ReleaseCause cause, final long at) {
        return new Rollback(idFor(orderId, sku, cause), orderId, sku, quantity, cause, at);
    }

    /** The rollback of a release. Unshipped units a refund releases are told apart from sold units it takes back. */
    public static Rollback of(final StockCommand.Release release, final long at) {
        final String part = release.cause() == ReleaseCause.REFUNDED
                ? "unshipped" + (release.step() == null ? "" : '\u0000' + release.step()) : release.step();
        return new Rollback(idFor(release.orderId(), release.sku(), release.cause(), part), release.orderId(),
                release.sku(), release.quantity(), release.cause(), at);
    }

    /** The rollback of sold units a refund takes back on hand. */
    public static Rollback of(final StockCommand.Refund refund, final long at) {
        return new Rollback(idFor(refund.orderId(), refund.sku(), ReleaseCause.REFUNDED, refund.step()),
                refund.orderId(), refund.sku(), refund.quantity(), ReleaseCause.REFUNDED, at);
    }

    /**
     * The same release always gets the same id, so a consumer can drop a duplicate without asking
     * us. An order releases each SKU at most once per cause, which makes the id unique.
     */
    public static String idFor(final String orderId, final String sku, final ReleaseCause cause) {
        return idFor(orderId, sku, cause, null);
    }

    /**
     * @param part what tells apart several releases of one SKU for one cause (the cancellation or refund naming
     *             lines); null for the order's one release of the SKU for that cause, whose id is the same as
     *             every earlier version gave it
     */
    public static String idFor(final String orderId, final String sku, final ReleaseCause cause, final String part) {
        final String name = orderId + '\u0000' + sku + '\u0000' + cause.name() + (part == null ? "" : '\u0000' + part);
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
