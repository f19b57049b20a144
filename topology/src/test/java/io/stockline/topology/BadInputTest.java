package io.stockline.topology;

import io.stockline.testkit.GenericEvents;
import io.stockline.testkit.SingleObject;
import static io.stockline.topology.LedgerHarness.line;
import static io.stockline.topology.LedgerHarness.order;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.stockline.schemas.DeadLetter;
import io.stockline.schemas.DeadLetterCode;
import io.stockline.schemas.OrderCancelled;
import io.stockline.schemas.EventTopic;
import io.stockline.schemas.OrderLine;
import io.stockline.schemas.OrderOutcome;
import io.stockline.schemas.OrderPlaced;
import io.stockline.schemas.OrderShipped;
import io.stockline.schemas.OrderStatus;
import io.stockline.schemas.PaymentEvent;
import io.stockline.schemas.PaymentOutcome;
import io.stockline.schemas.StockAdjusted;
import io.stockline.schemas.serde.SchemaVersions;
import io.stockline.schemas.serde.SingleObjectSerdeFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every record the ledger cannot accept becomes exactly one dead letter with a precise code and the
 * original bytes, and the ledger goes on: the order placed right after it is still reserved.
 */
class BadInputTest {

    private static final SingleObjectSerdeFactory SERDES = new SingleObjectSerdeFactory();
    private final LedgerHarness ledger = new LedgerHarness();

    @AfterEach
    void close() {
        ledger.close();
    }

    static Stream<Arguments> badRecords() {
        final byte[] noise = new byte[200];
        new Random(42).nextBytes(noise);
        final byte[] goodOrder = encode(order("o1", "e1", LedgerHarness.START, null, line("A", 1)));
        final byte[] wrongFingerprint = goodOrder.clone();
        wrongFingerprint[4] ^= 0x11;
        final byte[] payment = SERDES.serde(PaymentEvent.class).serializer().serialize(EventTopic.PAYMENTS.topicName(),
                new PaymentEvent("p1", "o1", PaymentOutcome.CAPTURED, LedgerHarness.START, null, true));
        final List<OrderLine> tooMany = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            tooMany.add(line("S" + i, 1));
        }
        final List<Arguments> cases = new ArrayList<>(List.of(
                Arguments.of("random bytes", EventTopic.ORDERS, "o1", noise, DeadLetterCode.MALFORMED_RECORD),
                Arguments.of("truncated avro", EventTopic.ORDERS, "o1", Arrays.copyOf(goodOrder, 15),
                        DeadLetterCode.MALFORMED_RECORD),
                Arguments.of("unknown fingerprint", EventTopic.ORDERS, "o1", wrongFingerprint,
                        DeadLetterCode.UNKNOWN_SCHEMA),
                Arguments.of("another event type", EventTopic.ORDERS, "o1", payment, DeadLetterCode.WRONG_EVENT_TYPE),
                Arguments.of("null key", EventTopic.ORDERS, null, goodOrder, DeadLetterCode.MISSING_KEY),
                Arguments.of("null value", EventTopic.PAYMENTS, "o1", null, DeadLetterCode.MISSING_VALUE),
                Arguments.of("key is not the order id", EventTopic.ORDERS, "o2", goodOrder,
                        DeadLetterCode.KEY_MISMATCH),
                Arguments.of("zero quantity", EventTopic.ORDERS, "o1",
                        encode(order("o1", "e1", LedgerHarness.START, null, line("A", 0))),
                        DeadLetterCode.INVALID_QUANTITY),
                Arguments.of("negative quantity", EventTopic.ORDERS, "o1",
                        encode(order("o1", "e1", LedgerHarness.START, null, line("A", -1))),
                        DeadLetterCode.INVALID_QUANTITY),
                Arguments.of("absurd quantity", EventTopic.ORDERS, "o1",
                        encode(order("o1", "e1", LedgerHarness.START, null, line("A", 1L << 62))),
                        DeadLetterCode.INVALID_QUANTITY),
                Arguments.of("no lines", EventTopic.ORDERS, "o1",
                        encode(order("o1", "e1", LedgerHarness.START, null)), DeadLetterCode.INVALID_LINES),
                Arguments.of("more than 100 lines", EventTopic.ORDERS, "o1",
                        encode(order("o1", "e1", LedgerHarness.START, null, tooMany.toArray(OrderLine[]::new))),
                        DeadLetterCode.INVALID_LINES),
                Arguments.of("blank event id", EventTopic.ORDERS, "o1",
                        encode(order("o1", " ", LedgerHarness.START, null, line("A", 1))), DeadLetterCode.INVALID_ID),
                Arguments.of("10,000-character sku", EventTopic.ORDERS, "o1",
                        encode(order("o1", "e1", LedgerHarness.START, null, line("A".repeat(10_000), 1))),
                        DeadLetterCode.INVALID_ID),
                Arguments.of("control character in an id", EventTopic.PAYMENTS, "o\u0007",
                        SERDES.serde(PaymentEvent.class).serializer().serialize(EventTopic.PAYMENTS.topicName(),
                                new PaymentEvent("p1", "o\u0007", PaymentOutcome.CAPTURED, LedgerHarness.START,
                                        null, true)),
                        DeadLetterCode.INVALID_ID),
                Arguments.of("absurd adjustment", EventTopic.STOCK_ADJUSTMENTS, "A",
                        SERDES.serde(StockAdjusted.class).serializer().serialize(EventTopic.STOCK_ADJUSTMENTS.topicName(),
                                new StockAdjusted("a9", "A", Long.MIN_VALUE, "x", LedgerHarness.START, null, null,
                                        null, null, null, null, null)),
                        DeadLetterCode.INVALID_QUANTITY),
                Arguments.of("a capture that names lines", EventTopic.PAYMENTS, "o1",
                        encode(new PaymentEvent("p1", "o1", PaymentOutcome.CAPTURED, LedgerHarness.START,
                                List.of(line("A", 1)), true)), DeadLetterCode.INVALID_LINES)));
        cases.addAll(badPlaces());
        for (final EventTopic topic : List.of(EventTopic.PAYMENTS, EventTopic.CANCELLATIONS, EventTopic.SHIPMENTS)) {
            final String event = topic.topicName() + ": ";
            cases.add(Arguments.of(event + "a line naming a location", topic, "o1",
                    naming(topic, line("A", 1, "default")), DeadLetterCode.INVALID_LINES));
            cases.add(Arguments.of(event + "a line naming a batch", topic, "o1",
                    naming(topic, line("A", 1, null, "b1")), DeadLetterCode.INVALID_LINES));
            cases.add(Arguments.of(event + "empty lines", topic, "o1", naming(topic), DeadLetterCode.INVALID_LINES));
            cases.add(Arguments.of(event + "more than 100 lines", topic, "o1",
                    naming(topic, tooMany.toArray(OrderLine[]::new)), DeadLetterCode.INVALID_LINES));
            cases.add(Arguments.of(event + "zero quantity", topic, "o1", naming(topic, line("A", 1), line("B", 0)),
                    DeadLetterCode.INVALID_QUANTITY));
            cases.add(Arguments.of(event + "negative quantity", topic, "o1", naming(topic, line("A", -1)),
                    DeadLetterCode.INVALID_QUANTITY));
            cases.add(Arguments.of(event + "blank sku", topic, "o1", naming(topic, line(" ", 1)),
                    DeadLetterCode.INVALID_ID));
            cases.add(Arguments.of(event + "control character in a sku", topic, "o1",
                    naming(topic, line("A\n", 1)), DeadLetterCode.INVALID_ID));
        }
        return cases.stream();
    }

    /** The fields locations and batches added, each bad in one way, in an adjustment of A and in an order. */
    private static List<Arguments> badPlaces() {
        final String longName = "b".repeat(257);
        final String adjustments = EventTopic.STOCK_ADJUSTMENTS.topicName() + ": ";
        final String orders = EventTopic.ORDERS.topicName() + ": ";
        return List.of(
                adjustment(adjustments + "blank location", a -> a.setLocation(" "), DeadLetterCode.INVALID_ID),
                adjustment(adjustments + "location the ledger does not know", a -> a.setLocation("east"),
                        DeadLetterCode.UNKNOWN_LOCATION),
                adjustment(adjustments + "257-character batch", a -> a.setBatch(longName), DeadLetterCode.INVALID_ID),
                adjustment(adjustments + "control character in a batch", a -> a.setBatch("b\n"),
                        DeadLetterCode.INVALID_ID),
                adjustment(adjustments + "batchExpiresAt without a batch",
                        a -> a.setBatchExpiresAt(LedgerHarness.START.plusSeconds(3600)), DeadLetterCode.INVALID_ID),
                adjustment(adjustments + "blank toLocation", a -> a.setToLocation(""), DeadLetterCode.INVALID_ID),
                adjustment(adjustments + "toLocation the ledger does not know", a -> a.setToLocation("east"),
                        DeadLetterCode.UNKNOWN_LOCATION),
                adjustment(adjustments + "transfer to its own location", a -> a.setToLocation("default"),
                        DeadLetterCode.INVALID_TRANSFER),
                adjustment(adjustments + "transfer of no units", a -> a.setDelta(0).setLocation("default")
                        .setToLocation("default"), DeadLetterCode.INVALID_TRANSFER),
                adjustment(adjustments + "attributes without productId", a -> a.setAttributes(Map.of("size", "1l")),
                        DeadLetterCode.INVALID_ID),
                adjustment(adjustments + "blank productId", a -> a.setProductId(" "), DeadLetterCode.INVALID_ID),
                adjustment(adjustments + "257-character attribute value",
                        a -> a.setProductId("cola").setAttributes(Map.of("flavour", longName)),
                        DeadLetterCode.INVALID_ID),
                adjustment(adjustments + "51 attributes", a -> a.setProductId("cola").setAttributes(
                        IntStream.range(0, 51).boxed().collect(Collectors.toMap(i -> "k" + i, i -> "v"))),
                        DeadLetterCode.INVALID_ID),
                Arguments.of(orders + "blank location", EventTopic.ORDERS, "o1",
                        encode(order("o1", "e1", LedgerHarness.START, null, line("A", 1, " "))),
                        DeadLetterCode.INVALID_ID),
                Arguments.of(orders + "location the ledger does not know", EventTopic.ORDERS, "o1",
                        encode(order("o1", "e1", LedgerHarness.START, null, line("A", 1, "east"))),
                        DeadLetterCode.UNKNOWN_LOCATION),
                Arguments.of(orders + "a line naming a batch", EventTopic.ORDERS, "o1",
                        encode(order("o1", "e1", LedgerHarness.START, null, line("A", 1, null, "b1"))),
                        DeadLetterCode.INVALID_LINES),
                Arguments.of(orders + "one sku pinned and not", EventTopic.ORDERS, "o1",
                        encode(order("o1", "e1", LedgerHarness.START, null, line("A", 1, "default"), line("A", 1))),
                        DeadLetterCode.INVALID_LINES));
    }

    /** An adjustment of 1 unit of A at the default place, with one thing changed by {@code bad}. */
    private static Arguments adjustment(final String description, final UnaryOperator<StockAdjusted.Builder> bad,
                                        final DeadLetterCode code) {
        final StockAdjusted adjustment = bad.apply(LedgerHarness.adjustment("a9", "A", 1, LedgerHarness.START))
                .build();
        return Arguments.of(description, EventTopic.STOCK_ADJUSTMENTS, "A", SERDES.serde(StockAdjusted.class)
                .serializer().serialize(EventTopic.STOCK_ADJUSTMENTS.topicName(), adjustment), code);
    }

    /** A valid event of order o1 on {@code topic} (a refund, a cancellation, a shipment) but for the lines it names. */
    private static byte[] naming(final EventTopic topic, final OrderLine... lines) {
        return switch (topic) {
            case PAYMENTS -> encode(new PaymentEvent("p1", "o1", PaymentOutcome.REFUNDED, LedgerHarness.START,
                    List.of(lines), true));
            case CANCELLATIONS -> SERDES.serde(OrderCancelled.class).serializer().serialize(topic.topicName(),
                    new OrderCancelled("c1", "o1", "x", LedgerHarness.START, List.of(lines)));
            case SHIPMENTS -> SERDES.serde(OrderShipped.class).serializer().serialize(topic.topicName(),
                    new OrderShipped("s1", "o1", List.of(lines), LedgerHarness.START));
            default -> throw new IllegalArgumentException(topic + " names no lines");
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRecords")
    void badRecordBecomesOneDeadLetterWithTheOriginalBytesAndProcessingGoesOn(
            final String description, final EventTopic topic, final String key, final byte[] value,
            final DeadLetterCode code) {
        ledger.adjust("a1", "A", 10);

        ledger.pipeRaw(topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value);
        ledger.place("after", line("A", 2));

        final DeadLetter deadLetter = ledger.deadLetters().get(0);
        assertEquals(code, deadLetter.getCode(), deadLetter.getMessage());
        assertEquals(topic.topicName(), deadLetter.getSourceTopic());
        assertEquals(key, deadLetter.getKey());
        assertEquals(0, deadLetter.getPartition());
        if (value == null) {
            assertNull(deadLetter.getPayload());
        } else {
            assertArrayEquals(value, bytes(deadLetter.getPayload()));
        }
        assertEquals(List.of(OrderStatus.RESERVED),
                ledger.outcomes().stream().map(o -> o.getStatus()).toList(), "the ledger went on");
        assertEquals(8, ledger.level("A").available());
    }

    @Test
    void eventBuiltByAForeignProducerFromTheAvscAloneIsReadByTheLedger() throws IOException {
        final Schema.Parser parser = new Schema.Parser();
        parse(parser, "avro/OrderLine.avsc");
        final Schema schema = parse(parser, "avro/OrderPlaced.avsc");
        final GenericRecord event = GenericEvents.record(schema, "eventId", "e1", "orderId", "o1",
                "lines", GenericEvents.oneLine(schema, "A", 3L), "placedAt", LedgerHarness.START.toEpochMilli(),
                "holdMillis", null, "customerId", null);
        ledger.adjust("a1", "A", 10);

        ledger.pipeRaw(EventTopic.ORDERS, "o1".getBytes(StandardCharsets.UTF_8), SingleObject.frame(schema, event));

        assertEquals(OrderStatus.RESERVED, ledger.outcomes().get(0).getStatus());
        assertEquals(3, ledger.level("A").locked());
    }

    @Test
    void eventWrittenWithAnOlderSchemaVersionIsReadByTheLedger() {
        final Schema v1 = SchemaVersions.of(OrderPlaced.class).get(1);
        final GenericRecord event = GenericEvents.record(v1, "eventId", "e1", "orderId", "o1",
                "lines", GenericEvents.oneLine(v1, "A", 2L), "placedAt", LedgerHarness.START.toEpochMilli(),
                "holdMillis", 60_000L);
        ledger.adjust("a1", "A", 10);

        ledger.pipeRaw(EventTopic.ORDERS, "o1".getBytes(StandardCharsets.UTF_8), SingleObject.frame(v1, event));

        assertEquals(OrderStatus.RESERVED, ledger.outcomes().get(0).getStatus());
        assertEquals(2, ledger.level("A").locked());
    }

    @Test
    void aCancellationAndAPaymentOfTheFirstVersionAreForTheWholeOrder() {
        // Given two orders of 2 and 3 units of A, from 10
        ledger.adjust("a1", "A", 10);
        ledger.place("o1", line("A", 2));
        ledger.place("o2", line("A", 3));
        final Schema cancelV1 = SchemaVersions.of(OrderCancelled.class).get(1);
        final Schema paymentV1 = SchemaVersions.of(PaymentEvent.class).get(1);

        // When a v1 cancellation comes for the first and a v1 capture for the second
        ledger.pipeRaw(EventTopic.CANCELLATIONS, "o1".getBytes(StandardCharsets.UTF_8), SingleObject.frame(cancelV1,
                GenericEvents.record(cancelV1, "cancelId", "c1", "orderId", "o1", "reason", "changed",
                        "at", LedgerHarness.START.toEpochMilli())));
        ledger.pipeRaw(EventTopic.PAYMENTS, "o2".getBytes(StandardCharsets.UTF_8), SingleObject.frame(paymentV1,
                GenericEvents.record(paymentV1, "paymentId", "p2", "orderId", "o2", "outcome",
                        new GenericData.EnumSymbol(paymentV1.getField("outcome").schema(), "CAPTURED"),
                        "at", LedgerHarness.START.toEpochMilli())));

        // Then the first is cancelled whole and the second confirmed whole, as before there were lines to name
        assertEquals(List.of(OrderStatus.RESERVED, OrderStatus.RESERVED, OrderStatus.CANCELLED, OrderStatus.CONFIRMED),
                ledger.outcomes().stream().map(OrderOutcome::getStatus).toList());
        assertEquals(List.of(), ledger.deadLetters());
        assertEquals(List.of(7L, 7L, 0L), List.of(ledger.level("A").onHand(), ledger.level("A").available(),
                ledger.level("A").locked()));
    }

    private static Schema parse(final Schema.Parser parser, final String resource) throws IOException {
        try (InputStream in = BadInputTest.class.getClassLoader().getResourceAsStream(resource)) {
            return parser.parse(in);
        }
    }

    private static byte[] encode(final OrderPlaced order) {
        return SERDES.serde(OrderPlaced.class).serializer().serialize(EventTopic.ORDERS.topicName(), order);
    }

    private static byte[] encode(final PaymentEvent payment) {
        return SERDES.serde(PaymentEvent.class).serializer().serialize(EventTopic.PAYMENTS.topicName(), payment);
    }

    private static byte[] bytes(final ByteBuffer buffer) {
        final byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
