package io.stockline.ledger;

/** Everything the stock side acts on, keyed by SKU. */
public sealed interface StockCommand {

    String sku();

    /** An accepted StockAdjusted event. */
    record Adjust(String adjustmentId, String sku, long delta, String reason, long at, Origin origin)
            implements StockCommand {
    }

    /** Lock {@code quantity} for a pending order, or say it does not fit. */
    record Reserve(String orderId, String sku, long quantity) implements StockCommand {
    }

    /** The order was paid: the locked units are sold. */
    record Commit(String orderId, String sku, long quantity) implements StockCommand {
    }

    /** The order let go of its units: locked back to available. */
    record Release(String orderId, String sku, long quantity, ReleaseCause cause) implements StockCommand {
    }

    /** The order was refunded: sold units come back on hand. */
    record Refund(String orderId, String sku, long quantity) implements StockCommand {
    }
}
