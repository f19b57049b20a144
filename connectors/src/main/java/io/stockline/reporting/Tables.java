package io.stockline.reporting;

/**
 * The reporting tables, each written by one connector from one contract topic, through
 * {@link LedgerRowConverter}. Their columns are the field names of {@link ReportingRows}.
 */
public final class Tables {

    /** From {@code stock-movements} (the levels after each movement), primary key {@code sku}. */
    public static final String STOCK_LEVELS = "stock_levels";
    /** From {@code stock-movements}, primary key {@code movement_id}. */
    public static final String STOCK_MOVEMENTS = "stock_movements";
    /**
     * From {@code stock-movements} (each place's levels after its latest movement), primary key
     * {@code (sku, location, batch)}.
     */
    public static final String STOCK_PLACES = "stock_places";
    /** From {@code order-outcomes} (the order after each outcome), primary key {@code order_id}. */
    public static final String ORDER_STATUS = "order_status";

    private Tables() {
    }
}
