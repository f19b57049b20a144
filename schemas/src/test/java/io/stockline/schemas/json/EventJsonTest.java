package io.stockline.schemas.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.stockline.schemas.DeadLetter;
import io.stockline.schemas.DeadLetterCode;
import io.stockline.schemas.EventTopic;
import io.stockline.schemas.MovementKind;
import io.stockline.schemas.OrderCancelled;
import io.stockline.schemas.OrderLine;
import io.stockline.schemas.OrderOutcome;
import io.stockline.schemas.OrderPlaced;
import io.stockline.schemas.OrderShipped;
import io.stockline.schemas.OrderStatus;
import io.stockline.schemas.PaymentEvent;
import io.stockline.schemas.PaymentOutcome;
import io.stockline.schemas.StockAdjusted;
import io.stockline.schemas.StockMovement;
import io.stockline.schemas.serde.SingleObjectSerdeFactory;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventJsonTest {

    private static final Instant AT = Instant.parse("2026-11-22T10:00:00.250Z");

    @Test
    void readsAnOrderWrittenAsPlainJson() throws Exception {
        final OrderPlaced order = EventJson.read("""
                {"eventId":"e1","orderId":"o1","lines":[{"sku":"A","quantity":2}],
                 "placedAt":"2026-11-22T10:00:00Z","holdMillis":null}""", OrderPlaced.class);

        assertEquals("o1", order.getOrderId());
        assertEquals(List.of(new OrderLine("A", 2L, null, null)), order.getLines());
        assertEquals(Instant.parse("2026-11-22T10:00:00Z"), order.getPlacedAt());
        assertNull(order.getHoldMillis());
        assertNull(order.getCustomerId());
    }

    @Test
    void acceptsEpochMillisAndOffsetsForTimestamps() throws Exception {
        final PaymentEvent millis = EventJson.read(
                "{\"paymentId\":\"p\",\"orderId\":\"o\",\"outcome\":\"CAPTURED\",\"at\":" + AT.toEpochMilli() + "}",
                PaymentEvent.class);
        final PaymentEvent offset = EventJson.read(
                "{\"paymentId\":\"p\",\"orderId\":\"o\",\"outcome\":\"CAPTURED\","
                        + "\"at\":\"2026-11-22T11:00:00.250+01:00\"}",
                PaymentEvent.class);

        assertEquals(AT, millis.getAt());
        assertEquals(AT, offset.getAt());
    }

    @Test
    void everyKindOfFieldRoundTrips() throws Exception {
        final OrderPlaced order = new OrderPlaced("e1", "o1", List.of(new OrderLine("A", 2L, null, null),
                new OrderLine("B", 1L, null, null)),
                AT, 60_000L, "c-7");
        final OrderOutcome outcome = new OrderOutcome("o1", OrderStatus.RESERVED, null, List.of(), AT, AT, AT);
        final DeadLetter deadLetter = new DeadLetter(EventTopic.ORDERS.topicName(), 2, 41L, "o1", ByteBuffer.wrap(new byte[] {0, -1, 7}),
                DeadLetterCode.MALFORMED_RECORD, "bad bytes", AT);

        assertEquals(order, EventJson.read(EventJson.write(order), OrderPlaced.class));
        assertEquals(outcome, EventJson.read(EventJson.write(outcome), OrderOutcome.class));
        assertEquals(deadLetter, EventJson.read(EventJson.write(deadLetter), DeadLetter.class));
    }

    @Test
    void writesTimestampsAsIsoEnumsAsSymbolsAndBytesAsBase64() {
        final DeadLetter deadLetter = new DeadLetter(EventTopic.ORDERS.topicName(), 2, 41L, null, ByteBuffer.wrap(new byte[] {1, 2, 3}),
                DeadLetterCode.UNKNOWN_SCHEMA, "?", AT);

        assertEquals("{\"sourceTopic\":\"orders\",\"partition\":2,\"offset\":41,\"key\":null,\"payload\":\"AQID\","
                + "\"code\":\"UNKNOWN_SCHEMA\",\"message\":\"?\",\"at\":\"2026-11-22T10:00:00.250Z\"}",
                EventJson.write(deadLetter));
    }

    @Test
    void namesTheFieldAndTheRuleOfABadValue() {
        assertRejected("field \"lines[0].quantity\" must be a number",
                "{\"eventId\":\"e\",\"orderId\":\"o\",\"lines\":[{\"sku\":\"A\",\"quantity\":\"two\"}],"
                        + "\"placedAt\":0}");
        assertRejected("field \"lines[0].quantity\" must be a whole number",
                "{\"eventId\":\"e\",\"orderId\":\"o\",\"lines\":[{\"sku\":\"A\",\"quantity\":1.5}],\"placedAt\":0}");
        assertRejected("field \"orderId\" is required",
                "{\"eventId\":\"e\",\"lines\":[],\"placedAt\":0}");
        assertRejected("field \"holdMillis\" must be a number",
                "{\"eventId\":\"e\",\"orderId\":\"o\",\"lines\":[],\"placedAt\":0,\"holdMillis\":\"soon\"}");
        assertRejected("field \"placedAt\" must be an ISO-8601 timestamp like 2026-11-22T10:00:00Z, or epoch millis",
                "{\"eventId\":\"e\",\"orderId\":\"o\",\"lines\":[],\"placedAt\":\"yesterday\"}");
        assertRejected("unknown field \"qty\" "
                        + "(OrderPlaced has eventId, orderId, lines, placedAt, holdMillis, customerId)",
                "{\"eventId\":\"e\",\"orderId\":\"o\",\"lines\":[],\"placedAt\":0,\"qty\":1}");
        assertRejected("expected a JSON object", "[1,2]");
    }

    @Test
    void namesTheAllowedSymbolsOfAnEnum() {
        final InvalidEventException e = assertThrows(InvalidEventException.class, () -> EventJson.read(
                "{\"paymentId\":\"p\",\"orderId\":\"o\",\"outcome\":\"PAID\",\"at\":0}", PaymentEvent.class));

        assertEquals("field \"outcome\" must be one of CAPTURED, FAILED, REFUNDED", e.getMessage());
    }

    @Test
    void keysEachTopicAsTheContractSays() throws Exception {
        final TopicCodec<?> adjustments = TopicCodec.of(EventTopic.STOCK_ADJUSTMENTS, new SingleObjectSerdeFactory());
        final TopicCodec<?> orders = TopicCodec.of(EventTopic.ORDERS, new SingleObjectSerdeFactory());

        assertEquals("sku-9", adjustments.encodeJson("{\"adjustmentId\":\"a\",\"sku\":\"sku-9\",\"delta\":5,"
                + "\"reason\":\"received\",\"at\":0}").key());
        assertEquals("o-3", orders.encodeJson(
                "{\"eventId\":\"e\",\"orderId\":\"o-3\",\"lines\":[],\"placedAt\":0}").key());
    }

    @Test
    void aStockAlertIsKeyedBySkuAndReadsBackFromItsJsonLine() throws Exception {
        final TopicCodec<?> alerts = TopicCodec.of(EventTopic.STOCK_ALERTS, new SingleObjectSerdeFactory());
        final String json = "{\"sku\":\"sku-9\",\"location\":null,\"kind\":\"LOW_STOCK\",\"available\":3,"
                + "\"threshold\":5,\"at\":\"2026-11-22T10:00:00Z\"}";

        final TopicCodec.Encoded encoded = alerts.encodeJson(json);

        assertEquals("sku-9", encoded.key());
        assertEquals(json, alerts.decodeToJson(encoded.value()));
    }

    @Test
    void aPaymentOrCancellationWithoutLinesIsForTheWholeOrderAndARefundRestocksUnlessItSaysNot() throws Exception {
        final PaymentEvent capture = EventJson.read(
                "{\"paymentId\":\"p\",\"orderId\":\"o\",\"outcome\":\"CAPTURED\",\"at\":0}", PaymentEvent.class);
        final PaymentEvent damagedReturn = EventJson.read("{\"paymentId\":\"p\",\"orderId\":\"o\","
                + "\"outcome\":\"REFUNDED\",\"at\":0,\"lines\":[{\"sku\":\"A\",\"quantity\":1}],\"restock\":false}",
                PaymentEvent.class);
        final OrderCancelled cancel = EventJson.read(
                "{\"cancelId\":\"c\",\"orderId\":\"o\",\"reason\":\"r\",\"at\":0}", OrderCancelled.class);

        assertNull(capture.getLines());
        assertEquals(true, capture.getRestock());
        assertEquals(List.of(new OrderLine("A", 1L, null, null)), damagedReturn.getLines());
        assertEquals(false, damagedReturn.getRestock());
        assertNull(cancel.getLines());
    }

    @Test
    void aShipmentIsKeyedByOrderIdAndReadsBackFromItsJsonLine() throws Exception {
        final TopicCodec<?> shipments = TopicCodec.of(EventTopic.SHIPMENTS, new SingleObjectSerdeFactory());
        final String json = "{\"shipmentId\":\"s-1\",\"orderId\":\"o-3\",\"lines\":[{\"sku\":\"A\",\"quantity\":2,"
                + "\"location\":null,\"batch\":null}],\"at\":\"2026-11-22T10:00:00Z\"}";

        final TopicCodec.Encoded encoded = shipments.encodeJson(json);

        assertEquals("o-3", encoded.key());
        assertEquals(json, shipments.decodeToJson(encoded.value()));
        assertEquals(new OrderShipped("s-2", "o-3", null, Instant.EPOCH),
                EventJson.read("{\"shipmentId\":\"s-2\",\"orderId\":\"o-3\",\"at\":0}", OrderShipped.class));
    }

    @Test
    void anOrderLineMayNameALocationAndAnOutcomeLineABatch() throws Exception {
        final TopicCodec<?> orders = TopicCodec.of(EventTopic.ORDERS, new SingleObjectSerdeFactory());
        final String json = "{\"eventId\":\"e\",\"orderId\":\"o-3\",\"lines\":[{\"sku\":\"A\",\"quantity\":2,"
                + "\"location\":\"berlin\",\"batch\":null}],\"placedAt\":\"2026-11-22T10:00:00Z\","
                + "\"holdMillis\":null,\"customerId\":null}";
        final OrderOutcome outcome = new OrderOutcome("o-3", OrderStatus.RESERVED, null,
                List.of(new OrderLine("A", 2L, "berlin", "lot-7")), AT, AT, AT);

        assertEquals(json, orders.decodeToJson(orders.encodeJson(json).value()));
        assertEquals(List.of(new OrderLine("A", 2L, "berlin", null)), EventJson.read(
                "{\"eventId\":\"e\",\"orderId\":\"o\",\"lines\":[{\"sku\":\"A\",\"quantity\":2,\"location\":\"berlin\"}],"
                        + "\"placedAt\":0}", OrderPlaced.class).getLines());
        assertEquals(outcome, EventJson.read(EventJson.write(outcome), OrderOutcome.class));
    }

    @Test
    void anAdjustmentMayNameItsLocationBatchProductAndAttributesAndATransferItsDestination() throws Exception {
        final TopicCodec<?> adjustments = TopicCodec.of(EventTopic.STOCK_ADJUSTMENTS, new SingleObjectSerdeFactory());
        final String received = "{\"adjustmentId\":\"a-1\",\"sku\":\"MUG\",\"delta\":12,\"reason\":\"received\","
                + "\"at\":\"2026-11-22T10:00:00Z\",\"lowStockThreshold\":null,\"location\":\"berlin\","
                + "\"batch\":\"lot-7\",\"batchExpiresAt\":\"2027-03-01T00:00:00Z\",\"toLocation\":null,"
                + "\"productId\":\"mug\",\"attributes\":{\"colour\":\"blue\"}}";
        final StockAdjusted transfer = EventJson.read("{\"adjustmentId\":\"a-2\",\"sku\":\"MUG\",\"delta\":5,"
                + "\"reason\":\"rebalance\",\"at\":0,\"location\":\"berlin\",\"toLocation\":\"hamburg\"}",
                StockAdjusted.class);

        assertEquals(received, adjustments.decodeToJson(adjustments.encodeJson(received).value()));
        assertEquals(new StockAdjusted("a-2", "MUG", 5L, "rebalance", Instant.EPOCH, null, "berlin", null, null,
                "hamburg", null, null), transfer);
    }

    @Test
    void aMovementPrintsItsPlaceAndOneWithoutItReadsAsNone() throws Exception {
        final StockMovement transfer = new StockMovement("m-1", "MUG", MovementKind.TRANSFER, null, "a-2", null,
                0L, 0L, 0L, 12L, 12L, 0L, 3L, AT, "berlin", "lot-7", AT, 7L, 7L, 0L);

        assertEquals(transfer, EventJson.read(EventJson.write(transfer), StockMovement.class));
        assertEquals(null, EventJson.read("{\"movementId\":\"m-2\",\"sku\":\"MUG\",\"kind\":\"ADJUSTMENT\","
                + "\"onHandDelta\":1,\"availableDelta\":1,\"lockedDelta\":0,\"onHandAfter\":1,\"availableAfter\":1,"
                + "\"lockedAfter\":0,\"version\":1,\"occurredAt\":0}", StockMovement.class).getLocation());
    }

    private static void assertRejected(final String message, final String json) {
        final InvalidEventException e = assertThrows(InvalidEventException.class,
                () -> EventJson.read(json, OrderPlaced.class));
        assertEquals(message, e.getMessage());
    }
}
