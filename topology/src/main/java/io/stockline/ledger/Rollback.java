package io.stockline.ledger;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Units of one SKU that an order gave back, as published on stock-rollbacks. */
public record Rollback(String rollbackId, String orderId, String sku, long quantity, ReleaseCause cause, long at) {

    public static Rollback of(final String orderId, final String sku, final long quantity,
                              final ReleaseCause cause, final long at) {
        return new Rollback(idFor(orderId, sku, cause), orderId, sku, quantity, cause, at);
    }

    /**
     * The same release always gets the same id, so a consumer can drop a duplicate without asking
     * us. An order releases each SKU at most once per cause, which makes the id unique.
     */
    public static String idFor(final String orderId, final String sku, final ReleaseCause cause) {
        final String name = orderId + '\u0000' + sku + '\u0000' + cause.name();
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
