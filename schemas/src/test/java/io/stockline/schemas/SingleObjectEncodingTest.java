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
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class SingleObjectEncodingTest {

    private static final Instant PLACED_AT = Instant.parse("2026-11-22T10:15:30.123Z");
    private final SingleObjectSerdeFactory serdes = new SingleObjectSerdeFactory();

    @Test
    void everyContractRecordRoundTrips() {
        final OrderPlaced order = order();
        assertEquals(order, roundTrip(OrderPlaced.class, order));
        final PaymentEvent payment = new PaymentEvent("p-1", "o-1", PaymentOutcome.CAPTURED, PLACED_AT);
        assertEquals(payment, roundTrip(PaymentEvent.class, payment));
        final DeadLetter deadLetter = new DeadLetter(EventTopic.ORDERS.topicName(), 3, 42L, null, ByteBuffer.wrap(new byte[] {1, 2}),
                DeadLetterCode.MALFORMED_RECORD, "bad", PLACED_AT);
        assertEquals(deadLetter, roundTrip(DeadLetter.class, deadLetter));
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

        assertEquals(new StockAdjusted("a-1", "sku-1", -3L, "recount", PLACED_AT, null), read);
    }

    @Test
    void readsADeadLetterWrittenBeforeStaleEventWasACodeAndAV1ReaderSeesStaleEventAsUnknown() throws IOException {
        final Schema v1 = SchemaVersions.of(DeadLetter.class).get(1);
        final GenericRecord old = new org.apache.avro.generic.GenericData.Record(v1);
        old.put("sourceTopic", "payments");
        old.put("partition", 0);
        old.put("offset", 7L);
        old.put("code", new org.apache.avro.generic.GenericData.EnumSymbol(v1.getField("code").schema(),
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
                .serialize(EventTopic.PAYMENTS.topicName(), new PaymentEvent("p-1", "o-1", PaymentOutcome.FAILED, PLACED_AT));
        final EventDecodeException e = assertThrows(EventDecodeException.class,
                () -> serdes.serde(OrderPlaced.class).deserializer().deserialize(EventTopic.ORDERS.topicName(), payment));
        assertEquals(DecodeFailure.WRONG_EVENT_TYPE, e.failure());
        assertEquals("expected OrderPlaced but the record is a io.stockline.schemas.PaymentEvent", e.getMessage());
    }

    @Test
    void keepsEveryPublishedVersionNextToTheCurrentOne() {
        final List<Schema> versions = SchemaVersions.of(OrderPlaced.class);
        assertEquals(2, versions.size());
        assertArrayEquals(new Object[] {OrderPlaced.getClassSchema().getFullName()},
                new Object[] {versions.get(1).getFullName()});
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
                .setLines(List.of(new OrderLine("sku-1", 2L), new OrderLine("sku-2", 1L)))
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
