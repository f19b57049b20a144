package io.stockline.topology.projection;

import io.stockline.ledger.Line;
import io.stockline.ledger.Movement;
import io.stockline.ledger.Order;
import io.stockline.ledger.StockLevel;
import java.time.Instant;
import java.util.Date;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;

/**
 * The ledger's reporting projections as Kafka Connect records: a struct key and a struct value each,
 * field names in snake_case (they become the column names), times as Connect's Timestamp. A JDBC sink
 * reads them with {@code JsonConverter} and {@code schemas.enable=true}, no schema registry needed.
 *
 * <p>A time a SQL {@code DATETIME} cannot hold (before 1970 or after 9999, which a producer can ask for
 * with an odd {@code placedAt} or a huge hold) is projected as null rather than stop the sink.
 */
public final class Projections {

    /** Years 1970 to 9999: what MySQL's {@code DATETIME} (and every other SQL timestamp) holds. */
    static final long EARLIEST_MILLIS = 0L;
    static final long LATEST_MILLIS = Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli();

    private static final Schema TIME = Timestamp.SCHEMA;
    private static final Schema OPTIONAL_TIME = Timestamp.builder().optional().build();

    private Projections() {
    }

    /** {@code stock-levels}: a SKU's levels after each change. Keyed by SKU, compacted. */
    public static final class StockLevels {
        public static final String SKU = "sku";
        public static final String ON_HAND = "on_hand";
        public static final String AVAILABLE = "available";
        public static final String LOCKED = "locked";
        public static final String VERSION = "version";
        public static final String UPDATED_AT = "updated_at";

        public static final Schema KEY = SchemaBuilder.struct().name("io.stockline.StockLevelKey").version(1)
                .field(SKU, Schema.STRING_SCHEMA).build();
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

    /** {@code stock-movements}: one record per change of a SKU's levels. Keyed by SKU. */
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

        public static final Schema KEY = StockLevels.KEY;
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
                .build();

        private StockMovements() {
        }
    }

    /** {@code order-status}: where each order stands, once its own event has been decided. Keyed by order id, compacted. */
    public static final class OrderStatus {
        public static final String ORDER_ID = "order_id";
        public static final String STATUS = "status";
        public static final String REASON = "reason";
        public static final String LINE_COUNT = "line_count";
        public static final String TOTAL_QUANTITY = "total_quantity";
        public static final String PLACED_AT = "placed_at";
        public static final String EXPIRES_AT = "expires_at";
        public static final String UPDATED_AT = "updated_at";

        public static final Schema KEY = SchemaBuilder.struct().name("io.stockline.OrderStatusKey").version(1)
                .field(ORDER_ID, Schema.STRING_SCHEMA).build();
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

    public static Struct skuKey(final String sku) {
        return new Struct(StockLevels.KEY).put(StockLevels.SKU, sku);
    }

    public static Struct stockLevel(final StockLevel level) {
        return new Struct(StockLevels.VALUE)
                .put(StockLevels.SKU, level.sku())
                .put(StockLevels.ON_HAND, level.onHand())
                .put(StockLevels.AVAILABLE, level.available())
                .put(StockLevels.LOCKED, level.locked())
                .put(StockLevels.VERSION, level.version())
                .put(StockLevels.UPDATED_AT, new Date(level.updatedAt()));
    }

    public static Struct movement(final Movement movement) {
        final StockLevel after = movement.after();
        return new Struct(StockMovements.VALUE)
                .put(StockMovements.MOVEMENT_ID, movement.movementId())
                .put(StockMovements.SKU, movement.sku())
                .put(StockMovements.KIND, movement.kind().name())
                .put(StockMovements.ORDER_ID, movement.orderId())
                .put(StockMovements.ADJUSTMENT_ID, movement.adjustmentId())
                .put(StockMovements.CAUSE, movement.cause() == null ? null : movement.cause().name())
                .put(StockMovements.ON_HAND_DELTA, movement.onHandDelta())
                .put(StockMovements.AVAILABLE_DELTA, movement.availableDelta())
                .put(StockMovements.LOCKED_DELTA, movement.lockedDelta())
                .put(StockMovements.ON_HAND_AFTER, after.onHand())
                .put(StockMovements.AVAILABLE_AFTER, after.available())
                .put(StockMovements.LOCKED_AFTER, after.locked())
                .put(StockMovements.VERSION, after.version())
                .put(StockMovements.OCCURRED_AT, new Date(movement.at()));
    }

    public static Struct orderKey(final String orderId) {
        return new Struct(OrderStatus.KEY).put(OrderStatus.ORDER_ID, orderId);
    }

    public static Struct orderStatus(final Order order) {
        return new Struct(OrderStatus.VALUE)
                .put(OrderStatus.ORDER_ID, order.orderId())
                .put(OrderStatus.STATUS, order.status().name())
                .put(OrderStatus.REASON, order.reason())
                .put(OrderStatus.LINE_COUNT, order.lines().size())
                .put(OrderStatus.TOTAL_QUANTITY, order.lines().stream().mapToLong(Line::quantity).sum())
                .put(OrderStatus.PLACED_AT, timeOrNull(order.placedAt()))
                .put(OrderStatus.EXPIRES_AT, timeOrNull(order.expiresAt()))
                .put(OrderStatus.UPDATED_AT, new Date(order.updatedAt()));
    }

    static Date timeOrNull(final long epochMillis) {
        return epochMillis < EARLIEST_MILLIS || epochMillis > LATEST_MILLIS ? null : new Date(epochMillis);
    }
}
