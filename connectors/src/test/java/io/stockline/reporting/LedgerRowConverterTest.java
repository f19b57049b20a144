package io.stockline.reporting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stockline.schemas.EventTopic;
import io.stockline.schemas.MovementKind;
import io.stockline.schemas.OrderLine;
import io.stockline.schemas.OrderOutcome;
import io.stockline.schemas.OrderStatus;
import io.stockline.schemas.RollbackCause;
import io.stockline.schemas.StockMovement;
import io.stockline.schemas.serde.SchemaVersions;
import io.stockline.testkit.GenericEvents;
import io.stockline.schemas.serde.SingleObjectSerdeFactory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

class LedgerRowConverterTest {

    private static final String MOVEMENTS = EventTopic.STOCK_MOVEMENTS.topicName();
    private static final String OUTCOMES = EventTopic.ORDER_OUTCOMES.topicName();
    private static final Instant PLACED = Instant.parse("2026-11-22T10:01:00Z");
    private static final Instant AT = Instant.parse("2026-11-22T10:01:02.345Z");
    private static final StockMovement RELEASE = new StockMovement("m-1", "MUG", MovementKind.RELEASE, "o-1", null,
            RollbackCause.EXPIRED, 0L, 3L, -3L, 10L, 8L, 2L, 7L, AT, null, null, null, null, null, null);

    @Test
    void stockMovementsViewIsOneRowPerMovementWithEveryColumn() {
        // When
        final Struct row = convert("stock_movements", MOVEMENTS, RELEASE);

        // Then
        assertEquals(ReportingRows.StockMovements.VALUE, row.schema());
        assertEquals(List.of("m-1", "MUG", "RELEASE", "o-1", "EXPIRED", 0L, 3L, -3L, 10L, 8L, 2L, 7L, Date.from(AT)),
                List.of(row.get("movement_id"), row.get("sku"), row.get("kind"), row.get("order_id"),
                        row.get("cause"), row.get("on_hand_delta"), row.get("available_delta"),
                        row.get("locked_delta"), row.get("on_hand_after"), row.get("available_after"),
                        row.get("locked_after"), row.get("version"), row.get("occurred_at")));
        assertNull(row.get("adjustment_id"));
    }

    @Test
    void shipMovementIsARowOfUnitsLeavingLockedAndOnHandWithNoCause() {
        // Given 2 allocated units shipped (the ledger deducting on shipment)
        final StockMovement ship = new StockMovement("m-2", "MUG", MovementKind.SHIP, "o-1", null, null, -2L, 0L,
                -2L, 8L, 8L, 0L, 9L, AT, null, null, null, null, null, null);

        // When
        final Struct row = convert("stock_movements", MOVEMENTS, ship);

        // Then
        assertEquals(List.of("m-2", "MUG", "SHIP", "o-1", -2L, 0L, -2L, 8L, 8L, 0L, 9L, Date.from(AT)),
                List.of(row.get("movement_id"), row.get("sku"), row.get("kind"), row.get("order_id"),
                        row.get("on_hand_delta"), row.get("available_delta"), row.get("locked_delta"),
                        row.get("on_hand_after"), row.get("available_after"), row.get("locked_after"),
                        row.get("version"), row.get("occurred_at")));
        assertNull(row.get("cause"));
        assertNull(row.get("adjustment_id"));
    }

    @Test
    void everyMovementKindAndOrderStatusOfTheContractIsItsNameInTheRow() {
        // The kind and status columns are strings the sink creates (no ENUM to extend): every symbol the
        // contract has, now or later, lands as written.
        for (final MovementKind kind : MovementKind.values()) {
            final StockMovement movement = new StockMovement("m-" + kind, "MUG", kind,
                    kind == MovementKind.ADJUSTMENT ? null : "o-1", kind == MovementKind.ADJUSTMENT ? "a-1" : null,
                    null, 0L, 0L, 0L, 0L, 0L, 0L, 1L, AT, null, null, null, null, null, null);
            assertEquals(kind.name(), convert("stock_movements", MOVEMENTS, movement).get("kind"));
        }
        for (final OrderStatus status : OrderStatus.values()) {
            final OrderOutcome outcome = new OrderOutcome("o-1", status, null,
                    List.of(new OrderLine("MUG", 1L, null, null)), null, AT, PLACED);
            assertEquals(status.name(), convert("order_status", OUTCOMES, outcome).get("status"));
        }
    }

    @Test
    void stockLevelsViewIsTheSkusLevelsAfterTheMovement() {
        // When
        final Struct row = convert("stock_levels", MOVEMENTS, RELEASE);

        // Then
        assertEquals(ReportingRows.StockLevels.VALUE, row.schema());
        assertEquals(List.of("MUG", 10L, 8L, 2L, 7L, Date.from(AT)), List.of(row.get("sku"), row.get("on_hand"),
                row.get("available"), row.get("locked"), row.get("version"), row.get("updated_at")));
    }

    @Test
    void aMovementAtAPlaceNamesItsLocationBatchAndExpiryAndItsPlaceRowHoldsThePlacesAfters() {
        // Given 2 units of batch B7 (expiring) reserved at north, of a SKU with 10 on hand in all
        final Instant expiry = Instant.parse("2027-03-01T00:00:00Z");
        final StockMovement reserve = new StockMovement("m-5", "MUG", MovementKind.RESERVE, "o-1", null, null, 0L,
                -2L, 2L, 10L, 6L, 4L, 9L, AT, "north", "B7", expiry, 3L, 1L, 2L);

        // When
        final Struct movement = convert("stock_movements", MOVEMENTS, reserve);
        final Struct place = convert("stock_places", MOVEMENTS, reserve);

        // Then the movement says where, and the place's row is that place's levels with the SKU's version
        assertEquals(List.of("north", "B7", Date.from(expiry)), List.of(movement.get("location"),
                movement.get("batch"), movement.get("batch_expires_at")));
        assertEquals(ReportingRows.StockPlaces.VALUE, place.schema());
        assertEquals(List.of("MUG", "north", "B7", Date.from(expiry), 3L, 1L, 2L, 9L, Date.from(AT)),
                placeColumns(place));
    }

    @Test
    void aMovementNamingNoPlaceIsAtTheDefaultLocationOutsideAnyBatchWithTheSkusLevels() {
        // When a movement of a SKU kept wholly at the default place (no location in the record)
        final Struct movement = convert("stock_movements", MOVEMENTS, RELEASE);
        final Struct place = convert("stock_places", MOVEMENTS, RELEASE);

        // Then its location is 'default', its batch none ('' in the place's key), and the place has the SKU's levels
        assertEquals("default", movement.get("location"));
        assertNull(movement.get("batch"));
        assertNull(movement.get("batch_expires_at"));
        assertEquals(Arrays.asList("MUG", "default", "", null, 10L, 8L, 2L, 7L, Date.from(AT)), placeColumns(place));
    }

    @Test
    void aChangeOfTheThresholdAloneIsNoPlacesRowButATombstoneTheSinkSkips() {
        // Given a threshold set on a SKU that may be kept at several places: no place, no units moved
        final StockMovement threshold = new StockMovement("m-6", "MUG", MovementKind.ADJUSTMENT, null, "a-6", null,
                0L, 0L, 0L, 10L, 8L, 2L, 8L, AT, null, null, null, null, null, null);

        // When
        final SchemaAndValue place = converter("stock_places").toConnectData(MOVEMENTS,
                encode(MOVEMENTS, threshold));

        // Then no row of the SKU's totals lands on the default place; the movement itself still is a row
        assertEquals(SchemaAndValue.NULL, place);
        assertEquals("default", convert("stock_movements", MOVEMENTS, threshold).get("location"));
    }

    @Test
    void orderStatusViewIsWhereTheOrderStandsAfterTheOutcome() {
        // Given
        final OrderOutcome reserved = new OrderOutcome("o-1", OrderStatus.RESERVED, null,
                List.of(new OrderLine("MUG", 2L, null, null), new OrderLine("TEE", 1L, null, null)),
                        PLACED.plusSeconds(900), AT, PLACED);

        // When
        final Struct row = convert("order_status", OUTCOMES, reserved);

        // Then
        assertEquals(ReportingRows.OrderStatus.VALUE, row.schema());
        assertEquals(List.of("o-1", "RESERVED", 2, 3L, Date.from(PLACED), Date.from(PLACED.plusSeconds(900)),
                        Date.from(AT)), List.of(row.get("order_id"), row.get("status"), row.get("line_count"),
                        row.get("total_quantity"), row.get("placed_at"), row.get("expires_at"), row.get("updated_at")));
        assertNull(row.get("reason"));
    }

    @Test
    void orderStatusOfAPerLineStepCountsTheLinesItsOutcomeCarries() {
        // Given a partial cancellation (AMENDED: the lines still reserved, and the hold's end), a partial
        // shipment (SHIPPED: the lines shipped) and a return of damaged units (PARTIALLY_REFUNDED: the lines
        // refunded), as the ledger writes them
        final OrderOutcome amended = new OrderOutcome("o-4", OrderStatus.AMENDED, "CANCELLED: size",
                List.of(new OrderLine("MUG", 1L, null, null), new OrderLine("TEE", 2L, null, null)),
                        PLACED.plusSeconds(900), AT, PLACED);
        final OrderOutcome shipped = new OrderOutcome("o-5", OrderStatus.SHIPPED, "still to ship: 1 x TEE",
                List.of(new OrderLine("MUG", 3L, null, null)), null, AT, PLACED);
        final OrderOutcome returned = new OrderOutcome("o-6", OrderStatus.PARTIALLY_REFUNDED,
                "returned damaged, not restocked: 1 x MUG", List.of(new OrderLine("MUG", 1L, null, null)), null, AT,
                PLACED);

        // When / Then: each row is its outcome, as for every other status
        assertEquals(List.of("o-4", "AMENDED", "CANCELLED: size", 2, 3L, Date.from(PLACED.plusSeconds(900))),
                statusColumns(convert("order_status", OUTCOMES, amended)));
        assertEquals(Arrays.asList("o-5", "SHIPPED", "still to ship: 1 x TEE", 1, 3L, null),
                statusColumns(convert("order_status", OUTCOMES, shipped)));
        assertEquals(Arrays.asList("o-6", "PARTIALLY_REFUNDED", "returned damaged, not restocked: 1 x MUG", 1, 1L,
                null), statusColumns(convert("order_status", OUTCOMES, returned)));
    }

    @Test
    void orderStatusViewLeavesOutTimesNoSqlDatetimeHoldsAndThoseAnOlderOutcomeLacks() {
        // Given an outcome written before placedAt existed would read with none; an endless hold ends past 9999
        final OrderOutcome endless = new OrderOutcome("o-2", OrderStatus.RESERVED, null,
                List.of(new OrderLine("MUG", 1L, null, null)), Instant.ofEpochMilli(Long.MAX_VALUE), AT, null);

        // When
        final Struct row = convert("order_status", OUTCOMES, endless);

        // Then
        assertNull(row.get("expires_at"));
        assertNull(row.get("placed_at"));
        assertEquals(Date.from(AT), row.get("updated_at"));
    }

    @Test
    void orderStatusViewReadsAnOutcomeWrittenWithVersionOneWhichHasNoPlacedAt() throws IOException {
        // Given an outcome as the ledger wrote it before OrderOutcome had placedAt
        final Schema v1 = SchemaVersions.of(OrderOutcome.class).get(1);
        final GenericRecord outcome = GenericEvents.record(v1, "orderId", "o-3",
                "status", new GenericData.EnumSymbol(v1.getField("status").schema(), "CONFIRMED"),
                "lines", GenericEvents.oneLine(v1, "MUG", 2L), "at", AT.toEpochMilli());
        final byte[] written = encodeGeneric(v1, outcome);

        // When
        final SchemaAndValue converted = converter("order_status").toConnectData(OUTCOMES, written);

        // Then
        final Struct row = (Struct) converted.value();
        assertEquals(List.of("o-3", "CONFIRMED", 1, 2L, Date.from(AT)), List.of(row.get("order_id"),
                row.get("status"), row.get("line_count"), row.get("total_quantity"), row.get("updated_at")));
        assertNull(row.get("placed_at"));
    }

    @Test
    void movementViewsReadAMovementWrittenWithVersionOneWhichHadNoShip() throws IOException {
        // Given a movement as the ledger wrote it before StockMovement had SHIP
        final Schema v1 = SchemaVersions.of(StockMovement.class).get(1);
        assertEquals(List.of("ADJUSTMENT", "RESERVE", "COMMIT", "RELEASE", "REFUND"),
                v1.getField("kind").schema().getEnumSymbols());
        final GenericRecord commit = GenericEvents.record(v1, "movementId", "m-3", "sku", "MUG",
                "kind", new GenericData.EnumSymbol(v1.getField("kind").schema(), "COMMIT"), "orderId", "o-1",
                "adjustmentId", null, "cause", null, "onHandDelta", -2L, "availableDelta", 0L, "lockedDelta", -2L,
                "onHandAfter", 8L, "availableAfter", 8L, "lockedAfter", 0L, "version", 4L,
                "occurredAt", AT.toEpochMilli());
        final byte[] written = encodeGeneric(v1, commit);

        // When
        final Struct movement = (Struct) converter("stock_movements").toConnectData(MOVEMENTS, written).value();
        final Struct level = (Struct) converter("stock_levels").toConnectData(MOVEMENTS, written).value();

        // Then
        assertEquals(List.of("m-3", "COMMIT", -2L, 4L), List.of(movement.get("movement_id"), movement.get("kind"),
                movement.get("on_hand_delta"), movement.get("version")));
        assertEquals(List.of("MUG", 8L, 8L, 0L, 4L), List.of(level.get("sku"), level.get("on_hand"),
                level.get("available"), level.get("locked"), level.get("version")));
    }

    @Test
    void recordThatIsNotTheViewsContractRecordFailsLoudlyNamingTopicAndView() {
        // Given
        final LedgerRowConverter converter = converter("order_status");
        final byte[] movement = encode(MOVEMENTS, RELEASE);

        // When / Then: a movement is no outcome
        final DataException wrongType = assertThrows(DataException.class,
                () -> converter.toConnectData(OUTCOMES, movement));
        assertTrue(wrongType.getMessage().startsWith("cannot make a order_status row of a record on order-outcomes: "
                + "it is not a OrderOutcome (WRONG_EVENT_TYPE"), wrongType.getMessage());

        // And bytes that are no contract record at all, and a value missing altogether
        final DataException garbage = assertThrows(DataException.class,
                () -> converter.toConnectData(OUTCOMES, "{\"order_id\":\"o-1\"}".getBytes()));
        assertTrue(garbage.getMessage().contains("MALFORMED"), garbage.getMessage());
        assertThrows(DataException.class, () -> converter.toConnectData(OUTCOMES, null));
    }

    @Test
    void unknownViewAndUseAsKeyConverterAreRefusedAtConfiguration() {
        assertThrows(ConfigException.class, () -> new LedgerRowConverter()
                .configure(Map.of(LedgerRowConverter.VIEW_CONFIG, "stock_level"), false));
        assertThrows(ConfigException.class, () -> new LedgerRowConverter().configure(Map.of(), false));
        assertThrows(ConfigException.class, () -> new LedgerRowConverter()
                .configure(Map.of(LedgerRowConverter.VIEW_CONFIG, "stock_levels"), true));
    }

    private static Struct convert(final String view, final String topic, final SpecificRecord record) {
        final SchemaAndValue converted = converter(view).toConnectData(topic, encode(topic, record));
        assertEquals(converted.schema(), ((Struct) converted.value()).schema());
        return (Struct) converted.value();
    }

    private static List<Object> statusColumns(final Struct row) {
        return Arrays.asList(row.get("order_id"), row.get("status"), row.get("reason"), row.get("line_count"),
                row.get("total_quantity"), row.get("expires_at"));
    }

    /** Single-object encoding with an older schema, as a ledger of that version wrote it. */
    private static byte[] encodeGeneric(final Schema schema, final GenericRecord record) throws IOException {
        final ByteBuffer encoded = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), schema).encode(record);
        final byte[] written = new byte[encoded.remaining()];
        encoded.get(written);
        return written;
    }

    private static LedgerRowConverter converter(final String view) {
        final LedgerRowConverter converter = new LedgerRowConverter();
        converter.configure(Map.of(LedgerRowConverter.VIEW_CONFIG, view), false);
        return converter;
    }

    @SuppressWarnings("unchecked")
    private static <T extends SpecificRecord> byte[] encode(final String topic, final T record) {
        return new SingleObjectSerdeFactory().serde((Class<T>) record.getClass()).serializer().serialize(topic, record);
    }

    private static List<Object> placeColumns(final Struct place) {
        return Arrays.asList(place.get("sku"), place.get("location"), place.get("batch"),
                place.get("batch_expires_at"), place.get("on_hand"), place.get("available"), place.get("locked"),
                place.get("version"), place.get("updated_at"));
    }
}
