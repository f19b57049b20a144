package io.stockline.reporting;

import io.stockline.ledger.Place;
import io.stockline.schemas.OrderLine;
import io.stockline.schemas.OrderOutcome;
import io.stockline.schemas.StockMovement;
import java.time.Instant;
import java.util.Date;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;

/**
 * The reporting tables' rows as Kafka Connect structs, made from the contract's records: field names in
 * snake_case (they become the column names), times as Connect's {@link Timestamp}. {@link LedgerRowConverter}
 * hands them to the JDBC sink.
 *
 * <p>A time a SQL {@code DATETIME} cannot hold (before 1970 or after 9999, which a producer can ask for
 * with an odd {@code placedAt} or a huge hold) becomes null rather than stop the sink.
 */
public final class ReportingRows {

    /** Years 1970 to 9999: what MySQL's {@code DATETIME} (and every other SQL timestamp) holds. */
    static final long EARLIEST_MILLIS = 0L;
    static final long LATEST_MILLIS = Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli();

    private static final Schema TIME = Timestamp.SCHEMA;
    private static final Schema OPTIONAL_TIME = Timestamp.builder().optional().build();
    private static final Schema LOCATION_COLUMN = SchemaBuilder.string().defaultValue(Place.DEFAULT_LOCATION).build();

    private ReportingRows() {
    }

    /** {@code stock_levels}: a SKU's levels after its latest movement; primary key {@code sku}. */
    public static final class StockLevels {
        public static final String SKU = "sku";
        public static final String ON_HAND = "on_hand";
        public static final String AVAILABLE = "available";
        public static final String LOCKED = "locked";
        public static final String VERSION = "version";
        public static final String UPDATED_AT = "updated_at";

        public static final Schema VALUE = SchemaBuilder.struct().name("io.stockline.StockLevel").version(1)
                .field(SKU, Schema.STRING_SCHEMA)
                .field(ON_HAND, Schema.INT64_SCHEMA)
                .field(AVAILABLE, Schema.INT64_SCHEMA)
                .field(LOCKED, Schema.INT64_SCHEMA)
                .field(VERSION, Schema.INT64_SCHEMA)
                .field(UPDATED_AT, TIME)
                .build();

        private StockLevels() {
        }
    }

    /** {@code stock_movements}: one row per change of a SKU's levels; primary key {@code movement_id}. */
    public static final class StockMovements {
        public static final String MOVEMENT_ID = "movement_id";
        public static final String SKU = "sku";
        public static final String KIND = "kind";
        public static final String ORDER_ID = "order_id";
        public static final String ADJUSTMENT_ID = "adjustment_id";
        public static final String CAUSE = "cause";
        public static final String ON_HAND_DELTA = "on_hand_delta";
        public static final String AVAILABLE_DELTA = "available_delta";
        public static final String LOCKED_DELTA = "locked_delta";
        public static final String ON_HAND_AFTER = "on_hand_after";
        public static final String AVAILABLE_AFTER = "available_after";
        public static final String LOCKED_AFTER = "locked_after";
        public static final String VERSION = "version";
        public static final String OCCURRED_AT = "occurred_at";
        public static final String LOCATION = "location";
        public static final String BATCH = "batch";
        public static final String BATCH_EXPIRES_AT = "batch_expires_at";

        public static final Schema VALUE = SchemaBuilder.struct().name("io.stockline.StockMovement").version(1)
                .field(MOVEMENT_ID, Schema.STRING_SCHEMA)
                .field(SKU, Schema.STRING_SCHEMA)
                .field(KIND, Schema.STRING_SCHEMA)
                .field(ORDER_ID, Schema.OPTIONAL_STRING_SCHEMA)
                .field(ADJUSTMENT_ID, Schema.OPTIONAL_STRING_SCHEMA)
                .field(CAUSE, Schema.OPTIONAL_STRING_SCHEMA)
                .field(ON_HAND_DELTA, Schema.INT64_SCHEMA)
                .field(AVAILABLE_DELTA, Schema.INT64_SCHEMA)
                .field(LOCKED_DELTA, Schema.INT64_SCHEMA)
                .field(ON_HAND_AFTER, Schema.INT64_SCHEMA)
                .field(AVAILABLE_AFTER, Schema.INT64_SCHEMA)
                .field(LOCKED_AFTER, Schema.INT64_SCHEMA)
                .field(VERSION, Schema.INT64_SCHEMA)
                .field(OCCURRED_AT, TIME)
                // Since the ledger knows locations: the default's name for a record that names none, so that an
                // analyst can group by it, and so that the sink can add the column to a table an earlier version
                // created (it adds a NOT NULL column only with a default, which the rows already there take).
                .field(LOCATION, LOCATION_COLUMN)
                .field(BATCH, Schema.OPTIONAL_STRING_SCHEMA)
                .field(BATCH_EXPIRES_AT, OPTIONAL_TIME)
                .build();

        private StockMovements() {
        }
    }

    /**
     * {@code stock_places}: a place's levels (a location, and a batch or none) after its latest movement; primary
     * key {@code (sku, location, batch)}. {@code batch} is {@value #NO_BATCH} for units outside any batch: a key
     * column cannot be null.
     */
    public static final class StockPlaces {
        public static final String SKU = "sku";
        public static final String LOCATION = "location";
        public static final String BATCH = "batch";
        public static final String BATCH_EXPIRES_AT = "batch_expires_at";
        public static final String ON_HAND = "on_hand";
        public static final String AVAILABLE = "available";
        public static final String LOCKED = "locked";
        public static final String VERSION = "version";
        public static final String UPDATED_AT = "updated_at";
        /** The {@code batch} of units outside any batch. */
        public static final String NO_BATCH = "";

        public static final Schema VALUE = SchemaBuilder.struct().name("io.stockline.StockPlace").version(1)
                .field(SKU, Schema.STRING_SCHEMA)
                .field(LOCATION, Schema.STRING_SCHEMA)
                .field(BATCH, Schema.STRING_SCHEMA)
                .field(BATCH_EXPIRES_AT, OPTIONAL_TIME)
                .field(ON_HAND, Schema.INT64_SCHEMA)
                .field(AVAILABLE, Schema.INT64_SCHEMA)
                .field(LOCKED, Schema.INT64_SCHEMA)
                .field(VERSION, Schema.INT64_SCHEMA)
                .field(UPDATED_AT, TIME)
                .build();

        private StockPlaces() {
        }
    }

    /** {@code order_status}: where each order stands after its latest outcome; primary key {@code order_id}. */
    public static final class OrderStatus {
        public static final String ORDER_ID = "order_id";
        public static final String STATUS = "status";
        public static final String REASON = "reason";
        public static final String LINE_COUNT = "line_count";
        public static final String TOTAL_QUANTITY = "total_quantity";
        public static final String PLACED_AT = "placed_at";
        public static final String EXPIRES_AT = "expires_at";
        public static final String UPDATED_AT = "updated_at";

        public static final Schema VALUE = SchemaBuilder.struct().name("io.stockline.OrderStatus").version(1)
                .field(ORDER_ID, Schema.STRING_SCHEMA)
                .field(STATUS, Schema.STRING_SCHEMA)
                .field(REASON, Schema.OPTIONAL_STRING_SCHEMA)
                .field(LINE_COUNT, Schema.INT32_SCHEMA)
                .field(TOTAL_QUANTITY, Schema.INT64_SCHEMA)
                .field(PLACED_AT, OPTIONAL_TIME)
                .field(EXPIRES_AT, OPTIONAL_TIME)
                .field(UPDATED_AT, TIME)
                .build();

        private OrderStatus() {
        }
    }

    public static Struct movement(final StockMovement movement) {
        return new Struct(StockMovements.VALUE)
                .put(StockMovements.MOVEMENT_ID, movement.getMovementId())
                .put(StockMovements.SKU, movement.getSku())
                .put(StockMovements.KIND, movement.getKind().name())
                .put(StockMovements.ORDER_ID, movement.getOrderId())
                .put(StockMovements.ADJUSTMENT_ID, movement.getAdjustmentId())
                .put(StockMovements.CAUSE, movement.getCause() == null ? null : movement.getCause().name())
                .put(StockMovements.ON_HAND_DELTA, movement.getOnHandDelta())
                .put(StockMovements.AVAILABLE_DELTA, movement.getAvailableDelta())
                .put(StockMovements.LOCKED_DELTA, movement.getLockedDelta())
                .put(StockMovements.ON_HAND_AFTER, movement.getOnHandAfter())
                .put(StockMovements.AVAILABLE_AFTER, movement.getAvailableAfter())
                .put(StockMovements.LOCKED_AFTER, movement.getLockedAfter())
                .put(StockMovements.VERSION, movement.getVersion())
                .put(StockMovements.OCCURRED_AT, Date.from(movement.getOccurredAt()))
                .put(StockMovements.LOCATION, locationOf(movement))
                .put(StockMovements.BATCH, movement.getBatch())
                .put(StockMovements.BATCH_EXPIRES_AT, timeOrNull(movement.getBatchExpiresAt()));
    }

    /**
     * The levels of the place {@code movement} moved units at, after it, with the SKU's version; null for a
     * movement that names no place and moved nothing (a change of the threshold alone), which says nothing of
     * any place: of a SKU kept at several places it carries the SKU's totals, no place's. A movement that names
     * no place but moved units is of a SKU kept wholly at the default place, whose levels are the SKU's.
     */
    public static Struct place(final StockMovement movement) {
        final boolean named = movement.getLocation() != null;
        if (!named && movement.getOnHandDelta() == 0 && movement.getAvailableDelta() == 0
                && movement.getLockedDelta() == 0) {
            return null;
        }
        return new Struct(StockPlaces.VALUE)
                .put(StockPlaces.SKU, movement.getSku())
                .put(StockPlaces.LOCATION, locationOf(movement))
                .put(StockPlaces.BATCH, movement.getBatch() == null ? StockPlaces.NO_BATCH : movement.getBatch())
                .put(StockPlaces.BATCH_EXPIRES_AT, timeOrNull(movement.getBatchExpiresAt()))
                .put(StockPlaces.ON_HAND, named ? movement.getPlaceOnHandAfter() : movement.getOnHandAfter())
                .put(StockPlaces.AVAILABLE, named ? movement.getPlaceAvailableAfter() : movement.getAvailableAfter())
                .put(StockPlaces.LOCKED, named ? movement.getPlaceLockedAfter() : movement.getLockedAfter())
                .put(StockPlaces.VERSION, movement.getVersion())
                .put(StockPlaces.UPDATED_AT, Date.from(movement.getOccurredAt()));
    }

    private static String locationOf(final StockMovement movement) {
        return movement.getLocation() == null ? Place.DEFAULT_LOCATION : movement.getLocation();
    }

    /** The SKU's levels after {@code movement}: its afters, version and time. */
    public static Struct level(final StockMovement movement) {
        return new Struct(StockLevels.VALUE)
                .put(StockLevels.SKU, movement.getSku())
                .put(StockLevels.ON_HAND, movement.getOnHandAfter())
                .put(StockLevels.AVAILABLE, movement.getAvailableAfter())
                .put(StockLevels.LOCKED, movement.getLockedAfter())
                .put(StockLevels.VERSION, movement.getVersion())
                .put(StockLevels.UPDATED_AT, Date.from(movement.getOccurredAt()));
    }

    public static Struct orderStatus(final OrderOutcome outcome) {
        return new Struct(OrderStatus.VALUE)
                .put(OrderStatus.ORDER_ID, outcome.getOrderId())
                .put(OrderStatus.STATUS, outcome.getStatus().name())
                .put(OrderStatus.REASON, outcome.getReason())
                .put(OrderStatus.LINE_COUNT, outcome.getLines().size())
                .put(OrderStatus.TOTAL_QUANTITY, outcome.getLines().stream().mapToLong(OrderLine::getQuantity).sum())
                .put(OrderStatus.PLACED_AT, timeOrNull(outcome.getPlacedAt()))
                .put(OrderStatus.EXPIRES_AT, timeOrNull(outcome.getExpiresAt()))
                .put(OrderStatus.UPDATED_AT, Date.from(outcome.getAt()));
    }

    static Date timeOrNull(final Instant time) {
        if (time == null) {
            return null;
        }
        final long millis = time.toEpochMilli();
        return millis < EARLIEST_MILLIS || millis > LATEST_MILLIS ? null : new Date(millis);
    }
}
