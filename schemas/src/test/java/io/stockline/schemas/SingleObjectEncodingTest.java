package io.stockline.schemas;

import io.stockline.testkit.GenericEvents;
import io.stockline.testkit.SingleObject;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.stockline.schemas.serde.DecodeFailure;
import io.stockline.schemas.serde.EventDecodeException;
import io.stockline.schemas.serde.SchemaVersions;
import io.stockline.schemas.serde.SingleObjectSerdeFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class SingleObjectEncodingTest {

    private static final Instant PLACED_AT = Instant.parse("2026-11-22T10:15:30.123Z");
    private final SingleObjectSerdeFactory serdes = new SingleObjectSerdeFactory();

    @Test
    void everyContractRecordRoundTrips() {
        final OrderPlaced order = order();
        assertEquals(order, roundTrip(OrderPlaced.class, order));
        final PaymentEvent payment = new PaymentEvent("p-1", "o-1", PaymentOutcome.CAPTURED, PLACED_AT, null, true);
        assertEquals(payment, roundTrip(PaymentEvent.class, payment));
        final DeadLetter deadLetter = new DeadLetter(EventTopic.ORDERS.topicName(), 3, 42L, null, ByteBuffer.wrap(new byte[] {1, 2}),
                DeadLetterCode.MALFORMED_RECORD, "bad", PLACED_AT);
        assertEquals(deadLetter, roundTrip(DeadLetter.class, deadLetter));
        final PaymentEvent partialReturn = new PaymentEvent("p-2", "o-1", PaymentOutcome.REFUNDED, PLACED_AT,
                List.of(new OrderLine("sku-1", 1L, null, null)), false);
        assertEquals(partialReturn, roundTrip(PaymentEvent.class, partialReturn));
        final OrderCancelled partialCancel = new OrderCancelled("c-1", "o-1", "one less", PLACED_AT,
                List.of(new OrderLine("sku-2", 1L, null, null)));
        assertEquals(partialCancel, roundTrip(OrderCancelled.class, partialCancel));
        final OrderShipped shipped = new OrderShipped("s-1", "o-1", List.of(new OrderLine("sku-1", 2L, null, null)),
                PLACED_AT);
        assertEquals(shipped, roundTrip(OrderShipped.class, shipped));
        final OrderShipped shippedWhole = new OrderShipped("s-2", "o-1", null, PLACED_AT);
        assertEquals(shippedWhole, roundTrip(OrderShipped.class, shippedWhole));
    }

    /**
     * The fingerprint of every version of a contract schema ever published. A schema changed in place, without its
     * old version kept as {@code <Record>.v<N>.avsc}, drops one of these, and events written with it would become
     * UNKNOWN_SCHEMA dead letters.
     */
    @Test
    void everyPublishedVersionIsStillReadByItsFingerprint() {
        final Map<Class<?>, List<String>> published = Map.of(
                OrderPlaced.class, List.of("fc21c9f7817df9eb", "83cf353927db72cf", "12a8733b7bb97aa7"),
                PaymentEvent.class, List.of("5380b477a8f75f7a", "11a9360396cead11", "7d6a2d61f998ef05"),
                OrderCancelled.class, List.of("731813e6feabc842", "55a196c42de1609b", "9960064fd14dce22"),
                OrderShipped.class, List.of("a2c2ce0382b683cd", "1e11acd44d316b52"),
                StockAdjusted.class, List.of("3c044406d1418ec0", "95e6996fa964fd16", "f614102563779761"),
                OrderOutcome.class, List.of("ee8f4b0fdd8b41bb", "beaf464ed520b13e", "0d961f90d66fcf4b",
                        "9a87158e8569d59b"),
                StockMovement.class, List.of("a16d0c9d5d3f7665", "192ebc2ea4e07dd1", "c66b48084fd3f8d0"),
                DeadLetter.class, List.of("fe1dcd5182afe524", "623e4744578d18b3", "53097d7346e5c98e",
                        "9be8e8a283801ba1"));
        for (final EventTopic topic : EventTopic.values()) {
            final List<String> read = SchemaVersions.of(topic.valueType()).stream()
                    .map(schema -> String.format("%016x", SchemaVersions.fingerprint(schema))).toList();
            final List<String> expected = published.get(topic.valueType());
            if (expected != null) {
                assertEquals(new TreeSet<>(expected), new TreeSet<>(read), topic.topicName());
            }
        }
    }

    @Test
    void readsAnOrderCancelledOfTheFirstVersionAsACancellationOfTheWholeOrder() {
        final Schema v1 = SchemaVersions.of(OrderCancelled.class).get(1);
        final GenericRecord old = GenericEvents.record(v1, "cancelId", "c-1", "orderId", "o-1", "reason", "changed",
                "at", PLACED_AT.toEpochMilli());

        final OrderCancelled read = serdes.serde(OrderCancelled.class).deserializer()
                .deserialize(EventTopic.CANCELLATIONS.topicName(), SingleObject.frame(v1, old));

        assertEquals(new OrderCancelled("c-1", "o-1", "changed", PLACED_AT, null), read);
    }

    @Test
    void readsAPaymentEventOfTheFirstVersionAsOneForTheWholeOrderThatRestocks() {
        final Schema v1 = SchemaVersions.of(PaymentEvent.class).get(1);
        final GenericRecord old = GenericEvents.record(v1, "paymentId", "p-1", "orderId", "o-1",
                "outcome", new GenericData.EnumSymbol(v1.getField("outcome").schema(),
                        "REFUNDED"),
                "at", PLACED_AT.toEpochMilli());

        final PaymentEvent read = serdes.serde(PaymentEvent.class).deserializer()
                .deserialize(EventTopic.PAYMENTS.topicName(), SingleObject.frame(v1, old));

        assertEquals(new PaymentEvent("p-1", "o-1", PaymentOutcome.REFUNDED, PLACED_AT, null, true), read);
    }

    @Test
    void readsAnOrderOutcomeOfTheSecondVersionAndAV2ReaderReadsEveryStatusItKnows() throws IOException {
        final Schema v2 = SchemaVersions.of(OrderOutcome.class).get(2);
        final GenericRecord old = GenericEvents.record(v2, "orderId", "o-1",
                "status", new GenericData.EnumSymbol(v2.getField("status").schema(), "CONFIRMED"),
                "reason", null, "lines", GenericEvents.oneLine(v2, "sku-1", 2L), "expiresAt", null,
                "at", PLACED_AT.toEpochMilli(), "placedAt", PLACED_AT.toEpochMilli());

        final OrderOutcome read = serdes.serde(OrderOutcome.class).deserializer()
                .deserialize(EventTopic.ORDER_OUTCOMES.topicName(), SingleObject.frame(v2, old));
        assertEquals(new OrderOutcome("o-1", OrderStatus.CONFIRMED, null,
                List.of(new OrderLine("sku-1", 2L, null, null)), null, PLACED_AT, PLACED_AT), read);

        // A consumer still on v2 reads the outcomes of a ledger that writes v3, as long as their status is one it knows
        final GenericRecord seenByV2 = readAs(v2, serdes.serde(OrderOutcome.class).serializer().serialize("t", read));
        assertEquals("CONFIRMED", seenByV2.get("status").toString());
    }

    @Test
    void readsAStockMovementOfTheFirstVersionAndAV1ReaderReadsEveryKindItKnows() throws IOException {
        final Schema v1 = SchemaVersions.of(StockMovement.class).get(1);
        final GenericRecord old = GenericEvents.record(v1, "movementId", "m-1", "sku", "sku-1",
                "kind", new GenericData.EnumSymbol(v1.getField("kind").schema(), "COMMIT"),
                "orderId", "o-1", "adjustmentId", null, "cause", null, "onHandDelta", -2L, "availableDelta", 0L,
                "lockedDelta", -2L, "onHandAfter", 8L, "availableAfter", 8L, "lockedAfter", 0L, "version", 3L,
                "occurredAt", PLACED_AT.toEpochMilli());

        final StockMovement read = serdes.serde(StockMovement.class).deserializer()
                .deserialize(EventTopic.STOCK_MOVEMENTS.topicName(), SingleObject.frame(v1, old));
        assertEquals(new StockMovement("m-1", "sku-1", MovementKind.COMMIT, "o-1", null, null, -2L, 0L, -2L, 8L, 8L,
                0L, 3L, PLACED_AT, null, null, null, null, null, null), read);

        final GenericRecord seenByV1 = readAs(v1, serdes.serde(StockMovement.class).serializer().serialize("t", read));
        assertEquals("COMMIT", seenByV1.get("kind").toString());
    }

    @Test
    void aDeadLetterReaderOfTheSecondVersionSeesTheNewCodesAsUnknown() throws IOException {
        final Schema v2 = SchemaVersions.of(DeadLetter.class).get(2);
        final GenericRecord old = GenericEvents.record(v2, "sourceTopic", "orders", "partition", 0, "offset", 9L,
                "key", "o-1", "payload", null,
                "code", new GenericData.EnumSymbol(v2.getField("code").schema(), "STALE_EVENT"),
                "message", "old", "at", PLACED_AT.toEpochMilli());
        final DeadLetter read = serdes.serde(DeadLetter.class).deserializer().deserialize("t", SingleObject.frame(v2, old));
        assertEquals(DeadLetterCode.STALE_EVENT, read.getCode());

        for (final DeadLetterCode code : List.of(DeadLetterCode.CANCEL_EXCEEDS_RESERVED,
                DeadLetterCode.RETURN_EXCEEDS_SOLD, DeadLetterCode.SHIPMENT_EXCEEDS_ALLOCATED)) {
            final DeadLetter refused = new DeadLetter("cancellations", 0, 8L, "o-1", null, code, "too many", PLACED_AT);
            final GenericRecord seenByV2 = readAs(v2, serdes.serde(DeadLetter.class).serializer().serialize("t", refused));
            assertEquals("UNKNOWN", seenByV2.get("code").toString(), code.name());
        }
    }

    @Test
    void readsAnOrderPlacedOfTheSecondVersionWithLinesThatNameNoLocationOrBatch() {
        final Schema v2 = SchemaVersions.of(OrderPlaced.class).get(2);
        final GenericRecord old = genericOrder(v2, "2", 3L, null);
        old.put("customerId", "c-1");

        final OrderPlaced read = serdes.serde(OrderPlaced.class).deserializer()
                .deserialize(EventTopic.ORDERS.topicName(), SingleObject.frame(v2, old));

        assertEquals(new OrderPlaced("e-2", "o-2", List.of(new OrderLine("sku-2", 3L, null, null)), PLACED_AT, null,
                "c-1"), read);
    }

    @Test
    void readsAnOrderOutcomeOfTheThirdVersionWithLinesThatNameNoLocationOrBatch() {
        final Schema v3 = SchemaVersions.of(OrderOutcome.class).get(3);
        final GenericRecord old = GenericEvents.record(v3, "orderId", "o-1",
                "status", new GenericData.EnumSymbol(v3.getField("status").schema(), "SHIPPED"),
                "reason", null, "lines", GenericEvents.oneLine(v3, "sku-1", 2L), "expiresAt", null,
                "at", PLACED_AT.toEpochMilli(), "placedAt", PLACED_AT.toEpochMilli());

        final OrderOutcome read = serdes.serde(OrderOutcome.class).deserializer()
                .deserialize(EventTopic.ORDER_OUTCOMES.topicName(), SingleObject.frame(v3, old));

        assertEquals(new OrderOutcome("o-1", OrderStatus.SHIPPED, null, List.of(new OrderLine("sku-1", 2L, null, null)),
                null, PLACED_AT, PLACED_AT), read);
    }

    @Test
    void readsAStockAdjustedOfTheSecondVersionWithEveryFieldOfTheThirdNull() {
        final Schema v2 = SchemaVersions.of(StockAdjusted.class).get(2);
        final GenericRecord old = GenericEvents.record(v2, "adjustmentId", "a-2", "sku", "sku-1", "delta", 4L,
                "reason", "received", "at", PLACED_AT.toEpochMilli(), "lowStockThreshold", 2L);

        final StockAdjusted read = serdes.serde(StockAdjusted.class).deserializer()
                .deserialize(EventTopic.STOCK_ADJUSTMENTS.topicName(), SingleObject.frame(v2, old));

        assertEquals(new StockAdjusted("a-2", "sku-1", 4L, "received", PLACED_AT, 2L,
                null, null, null, null, null, null), read);
    }

    @Test
    void readsAStockMovementOfTheSecondVersionWithNoPlaces() {
        final Schema v2 = SchemaVersions.of(StockMovement.class).get(2);
        final GenericRecord old = GenericEvents.record(v2, "movementId", "m-2", "sku", "sku-1",
                "kind", new GenericData.EnumSymbol(v2.getField("kind").schema(), "SHIP"),
                "orderId", "o-1", "adjustmentId", null, "cause", null, "onHandDelta", -2L, "availableDelta", 0L,
                "lockedDelta", -2L, "onHandAfter", 6L, "availableAfter", 6L, "lockedAfter", 0L, "version", 4L,
                "occurredAt", PLACED_AT.toEpochMilli());

        final StockMovement read = serdes.serde(StockMovement.class).deserializer()
                .deserialize(EventTopic.STOCK_MOVEMENTS.topicName(), SingleObject.frame(v2, old));

        assertEquals(new StockMovement("m-2", "sku-1", MovementKind.SHIP, "o-1", null, null, -2L, 0L, -2L, 6L, 6L,
                0L, 4L, PLACED_AT, null, null, null, null, null, null), read);
    }

    @Test
    void readsADeadLetterOfTheThirdVersionAndAV3ReaderSeesTheCodesOfTheFourthAsUnknown() throws IOException {
        final Schema v3 = SchemaVersions.of(DeadLetter.class).get(3);
        final GenericRecord old = GenericEvents.record(v3, "sourceTopic", "shipments", "partition", 1, "offset", 5L,
                "key", "o-1", "payload", null,
                "code", new GenericData.EnumSymbol(v3.getField("code").schema(), "SHIPMENT_EXCEEDS_ALLOCATED"),
                "message", "too many", "at", PLACED_AT.toEpochMilli());
        final DeadLetter read = serdes.serde(DeadLetter.class).deserializer().deserialize("t", SingleObject.frame(v3, old));
        assertEquals(new DeadLetter("shipments", 1, 5L, "o-1", null, DeadLetterCode.SHIPMENT_EXCEEDS_ALLOCATED,
                "too many", PLACED_AT), read);

        for (final DeadLetterCode code : List.of(DeadLetterCode.UNKNOWN_LOCATION, DeadLetterCode.UNKNOWN_BATCH,
                DeadLetterCode.BATCH_EXPIRED, DeadLetterCode.BATCH_EXPIRY_MISMATCH,
                DeadLetterCode.TRANSFER_EXCEEDS_AVAILABLE, DeadLetterCode.INVALID_TRANSFER)) {
            final DeadLetter refused = new DeadLetter("stock-adjustments", 0, 8L, "sku-1", null, code, "no", PLACED_AT);
            assertEquals(refused, roundTrip(DeadLetter.class, refused));
            final GenericRecord seenByV3 = readAs(v3, serdes.serde(DeadLetter.class).serializer().serialize("t", refused));
            assertEquals("UNKNOWN", seenByV3.get("code").toString(), code.name());
        }
    }

    @Test
    void aStockAdjustedWithEveryFieldOfTheThirdVersionRoundTrips() {
        final StockAdjusted received = new StockAdjusted("a-3", "sku-1", 12L, "received", PLACED_AT, 3L, "berlin",
                "lot-7", PLACED_AT.plusSeconds(86_400L * 30), null, "mug", Map.of("colour", "blue", "size", "L"));
        final StockAdjusted transfer = new StockAdjusted("a-4", "sku-1", 5L, "rebalance", PLACED_AT, null, "berlin",
                "lot-7", PLACED_AT.plusSeconds(86_400L * 30), "hamburg", null, null);

        assertEquals(received, roundTrip(StockAdjusted.class, received));
        assertEquals(transfer, roundTrip(StockAdjusted.class, transfer));
    }

    @Test
    void aTransferMovementWithItsPlacesRoundTripsAndAV2ReaderCannotReadIt() {
        final StockMovement transfer = new StockMovement("m-3", "sku-1", MovementKind.TRANSFER, null, "a-4", null,
                0L, 0L, 0L, 12L, 12L, 0L, 5L, PLACED_AT, "berlin", "lot-7", PLACED_AT, 7L, 7L, 0L);

        assertEquals(transfer, roundTrip(StockMovement.class, transfer));
        final byte[] written = serdes.serde(StockMovement.class).serializer().serialize("t", transfer);
        assertThrows(org.apache.avro.AvroTypeException.class,
                () -> readAs(SchemaVersions.of(StockMovement.class).get(2), written));
    }

    @Test
    void writesTheSpecifiedFraming() {
        final byte[] bytes = serdes.serde(OrderPlaced.class).serializer().serialize(EventTopic.ORDERS.topicName(), order());
        assertEquals((byte) 0xC3, bytes[0]);
        assertEquals((byte) 0x01, bytes[1]);
        final long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(SchemaNormalization.parsingFingerprint64(OrderPlaced.getClassSchema()), fingerprint);
    }

    @Test
    void readsAnEventWrittenWithAnOlderSchemaVersion() {
        final Schema v1 = SchemaVersions.of(OrderPlaced.class).get(1);
        final GenericRecord old = genericOrder(v1, "1", 2L, null);

        final OrderPlaced read = serdes.serde(OrderPlaced.class).deserializer()
                .deserialize(EventTopic.ORDERS.topicName(), SingleObject.frame(v1, old));

        assertEquals("o-1", read.getOrderId());
        assertEquals(2L, read.getLines().get(0).getQuantity());
        assertEquals(PLACED_AT, read.getPlacedAt());
        assertNull(read.getCustomerId());
    }

    @Test
    void readsAStockAdjustedOfTheFirstVersionAsOneThatLeavesTheThresholdAsItIs() {
        final Schema v1 = SchemaVersions.of(StockAdjusted.class).get(1);
        final GenericRecord old = new org.apache.avro.generic.GenericData.Record(v1);
        old.put("adjustmentId", "a-1");
        old.put("sku", "sku-1");
        old.put("delta", -3L);
        old.put("reason", "recount");
        old.put("at", PLACED_AT.toEpochMilli());

        final StockAdjusted read = serdes.serde(StockAdjusted.class).deserializer()
                .deserialize(EventTopic.STOCK_ADJUSTMENTS.topicName(), SingleObject.frame(v1, old));

        assertEquals(new StockAdjusted("a-1", "sku-1", -3L, "recount", PLACED_AT, null,
                null, null, null, null, null, null), read);
    }

    @Test
    void readsADeadLetterWrittenBeforeStaleEventWasACodeAndAV1ReaderSeesStaleEventAsUnknown() throws IOException {
        final Schema v1 = SchemaVersions.of(DeadLetter.class).get(1);
        final GenericRecord old = new org.apache.avro.generic.GenericData.Record(v1);
        old.put("sourceTopic", "payments");
        old.put("partition", 0);
        old.put("offset", 7L);
        old.put("code", new GenericData.EnumSymbol(v1.getField("code").schema(),
                "ORPHAN_EVENT"));
        old.put("message", "no order");
        old.put("at", PLACED_AT.toEpochMilli());

        final DeadLetter read = serdes.serde(DeadLetter.class).deserializer().deserialize("t", SingleObject.frame(v1, old));
        assertEquals(DeadLetterCode.ORPHAN_EVENT, read.getCode());

        final DeadLetter stale = new DeadLetter("orders", 0, 8L, "o-1", null, DeadLetterCode.STALE_EVENT, "old", PLACED_AT);
        final byte[] body = serdes.serde(DeadLetter.class).serializer().serialize("t", stale);
        final org.apache.avro.generic.GenericDatumReader<GenericRecord> v1Reader =
                new org.apache.avro.generic.GenericDatumReader<>(DeadLetter.getClassSchema(), v1);
        final GenericRecord seenByV1 = v1Reader.read(null, org.apache.avro.io.DecoderFactory.get()
                .binaryDecoder(Arrays.copyOfRange(body, 10, body.length), null));
        assertEquals("UNKNOWN", seenByV1.get("code").toString());
    }

    @Test
    void readsBytesThatAForeignProducerBuiltFromTheAvscAlone() throws IOException {
        final Schema schema = parseContractFile("OrderLine.avsc", "OrderPlaced.avsc");
        final GenericRecord event = genericOrder(schema, "9", 5L, 60_000L);
        event.put("customerId", "c-1");

        final OrderPlaced read = serdes.serde(OrderPlaced.class).deserializer()
                .deserialize(EventTopic.ORDERS.topicName(), SingleObject.frame(schema, event));

        assertEquals("o-9", read.getOrderId());
        assertEquals(60_000L, read.getHoldMillis());
        assertEquals("c-1", read.getCustomerId());
    }

    @Test
    void classifiesRandomBytesAsMalformed() {
        final byte[] noise = new byte[64];
        new Random(7).nextBytes(noise);
        assertEquals(DecodeFailure.MALFORMED, failureOf(OrderPlaced.class, noise));
    }

    @Test
    void classifiesATruncatedBodyAsMalformed() {
        final byte[] bytes = serdes.serde(OrderPlaced.class).serializer().serialize(EventTopic.ORDERS.topicName(), order());
        assertEquals(DecodeFailure.MALFORMED, failureOf(OrderPlaced.class, Arrays.copyOf(bytes, bytes.length - 3)));
    }

    @Test
    void classifiesAnUnpublishedFingerprintAsUnknownSchema() {
        final byte[] bytes = serdes.serde(OrderPlaced.class).serializer().serialize(EventTopic.ORDERS.topicName(), order());
        bytes[5] ^= 0x5A;
        assertEquals(DecodeFailure.UNKNOWN_SCHEMA, failureOf(OrderPlaced.class, bytes));
    }

    @Test
    void classifiesAnotherContractRecordAsWrongEventType() {
        final byte[] payment = serdes.serde(PaymentEvent.class).serializer()
                .serialize(EventTopic.PAYMENTS.topicName(),
                        new PaymentEvent("p-1", "o-1", PaymentOutcome.FAILED, PLACED_AT, null, true));
        final EventDecodeException e = assertThrows(EventDecodeException.class,
                () -> serdes.serde(OrderPlaced.class).deserializer().deserialize(EventTopic.ORDERS.topicName(), payment));
        assertEquals(DecodeFailure.WRONG_EVENT_TYPE, e.failure());
        assertEquals("expected OrderPlaced but the record is a io.stockline.schemas.PaymentEvent", e.getMessage());
    }

    @Test
    void keepsEveryPublishedVersionNextToTheCurrentOne() {
        final List<Schema> versions = SchemaVersions.of(OrderPlaced.class);
        assertEquals(3, versions.size());
        assertArrayEquals(new Object[] {OrderPlaced.getClassSchema().getFullName()},
                new Object[] {versions.get(1).getFullName()});
    }

    /** A record the ledger wrote (single-object bytes, current schema) as a reader that knows only {@code reader} sees it. */
    private static GenericRecord readAs(final Schema reader, final byte[] singleObject) throws IOException {
        final Schema writer = SpecificData.get().getSchema(SpecificData.get().getClass(reader));
        return new GenericDatumReader<GenericRecord>(writer, reader).read(null, DecoderFactory.get()
                .binaryDecoder(Arrays.copyOfRange(singleObject, 10, singleObject.length), null));
    }

    private <T extends org.apache.avro.specific.SpecificRecord> T roundTrip(final Class<T> type, final T event) {
        final Serde<T> serde = serdes.serde(type);
        return serde.deserializer().deserialize("t", serde.serializer().serialize("t", event));
    }

    private DecodeFailure failureOf(final Class<? extends org.apache.avro.specific.SpecificRecord> type,
                                    final byte[] bytes) {
        return assertThrows(EventDecodeException.class,
                () -> serdes.serde(type).deserializer().deserialize("t", bytes)).failure();
    }

    private static OrderPlaced order() {
        return OrderPlaced.newBuilder().setEventId("e-1").setOrderId("o-1")
                .setLines(List.of(new OrderLine("sku-1", 2L, null, null), new OrderLine("sku-2", 1L, null, null)))
                .setPlacedAt(PLACED_AT).setHoldMillis(null).build();
    }

    /** Order {@code o-ID} of one line, {@code sku-ID} x quantity, as a generic record of {@code schema}. */
    private static GenericRecord genericOrder(final Schema schema, final String id, final long quantity,
                                              final Long holdMillis) {
        return GenericEvents.record(schema, "eventId", "e-" + id, "orderId", "o-" + id,
                "lines", GenericEvents.oneLine(schema, "sku-" + id, quantity), "placedAt", PLACED_AT.toEpochMilli(),
                "holdMillis", holdMillis);
    }

    private static Schema parseContractFile(final String... files) throws IOException {
        final Schema.Parser parser = new Schema.Parser();
        Schema last = null;
        for (final String file : files) {
            try (InputStream in = SingleObjectEncodingTest.class.getClassLoader().getResourceAsStream("avro/" + file)) {
                last = parser.parse(in);
            }
        }
        return last;
    }
}
