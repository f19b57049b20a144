package io.stockline.topology.serde;

import io.stockline.schemas.EventTopic;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stockline.ledger.Allocation;
import io.stockline.ledger.Line;
import io.stockline.ledger.Order;
import io.stockline.ledger.OrderCommand;
import io.stockline.ledger.OrderCommand.ApplyPayment;
import io.stockline.ledger.OrderCommand.CancelOrder;
import io.stockline.ledger.OrderCommand.LineResult;
import io.stockline.ledger.OrderCommand.PaymentResult;
import io.stockline.ledger.OrderCommand.PlaceOrder;
import io.stockline.ledger.OrderCommand.ShipOrder;
import io.stockline.ledger.OrderMachine;
import io.stockline.ledger.OrderStatus;
import io.stockline.ledger.OrderStep;
import io.stockline.ledger.Origin;
import io.stockline.ledger.Place;
import io.stockline.ledger.PlaceLevel;
import io.stockline.ledger.Product;
import io.stockline.ledger.ReleaseCause;
import io.stockline.ledger.StockCommand;
import io.stockline.ledger.StockLevel;
import io.stockline.topology.serde.avro.OrderCommandRecord;
import io.stockline.topology.serde.avro.OrderRecord;
import io.stockline.topology.serde.avro.StockCommandRecord;
import io.stockline.topology.serde.avro.StockLevelRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class AvroInternalSerdeTest {

    private static final String TOPIC = "any";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Origin ORIGIN = new Origin(EventTopic.ORDERS.topicName(), 3, 42L, "order-1",
            "original bytes \u0000\u00ff".getBytes(StandardCharsets.ISO_8859_1));
    private static final ApplyPayment PAYMENT = new ApplyPayment("pay-1", "order-1", PaymentResult.REFUNDED, 7L,
            ORIGIN);
    private static final CancelOrder CANCEL = new CancelOrder("cancel-1", "order-1", "changed mind \u2603", 8L,
            new Origin(EventTopic.CANCELLATIONS.topicName(), 0, 0L, "order-1", new byte[0]));
    private static final ApplyPayment RETURN = new ApplyPayment("pay-2", "order-1", PaymentResult.REFUNDED, 9L,
            ORIGIN, List.of(new Line("B", 1), new Line("A", 2)), true);
    private static final ApplyPayment DAMAGED_REFUND = new ApplyPayment("pay-3", "order-1", PaymentResult.REFUNDED,
            9L, ORIGIN, null, false);
    private static final CancelOrder CANCEL_LINES = new CancelOrder("cancel-2", "order-1", null, 8L, ORIGIN,
            List.of(new Line("A", 1)));
    private static final ShipOrder SHIPMENT = new ShipOrder("ship-1", "order-1", List.of(new Line("Z", 1)), 10L,
            ORIGIN);

    @Test
    void everyOrderCommandComesBackEqual() {
        final List<OrderCommand> commands = List.of(
                new PlaceOrder("evt-1", "order-1", List.of(new Line("B", 2), new Line("A", 1)), 1_000L, null, ORIGIN),
                new PlaceOrder("evt-2", "order-2", List.of(new Line("A", 1_000_000_000L)), 1_000L, 60_000L, ORIGIN),
                PAYMENT, CANCEL,
                new LineResult("order-1", "A", 3, true, 97),
                new LineResult("order-1", "B", 3, false, 2),
                RETURN, DAMAGED_REFUND, CANCEL_LINES, SHIPMENT,
                new ShipOrder("ship-2", "order-1", null, 9L, null));
        for (final OrderCommand command : commands) {
            assertSameAfterRoundTrip(AvroInternalSerde.orderCommands(), command);
        }
    }

    @Test
    void everyStockCommandComesBackEqual() {
        final List<StockCommand> commands = new ArrayList<>(List.of(
                new StockCommand.Adjust("adj-1", "A", -5, "stock take", 9L, ORIGIN),
                new StockCommand.Adjust("adj-2", "A", 0, "threshold", 9L, ORIGIN, 12L),
                new StockCommand.Reserve("order-1", "A", 2),
                new StockCommand.Reserve("order-1", "A", 2, new StockCommand.SoleLine(1_000L, 901_000L)),
                new StockCommand.Commit("order-1", "A", 2),
                new StockCommand.Refund("order-1", "A", 2),
                new StockCommand.Refund("order-1", "A", 2, "pay-2"),
                new StockCommand.Ship("order-1", "A", 2, "ship-1")));
        for (final ReleaseCause cause : ReleaseCause.values()) {
            commands.add(new StockCommand.Release("order-1", "A", 2, cause));
            commands.add(new StockCommand.Release("order-1", "A", 2, cause, "step-1"));
        }
        for (final StockCommand command : commands) {
            assertSameAfterRoundTrip(AvroInternalSerde.stockCommands(), command);
        }
    }

    @Test
    void anOrderComesBackEqualWithItsLocksInTheirOrder() {
        final Map<String, Long> locked = new LinkedHashMap<>();
        locked.put("Z", 1L);
        locked.put("A", 2L);
        locked.put("M", 3L);
        for (final OrderStatus status : OrderStatus.values()) {
            final Order order = new Order("order-1", status, "evt-1", List.of(new Line("Z", 1), new Line("A", 2)),
                    1_000L, status.ordinal() % 2 == 0 ? null : 5_000L, 6_000L, "reason " + status, 2_000L, locked, 1,
                    "A", List.of(new Order.Held(PAYMENT, 10L), new Order.Held(CANCEL, 11L)),
                    List.of("pay-1", "cancel-1"));
            final Order back = roundTrip(AvroInternalSerde.orders(), order);
            assertEquals(describe(order), describe(back));
            assertEquals(List.of("Z", "A", "M"), List.copyOf(back.locked().keySet()), "lock order");
            assertArrayEquals(ORIGIN.payload(), ((ApplyPayment) back.held().get(0).event()).origin().payload());
        }
    }

    @Test
    void anOrderComesBackEqualWithWhatItSoldInItsOrderAndItsHeldPerLineEvents() {
        final Map<String, Long> sold = new LinkedHashMap<>();
        sold.put("Z", 1L);
        sold.put("A", 2L);
        for (final OrderStatus status : List.of(OrderStatus.AMENDED, OrderStatus.SHIPPED,
                OrderStatus.PARTIALLY_REFUNDED)) {
            final Order order = new Order("order-1", status, "evt-1", List.of(new Line("Z", 1), new Line("A", 3)),
                    1_000L, null, 6_000L, "still to ship: 1 x A", 2_000L, Map.of("A", 1L), 0, null,
                    List.of(new Order.Held(RETURN, 10L), new Order.Held(DAMAGED_REFUND, 11L),
                            new Order.Held(CANCEL_LINES, 12L), new Order.Held(SHIPMENT, 13L)),
                    List.of("pay-2", "pay-3", "cancel-2", "ship-1"), sold);

            final Order back = roundTrip(AvroInternalSerde.orders(), order);

            assertEquals(describe(order), describe(back));
            assertEquals(List.of("Z", "A"), List.copyOf(back.sold().keySet()), "sold order");
        }
    }

    /** An order as orders-store (and its changelog) held it before per-line steps: it has sold nothing it tracks. */
    @Test
    void readsAnOrderTheV1SchemaWroteWithNothingSoldAndItsHeldEventsForTheWholeOrder() {
        // Given a reserved order holding a refund and a cancellation, written with Order.v1
        final Schema v1 = AvroInternalSerde.olderVersions(OrderRecord.class).get(0);
        final GenericRecord old = v1Order(v1, "RESERVED", Map.of("A", 2L));
        final Schema heldSchema = v1.getField("held").schema().getElementType();
        final Schema eventSchema = heldSchema.getField("event").schema();
        final GenericRecord payment = new GenericData.Record(branch(eventSchema.getField("payment").schema()));
        payment.put("paymentId", "pay-1");
        payment.put("orderId", "order-1");
        payment.put("result", new GenericData.EnumSymbol(payment.getSchema().getField("result").schema(), "REFUNDED"));
        payment.put("at", 7L);
        final GenericRecord cancel = new GenericData.Record(branch(eventSchema.getField("cancel").schema()));
        cancel.put("cancelId", "cancel-1");
        cancel.put("orderId", "order-1");
        cancel.put("reason", "changed mind");
        cancel.put("at", 8L);
        old.put("held", List.of(held(heldSchema, "payment", payment, 10L), held(heldSchema, "cancel", cancel, 11L)));

        // When
        final Order read = AvroInternalSerde.orders().deserializer().deserialize(TOPIC, encode(v1, old));

        // Then
        assertEquals(new Order("order-1", OrderStatus.RESERVED, "evt-1", List.of(new Line("A", 2)), 1_000L, null,
                6_000L, null, 2_000L, Map.of("A", 2L), 0, null, List.of(
                        new Order.Held(new ApplyPayment("pay-1", "order-1", PaymentResult.REFUNDED, 7L, null, null,
                                true), 10L),
                        new Order.Held(new CancelOrder("cancel-1", "order-1", "changed mind", 8L, null, null), 11L)),
                List.of("pay-1", "cancel-1"), Map.of()), read);
    }

    @Test
    void readsAPaymentAndACancellationTheV1OrderCommandSchemaWroteAsOnesForTheWholeOrder() {
        final Schema v1 = AvroInternalSerde.olderVersions(OrderCommandRecord.class).get(0);
        final Schema eventSchema = branch(v1.getField("held").schema());

        final GenericRecord payment = new GenericData.Record(branch(eventSchema.getField("payment").schema()));
        payment.put("paymentId", "pay-1");
        payment.put("orderId", "order-1");
        payment.put("result", new GenericData.EnumSymbol(payment.getSchema().getField("result").schema(), "REFUNDED"));
        payment.put("at", 7L);
        final GenericRecord cancel = new GenericData.Record(branch(eventSchema.getField("cancel").schema()));
        cancel.put("cancelId", "cancel-1");
        cancel.put("orderId", "order-1");
        cancel.put("at", 8L);

        assertEquals(new ApplyPayment("pay-1", "order-1", PaymentResult.REFUNDED, 7L, null, null, true),
                readOrderCommand(v1, eventSchema, "payment", payment));
        assertEquals(new CancelOrder("cancel-1", "order-1", null, 8L, null, null),
                readOrderCommand(v1, eventSchema, "cancel", cancel));
    }

    @Test
    void readsAReleaseAndARefundTheV3StockCommandSchemaWroteAsTheOrdersWholeOnes() {
        for (final String kind : List.of("RELEASE", "REFUND", "COMMIT")) {
            final byte[] bytes = olderStockCommand(3, "request", request -> {
                request.put("kind", new GenericData.EnumSymbol(request.getSchema().getField("kind").schema(), kind));
                request.put("orderId", "order-1");
                request.put("sku", "A");
                request.put("quantity", 2L);
                if (kind.equals("RELEASE")) {
                    request.put("cause", new GenericData.EnumSymbol(branch(request.getSchema().getField("cause")
                            .schema()), "CANCELLED"));
                }
            });

            final StockCommand read = AvroInternalSerde.stockCommands().deserializer().deserialize(TOPIC, bytes);

            assertEquals(switch (kind) {
                case "RELEASE" -> new StockCommand.Release("order-1", "A", 2, ReleaseCause.CANCELLED, null);
                case "REFUND" -> new StockCommand.Refund("order-1", "A", 2, null);
                default -> new StockCommand.Commit("order-1", "A", 2);
            }, read);
        }
    }

    /**
     * Every CONFIRMED order the previous version stored had sold all its lines (it deducted on payment), but
     * Order.v1 has no sold field: read as selling nothing, a refund after the upgrade would put nothing back.
     */
    @Test
    void aConfirmedOrderTheV1SchemaWroteStillPutsItsUnitsBackWhenRefundedAfterTheUpgrade() {
        // Given a confirmed order of A2 as the previous version stored it
        final Schema v1 = AvroInternalSerde.olderVersions(OrderRecord.class).get(0);
        final Order read = AvroInternalSerde.orders().deserializer()
                .deserialize(TOPIC, encode(v1, v1Order(v1, "CONFIRMED", Map.of())));
        final OrderMachine machine = new OrderMachine(60_000L, 5_000L);

        // When it is refunded, in whole or in part
        final OrderStep whole = machine.payment(read, new ApplyPayment("pay-2", "order-1", PaymentResult.REFUNDED,
                9L, ORIGIN), 9L);
        final OrderStep part = machine.payment(read, new ApplyPayment("pay-2", "order-1", PaymentResult.REFUNDED,
                9L, ORIGIN, List.of(new Line("A", 1)), true), 9L);

        // Then its units come back, as they did before the upgrade
        assertEquals(Map.of("A", 2L), read.sold());
        assertEquals(List.of(new StockCommand.Refund("order-1", "A", 2)), whole.stockCommands());
        assertEquals(OrderStatus.REFUNDED, whole.order().status());
        assertEquals(List.of(new StockCommand.Refund("order-1", "A", 1, "pay-2")), part.stockCommands());
        assertEquals(OrderStatus.PARTIALLY_REFUNDED, part.order().status());
    }

    @Test
    void readsAnOrderTheJsonVersionWroteWithoutSold() throws IOException {
        // Given orders as the JSON-era ledger wrote them: no sold, and a held refund with no lines and no restock
        for (final OrderStatus status : List.of(OrderStatus.CONFIRMED, OrderStatus.AWAITING_ORDER)) {
            final Order order = new Order("order-1", status, "evt-1", List.of(new Line("A", 2)), 1_000L, null,
                    6_000L, null, 2_000L, Map.of(), 0, null, List.of(new Order.Held(PAYMENT, 10L)), List.of("pay-1"));
            final ObjectNode json = (ObjectNode) JSON.readTree(JsonSerde.of(Order.class).serializer()
                    .serialize(TOPIC, order));
            json.remove("sold");
            final ObjectNode heldPayment = (ObjectNode) json.get("held").get(0).get("event");
            heldPayment.remove("lines");
            heldPayment.remove("restock");

            // When
            final Order read = AvroInternalSerde.orders().deserializer()
                    .deserialize(TOPIC, JSON.writeValueAsBytes(json));

            // Then, as for Order.v1, a confirmed one sold all its lines, and the refund puts everything back on sale
            assertEquals(status == OrderStatus.CONFIRMED ? Map.of("A", 2L) : Map.of(), read.sold(), status.name());
            assertEquals(describe(order.held().get(0)), describe(read.held().get(0)), status.name());
        }
    }

    @Test
    void readsARefundTheJsonVersionWroteAsOneThatRestocks() throws IOException {
        // Given a refund on the ledger's own topic as the JSON-era ledger wrote it: no lines, no restock
        final ObjectNode json = (ObjectNode) JSON.readTree(JsonSerde.of(OrderCommand.class).serializer()
                .serialize(TOPIC, PAYMENT));
        json.remove("lines");
        json.remove("restock");

        // When
        final OrderCommand read = AvroInternalSerde.orderCommands().deserializer()
                .deserialize(TOPIC, JSON.writeValueAsBytes(json));

        // Then it returns everything, back on sale, as it did then
        assertEquals(describe(PAYMENT), describe(read));
        assertEquals(true, ((ApplyPayment) read).restock());
    }

    @Test
    void aStockLevelComesBackEqual() {
        assertSameAfterRoundTrip(AvroInternalSerde.stockLevels(), new StockLevel("MUG", 10, 7, 3, 4, 1_234L));
        assertSameAfterRoundTrip(AvroInternalSerde.stockLevels(), new StockLevel("MUG", 10, 7, 3, 4, 1_234L, 5L));
    }

    @Test
    void readsAStockLevelThePreviousSchemaVersionWroteAsOneWithNoThreshold() {
        // Given a level as stock-levels-store (and its changelog) held it before thresholds existed
        final Schema v1 = AvroInternalSerde.olderVersions(StockLevelRecord.class).get(0);
        final GenericRecord old = new GenericData.Record(v1);
        old.put("sku", "MUG");
        old.put("onHand", 10L);
        old.put("available", 7L);
        old.put("locked", 3L);
        old.put("version", 4L);
        old.put("updatedAt", 1_234L);

        // When
        final StockLevel read = AvroInternalSerde.stockLevels().deserializer().deserialize(TOPIC, encode(v1, old));

        // Then
        assertEquals(new StockLevel("MUG", 10, 7, 3, 4, 1_234L, null), read);
    }

    @Test
    void readsAStockLevelTheJsonVersionWroteAsOneWithNoThreshold() {
        final byte[] json = ("{\"sku\":\"MUG\",\"onHand\":10,\"available\":7,\"locked\":3,\"version\":4,"
                + "\"updatedAt\":1234}").getBytes(StandardCharsets.UTF_8);

        assertEquals(new StockLevel("MUG", 10, 7, 3, 4, 1_234L, null),
                AvroInternalSerde.stockLevels().deserializer().deserialize(TOPIC, json));
    }

    @Test
    void readsAnAdjustmentThePreviousSchemaVersionWroteAsOneThatKeepsTheThreshold() {
        // Given an adjustment in flight on the SKU commands topic, written by the ledger before thresholds
        final byte[] bytes = olderStockCommand(2, "adjust", adjust -> {
            adjust.put("adjustmentId", "adj-1");
            adjust.put("sku", "A");
            adjust.put("delta", 4L);
            adjust.put("at", 9L);
        });

        // When
        final StockCommand read = AvroInternalSerde.stockCommands().deserializer().deserialize(TOPIC, bytes);

        // Then
        assertEquals(new StockCommand.Adjust("adj-1", "A", 4, null, 9L, null, null), read);
    }

    @Test
    void writesSingleObjectAvroNotJson() {
        final byte[] bytes = AvroInternalSerde.stockLevels().serializer()
                .serialize(TOPIC, new StockLevel("MUG", 10, 7, 3, 4, 1_234L));
        assertEquals((byte) 0xC3, bytes[0]);
        assertEquals((byte) 0x01, bytes[1]);
    }

    @Test
    void readsTheJsonAnOlderVersionWrote() {
        final Order order = new Order("order-1", OrderStatus.RESERVED, "evt-1", List.of(new Line("A", 2)), 1_000L,
                null, 6_000L, null, 2_000L, Map.of("A", 2L), 0, null, List.of(new Order.Held(CANCEL, 11L)),
                List.of("cancel-1"));
        final byte[] json = JsonSerde.of(Order.class).serializer().serialize(TOPIC, order);
        assertEquals(describe(order), describe(AvroInternalSerde.orders().deserializer().deserialize(TOPIC, json)));

        final OrderCommand place = new PlaceOrder("evt-1", "order-1", List.of(new Line("A", 1)), 1L, null, ORIGIN);
        final byte[] commandJson = JsonSerde.of(OrderCommand.class).serializer().serialize(TOPIC, place);
        final OrderCommand back = AvroInternalSerde.orderCommands().deserializer().deserialize(TOPIC, commandJson);
        assertEquals(place.orderId(), back.orderId());
        assertArrayEquals(ORIGIN.payload(), ((PlaceOrder) back).origin().payload());
    }

    @Test
    void readsAOneLineReserveThePreviousSchemaVersionWroteWithoutPlacedAt() {
        // Given a RESERVE of an order's only line as the ledger wrote it before it passed placedAt on
        final byte[] bytes = olderStockCommand(1, "request", request -> {
            request.put("kind", new GenericData.EnumSymbol(request.getSchema().getField("kind").schema(), "RESERVE"));
            request.put("orderId", "order-1");
            request.put("sku", "A");
            request.put("quantity", 2L);
            request.put("soleLineExpiresAt", 901_000L);
        });

        // When
        final StockCommand read = AvroInternalSerde.stockCommands().deserializer().deserialize(TOPIC, bytes);

        // Then
        assertEquals(new StockCommand.Reserve("order-1", "A", 2, new StockCommand.SoleLine(null, 901_000L)), read);
    }

    private static final Place AISLE_BATCH = new Place("aisle-1", "B-17", 1_900_000_000_000L);
    private static final Place BACKROOM_BATCH = new Place("backroom", "B-18", null);
    private static final Place DEFAULT_BATCH = new Place(Place.DEFAULT_LOCATION, "B-19", 1_800_000_000_000L);
    private static final List<Allocation> SPLIT = List.of(new Allocation(AISLE_BATCH, 2),
            new Allocation(Place.at("shop"), 1), new Allocation(DEFAULT_BATCH, 3), new Allocation(Place.DEFAULT, 1));

    @Test
    void aStockLevelSplitByLocationAndBatchComesBackEqualWithItsExpiriesAndProduct() {
        // Given a SKU kept at four places, two batches with an expiry, and the product it is a variant of
        final StockLevel split = new StockLevel("MUG", 14, 10, 4, 9, 1_234L, 3L, List.of(
                new PlaceLevel(AISLE_BATCH, 6, 4, 2), new PlaceLevel(BACKROOM_BATCH, 2, 2, 0),
                new PlaceLevel(DEFAULT_BATCH, 3, 1, 2), new PlaceLevel(Place.at("shop"), 3, 3, 0)),
                new Product("mug", Map.of("colour", "blue", "size", "L")));
        final StockLevel productOnly = new StockLevel("MUG", 1, 1, 0, 1, 1L, null, List.of(),
                new Product("mug", Map.of()));

        // When / Then
        assertEquals(split, roundTrip(AvroInternalSerde.stockLevels(), split));
        assertEquals(productOnly, roundTrip(AvroInternalSerde.stockLevels(), productOnly));
    }

    @Test
    void anOrderComesBackEqualWithThePlacesOfTwoSkusInTheirOrder() {
        // Given an order whose B and A sit at several places, one of its lines pinned to a location
        final Map<String, List<Allocation>> places = new LinkedHashMap<>();
        places.put("B", SPLIT);
        places.put("A", List.of(new Allocation(BACKROOM_BATCH, 2)));
        final Order order = new Order("order-1", OrderStatus.CONFIRMED, "evt-1",
                List.of(new Line("B", 7), new Line("A", 2, "backroom", null)), 1_000L, null, 6_000L, null, 2_000L,
                Map.of("B", 4L), 0, null, List.of(), List.of(), Map.of("B", 3L, "A", 2L), places);

        // When
        final Order back = roundTrip(AvroInternalSerde.orders(), order);

        // Then
        assertEquals(order, back);
        assertEquals(List.of("B", "A"), List.copyOf(back.places().keySet()), "places order");
    }

    @Test
    void everyStockCommandComesBackEqualWithThePlacesItNames() {
        final List<StockCommand> commands = new ArrayList<>(List.of(
                new StockCommand.Adjust("adj-1", "A", 5, "delivery", 9L, null, null, AISLE_BATCH, null,
                        new Product("p-1", Map.of("flavour", "mint"))),
                new StockCommand.Adjust("adj-2", "A", 2, "move", 9L, null, 4L, DEFAULT_BATCH, "shop",
                        new Product("p-1", Map.of())),
                new StockCommand.Adjust("adj-3", "A", -1, null, 9L, null, null, Place.at("shop"), "backroom", null),
                new StockCommand.Reserve("order-1", "A", 2, null, "shop"),
                new StockCommand.Reserve("order-1", "A", 2, new StockCommand.SoleLine(1_000L, 901_000L), "shop"),
                new StockCommand.Commit("order-1", "A", 7, SPLIT),
                new StockCommand.Refund("order-1", "A", 7, "pay-2", SPLIT),
                new StockCommand.Ship("order-1", "A", 7, "ship-1", SPLIT)));
        for (final ReleaseCause cause : ReleaseCause.values()) {
            commands.add(new StockCommand.Release("order-1", "A", 7, cause, null, SPLIT));
        }
        for (final StockCommand command : commands) {
            assertEquals(command, roundTrip(AvroInternalSerde.stockCommands(), command));
        }
    }

    @Test
    void orderCommandsComeBackEqualWithTheirAllocationsShortagesAndPinnedLines() {
        final List<OrderCommand> commands = List.of(
                new LineResult("order-1", "A", 7, true, 3, true, SPLIT, null),
                new LineResult("order-1", "A", 7, false, 3, false, List.of(), "A: 7 not at shop, 3 there"),
                new PlaceOrder("evt-1", "order-1", List.of(new Line("A", 2, "shop", null), new Line("B", 1)), 1_000L,
                        null, null),
                new ShipOrder("ship-1", "order-1", List.of(new Line("A", 2, "aisle-1", "B-17")), 10L, null));
        for (final OrderCommand command : commands) {
            assertEquals(command, roundTrip(AvroInternalSerde.orderCommands(), command));
        }
    }

    /** The common case pays for the new fields with their empty values only, and reads back without a copy. */
    @Test
    void aLevelAndARequestAtTheDefaultPlaceCostOnlyAByteForEachNewField() {
        // Given a SKU and a request at the default place
        final StockLevel level = new StockLevel("MUG", 10, 7, 3, 4, 1_234L, 5L);
        final StockCommand commit = new StockCommand.Commit("order-1", "A", 2);

        // When
        final byte[] levelBytes = AvroInternalSerde.stockLevels().serializer().serialize(TOPIC, level);
        final byte[] commitBytes = AvroInternalSerde.stockCommands().serializer().serialize(TOPIC, commit);

        // Then: three bytes more than StockLevel.v2 (places, productId, attributes), two more than StockCommand.v4
        assertEquals(encode(previousStockLevel(), previousLevel()).length + 3, levelBytes.length);
        assertEquals(olderStockCommand(4, "request", request -> {
            request.put("kind", new GenericData.EnumSymbol(request.getSchema().getField("kind").schema(), "COMMIT"));
            request.put("orderId", "order-1");
            request.put("sku", "A");
            request.put("quantity", 2L);
        }).length + 2, commitBytes.length);
        assertSame(List.of(), AvroInternalSerde.stockLevels().deserializer().deserialize(TOPIC, levelBytes).places());
        assertSame(List.of(), ((StockCommand.Commit) AvroInternalSerde.stockCommands().deserializer()
                .deserialize(TOPIC, commitBytes)).from());
    }

    @Test
    void readsAStockLevelTheV2SchemaWroteAsOneAtTheDefaultPlaceWithNoProduct() {
        // Given a level with a threshold as stock-levels-store held it before locations and batches
        final byte[] bytes = encode(previousStockLevel(), previousLevel());

        // When
        final StockLevel read = AvroInternalSerde.stockLevels().deserializer().deserialize(TOPIC, bytes);

        // Then
        assertEquals(new StockLevel("MUG", 10, 7, 3, 4, 1_234L, 5L, List.of(), null), read);
    }

    @Test
    void readsEveryStockCommandTheV4SchemaWroteAsOneAtTheDefaultPlace() {
        // Given an adjustment and each request as the SKU commands topic held them before locations and batches
        final byte[] adjust = olderStockCommand(4, "adjust", record -> {
            record.put("adjustmentId", "adj-1");
            record.put("sku", "A");
            record.put("delta", 4L);
            record.put("at", 9L);
            record.put("lowStockThreshold", 2L);
        });
        final List<StockCommand> expected = List.of(
                new StockCommand.Reserve("order-1", "A", 2, new StockCommand.SoleLine(1_000L, 901_000L), null),
                new StockCommand.Commit("order-1", "A", 2, List.of()),
                new StockCommand.Release("order-1", "A", 2, ReleaseCause.CANCELLED, "cancel-2", List.of()),
                new StockCommand.Refund("order-1", "A", 2, "pay-2", List.of()),
                new StockCommand.Ship("order-1", "A", 2, "ship-1", List.of()));

        // When / Then
        assertEquals(new StockCommand.Adjust("adj-1", "A", 4, null, 9L, null, 2L, Place.DEFAULT, null, null),
                AvroInternalSerde.stockCommands().deserializer().deserialize(TOPIC, adjust));
        for (final StockCommand command : expected) {
            final String kind = command.getClass().getSimpleName().toUpperCase(java.util.Locale.ROOT);
            final byte[] bytes = olderStockCommand(4, "request", request -> {
                request.put("kind", new GenericData.EnumSymbol(request.getSchema().getField("kind").schema(), kind));
                request.put("orderId", "order-1");
                request.put("sku", "A");
                request.put("quantity", 2L);
                switch (kind) {
                    case "RESERVE" -> {
                        request.put("soleLineExpiresAt", 901_000L);
                        request.put("soleLinePlacedAt", 1_000L);
                    }
                    case "RELEASE" -> {
                        request.put("cause", new GenericData.EnumSymbol(branch(request.getSchema().getField("cause")
                                .schema()), "CANCELLED"));
                        request.put("step", "cancel-2");
                    }
                    case "REFUND" -> request.put("step", "pay-2");
                    case "SHIP" -> request.put("step", "ship-1");
                    default -> { }
                }
            });
            assertEquals(command, AvroInternalSerde.stockCommands().deserializer().deserialize(TOPIC, bytes), kind);
        }
    }

    @Test
    void readsAnOrderTheV2SchemaWroteAsOneWithEveryUnitAtTheDefaultPlace() {
        // Given a shipped order with a held per-line cancellation as orders-store held it before locations
        final Schema v2 = AvroInternalSerde.olderVersions(OrderRecord.class).get(1);
        final Schema line = v2.getField("lines").schema().getElementType();
        final GenericRecord old = v1Order(v2, "SHIPPED", Map.of("A", 1L));
        old.put("lines", List.of(line(line, "A", 3)));
        old.put("sold", List.of(line(line, "A", 2)));
        final Schema heldSchema = v2.getField("held").schema().getElementType();
        final GenericRecord cancel = new GenericData.Record(branch(heldSchema.getField("event").schema()
                .getField("cancel").schema()));
        cancel.put("cancelId", "cancel-2");
        cancel.put("orderId", "order-1");
        cancel.put("at", 8L);
        cancel.put("lines", List.of(line(line, "A", 1)));
        old.put("held", List.of(held(heldSchema, "cancel", cancel, 11L)));

        // When
        final Order read = AvroInternalSerde.orders().deserializer().deserialize(TOPIC, encode(v2, old));

        // Then
        assertEquals(new Order("order-1", OrderStatus.SHIPPED, "evt-1", List.of(new Line("A", 3)), 1_000L, null,
                6_000L, null, 2_000L, Map.of("A", 1L), 0, null, List.of(new Order.Held(
                        new CancelOrder("cancel-2", "order-1", null, 8L, null, List.of(new Line("A", 1))), 11L)),
                List.of("pay-1", "cancel-1"), Map.of("A", 2L), Map.of()), read);
    }

    @Test
    void readsALineResultAndAPlacedOrderTheV2OrderCommandSchemaWroteWithoutPlaces() {
        // Given a line's answer and an order as the order commands topic held them before locations
        final Schema v2 = AvroInternalSerde.olderVersions(OrderCommandRecord.class).get(1);
        final GenericRecord result = new GenericData.Record(branch(v2.getField("lineResult").schema()));
        result.put("orderId", "order-1");
        result.put("sku", "A");
        result.put("quantity", 2L);
        result.put("reserved", false);
        result.put("available", 1L);
        result.put("decisionPublished", true);
        final Schema placeSchema = branch(v2.getField("place").schema());
        final GenericRecord place = new GenericData.Record(placeSchema);
        place.put("eventId", "evt-1");
        place.put("orderId", "order-1");
        place.put("lines", List.of(line(placeSchema.getField("lines").schema().getElementType(), "A", 2)));
        place.put("placedAt", 1_000L);

        // When
        final OrderCommand readResult = readOrderCommand(v2, "lineResult", result);
        final OrderCommand readPlace = readOrderCommand(v2, "place", place);

        // Then
        assertEquals(new LineResult("order-1", "A", 2, false, 1, true, List.of(), null), readResult);
        assertEquals(new PlaceOrder("evt-1", "order-1", List.of(new Line("A", 2, null, null)), 1_000L, null, null),
                readPlace);
    }

    private static Schema previousStockLevel() {
        return AvroInternalSerde.olderVersions(StockLevelRecord.class).get(1);
    }

    /** MUG 10 on hand, 7 available, 3 locked, threshold 5, as StockLevel.v2 wrote it. */
    private static GenericRecord previousLevel() {
        final GenericRecord old = new GenericData.Record(previousStockLevel());
        old.put("sku", "MUG");
        old.put("onHand", 10L);
        old.put("available", 7L);
        old.put("locked", 3L);
        old.put("version", 4L);
        old.put("updatedAt", 1_234L);
        old.put("lowStockThreshold", 5L);
        return old;
    }

    private static OrderCommand readOrderCommand(final Schema schema, final String branch, final GenericRecord inner) {
        final GenericRecord command = new GenericData.Record(schema);
        command.put(branch, inner);
        return AvroInternalSerde.orderCommands().deserializer().deserialize(TOPIC, encode(schema, command));
    }

    @Test
    void refusesBytesThatAreNeitherWithAClearError() {
        final SerializationException e = assertThrows(SerializationException.class, () ->
                AvroInternalSerde.orders().deserializer().deserialize(TOPIC, new byte[] {(byte) 0xC3, 1, 2, 3}));
        assertEquals("cannot read Order from the ledger's own topic or store", e.getMessage());
    }

    @Test
    void writesExactlyWhatAvrosMessageEncoderWritesAndReadsItBack() throws IOException {
        final Order order = new Order("order-1", OrderStatus.RESERVED, "evt-1", List.of(new Line("A", 2)), 5L, null,
                9L, null, 6L, Map.of("A", 2L), 0, null, List.of(), List.of("pay-1"));
        final Serde<Order> serde = AvroInternalSerde.orders();
        final byte[] ours = serde.serializer().serialize(TOPIC, order);
        final org.apache.avro.specific.SpecificData model = new org.apache.avro.specific.SpecificData();
        final ByteBuffer avros = new BinaryMessageEncoder<OrderRecord>(model, OrderRecord.getClassSchema())
                .encode(InternalRecords.toAvro(order));
        final byte[] expected = new byte[avros.remaining()];
        avros.get(expected);
        assertArrayEquals(expected, ours);
        assertEquals(describe(order), describe(serde.deserializer().deserialize(TOPIC, expected)));
    }

    @Test
    void refusesAnUnknownSchemaAndACutBodyWithAClearError() {
        final byte[] whole = AvroInternalSerde.orders().serializer().serialize(TOPIC, new Order("order-1",
                OrderStatus.REJECTED, "evt-1", List.of(new Line("A", 1)), 5L, null, 9L, "sold out", 6L, Map.of(), 0,
                "A", List.of(), List.of()));
        final byte[] otherSchema = whole.clone();
        otherSchema[5] ^= 0x55;
        final byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 3);
        for (final byte[] bad : List.of(otherSchema, cut)) {
            final SerializationException e = assertThrows(SerializationException.class, () ->
                    AvroInternalSerde.orders().deserializer().deserialize(TOPIC, bad));
            assertEquals("cannot read Order from the ledger's own topic or store", e.getMessage());
        }
    }

    @Test
    void nullStaysNull() {
        assertEquals(null, AvroInternalSerde.orders().serializer().serialize(TOPIC, null));
        assertEquals(null, AvroInternalSerde.orders().deserializer().deserialize(TOPIC, null));
    }

    /** An order of A2 as Order.v1 (or a later version) wrote it, holding nothing. */
    private static GenericRecord v1Order(final Schema v1, final String status, final Map<String, Long> locked) {
        final Schema line = v1.getField("lines").schema().getElementType();
        final GenericRecord order = new GenericData.Record(v1);
        order.put("orderId", "order-1");
        order.put("status", new GenericData.EnumSymbol(v1.getField("status").schema(), status));
        order.put("placedEventId", "evt-1");
        order.put("lines", List.of(line(line, "A", 2)));
        order.put("placedAt", 1_000L);
        order.put("expiresAt", 6_000L);
        order.put("updatedAt", 2_000L);
        order.put("locked", locked.entrySet().stream().map(e -> line(line, e.getKey(), e.getValue())).toList());
        order.put("awaitingReplies", 0);
        order.put("held", List.of());
        order.put("seenEventIds", List.of("pay-1", "cancel-1"));
        if (v1.getField("sold") != null) {
            order.put("sold", List.of());
        }
        return order;
    }

    private static GenericRecord line(final Schema schema, final String sku, final long quantity) {
        final GenericRecord line = new GenericData.Record(schema);
        line.put("sku", sku);
        line.put("quantity", quantity);
        return line;
    }

    private static GenericRecord held(final Schema heldSchema, final String branch, final GenericRecord event,
                                      final long arrivedAt) {
        final GenericRecord held = new GenericData.Record(heldSchema);
        final GenericRecord wrapper = new GenericData.Record(heldSchema.getField("event").schema());
        wrapper.put(branch, event);
        held.put("event", wrapper);
        held.put("arrivedAt", arrivedAt);
        return held;
    }

    private static OrderCommand readOrderCommand(final Schema schema, final Schema eventSchema, final String branch,
                                                 final GenericRecord event) {
        final GenericRecord wrapper = new GenericData.Record(eventSchema);
        wrapper.put(branch, event);
        final GenericRecord command = new GenericData.Record(schema);
        command.put("held", wrapper);
        return AvroInternalSerde.orderCommands().deserializer().deserialize(TOPIC, encode(schema, command));
    }

    /** The one type of a ["null", type] union that is not null. */
    private static Schema branch(final Schema union) {
        return union.getTypes().get(1);
    }

    /** A stock command as version {@code version} of its schema wrote it, with one branch filled in. */
    private static byte[] olderStockCommand(final int version, final String branch,
                                            final Consumer<GenericRecord> fill) {
        final Schema schema = AvroInternalSerde.olderVersions(StockCommandRecord.class).get(version - 1);
        final GenericRecord inner = new GenericData.Record(schema.getField(branch).schema().getTypes().get(1));
        fill.accept(inner);
        final GenericRecord command = new GenericData.Record(schema);
        command.put(branch, inner);
        return encode(schema, command);
    }

    /** A record as an older ledger wrote it: single-object encoded with that older schema. */
    private static byte[] encode(final Schema schema, final GenericRecord record) {
        try {
            final ByteBuffer encoded = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), schema)
                    .encode(record);
            final byte[] bytes = new byte[encoded.remaining()];
            encoded.get(bytes);
            return bytes;
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> void assertSameAfterRoundTrip(final Serde<T> serde, final T value) {
        final T back = roundTrip(serde, value);
        assertEquals(describe(value), describe(back));
    }

    private static <T> T roundTrip(final Serde<T> serde, final T value) {
        return serde.deserializer().deserialize(TOPIC, serde.serializer().serialize(TOPIC, value));
    }

    /** Records holding an Origin compare its byte[] by identity: compare their text, payload spelled out. */
    private static String describe(final Object value) {
        return value.toString().replaceAll("\\[B@[0-9a-f]+", "bytes") + payloadOf(value);
    }

    private static String payloadOf(final Object value) {
        final Origin origin = value instanceof PlaceOrder p ? p.origin() : value instanceof ApplyPayment p
                ? p.origin() : value instanceof CancelOrder c ? c.origin()
                : value instanceof StockCommand.Adjust a ? a.origin()
                : value instanceof ShipOrder o ? o.origin() : null;
        return origin == null ? "" : new String(origin.payload(), StandardCharsets.ISO_8859_1);
    }
}
