package io.stockline.reporting;

/**
 * The reporting tables, each written by one connector from one projection topic. Their columns are the
 * projection's field names ({@link io.stockline.topology.projection.Projections}).
 */
public final class Tables {

    /** From {@code stock-levels}, primary key {@code sku}. */
    public static final String STOCK_LEVELS = "stock_levels";
    /** From {@code stock-movements}, primary key {@code movement_id}. */
    public static final String STOCK_MOVEMENTS = "stock_movements";
    /** From {@code order-status}, primary key {@code order_id}. */
    public static final String ORDER_STATUS = "order_status";

    private Tables() {
    }
}
