package io.stockline.app.ledger;

import static io.stockline.app.ledger.EndToEndLedger.partitionOf;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stockline.app.kafka.EmbeddedKafkaBroker;
import io.stockline.ledger.DeductOn;
import io.stockline.ledger.StockLevel;
import io.stockline.schemas.DeadLetter;
import io.stockline.schemas.EventTopic;
import io.stockline.schemas.OrderCancelled;
import io.stockline.schemas.OrderLine;
import io.stockline.schemas.OrderOutcome;
import io.stockline.schemas.OrderPlaced;
import io.stockline.schemas.OrderShipped;
import io.stockline.schemas.PaymentEvent;
import io.stockline.schemas.PaymentOutcome;
import io.stockline.schemas.StockAdjusted;
import io.stockline.schemas.StockAlert;
import io.stockline.schemas.StockMovement;
import io.stockline.schemas.StockRollback;
import io.stockline.testkit.Await;
import io.stockline.topology.LedgerStores;
import io.stockline.topology.LedgerTopics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-line cancellation, per-line returns and shipments on a real broker with exactly-once: each step is sent
 * once the one before it is visible, and a read_committed consumer finds each step's outcome, rollbacks,
 * movements and alerts, while the levels come from the store. The orders live in other tasks than their SKUs,
 * so every release, refund and shipment crosses the SKU command topic.
 */
class ReturnsAndShipmentsEndToEndTest {

    private static final Duration DEADLINE = EndToEndLedger.DEADLINE;
    private static final String MUG = "MUG-BLUE";
    private static final String TEE = "TEE-M";
    private static final List<String> OUTPUTS = Stream.of(EventTopic.ORDER_OUTCOMES, EventTopic.STOCK_ROLLBACKS,
            EventTopic.STOCK_MOVEMENTS, EventTopic.STOCK_ALERTS, EventTopic.DEAD_LETTERS)
            .map(EventTopic::topicName).toList();

    @TempDir
    Path dir;
    private EmbeddedKafkaBroker broker;

    @BeforeEach
    void startBroker() {
        broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0);
        broker.createTopics(EndToEndLedger.PARTITIONS, LedgerTopics.all());
    }

    @AfterEach
    void stopBroker() {
        broker.close();
    }

    @Test
    void partialCancelAmendsTheOrderAndReturnsComeBackOnHandUnlessDamaged() throws Exception {
        final String order = orderElsewhere("order");
        final String emptied = orderElsewhere("emptied");
        try (Ledger ledger = new Ledger(EndToEndLedger.start(broker, dir, "stockline-returns"))) {
            // Given 10 mugs and 2 tees, and an order for 4 mugs and both tees
            ledger.send(EventTopic.STOCK_ADJUSTMENTS, MUG, adjustment("a-mug", MUG, 10, null));
            ledger.send(EventTopic.STOCK_ADJUSTMENTS, TEE, adjustment("a-tee", TEE, 2, null));
            ledger.awaitLevels(MUG, "10/10/0", TEE, "2/2/0");
            ledger.send(EventTopic.ORDERS, order, order(order, line(MUG, 4), line(TEE, 2)));
            ledger.awaitOutcomes(order, "RESERVED [MUG-BLUE 4, TEE-M 2]");
            ledger.awaitLevels(MUG, "10/6/4", TEE, "2/0/2");

            // When the customer cancels one mug
            ledger.send(EventTopic.CANCELLATIONS, order, cancel("c-1", order, line(MUG, 1)));

            // Then the order is AMENDED with what it still has reserved, until the same hold's end, and the mug is
            // available again, with a rollback for it
            ledger.awaitOutcomes(order, "RESERVED [MUG-BLUE 4, TEE-M 2]",
                    "AMENDED [MUG-BLUE 3, TEE-M 2] CANCELLED: wrong size");
            ledger.awaitLevels(MUG, "10/7/3", TEE, "2/0/2");
            ledger.awaitRollbacks(order, "MUG-BLUE 1 CANCELLED");
            final List<OrderOutcome> decided = ledger.outcomesOf(order);
            assertEquals(decided.get(0).getExpiresAt(), decided.get(1).getExpiresAt(), "expiresAt unchanged");

            // When the rest is paid, one tee comes back to be sold again, and then everything else comes back damaged
            ledger.send(EventTopic.PAYMENTS, order, payment("p-1", order, PaymentOutcome.CAPTURED, true));
            ledger.awaitOutcomes(order, "RESERVED [MUG-BLUE 4, TEE-M 2]",
                    "AMENDED [MUG-BLUE 3, TEE-M 2] CANCELLED: wrong size", "CONFIRMED [MUG-BLUE 3, TEE-M 2]");
            ledger.awaitLevels(MUG, "7/7/0", TEE, "0/0/0");
            ledger.send(EventTopic.PAYMENTS, order, payment("r-1", order, PaymentOutcome.REFUNDED, true, line(TEE, 1)));
            ledger.awaitLevels(MUG, "7/7/0", TEE, "1/1/0");
            ledger.send(EventTopic.PAYMENTS, order, payment("r-2", order, PaymentOutcome.REFUNDED, false));

            // Then the order is PARTIALLY_REFUNDED, then REFUNDED; the restocked tee is on hand and available again,
            // the damaged units are not
            ledger.awaitOutcomes(order, "RESERVED [MUG-BLUE 4, TEE-M 2]",
                    "AMENDED [MUG-BLUE 3, TEE-M 2] CANCELLED: wrong size", "CONFIRMED [MUG-BLUE 3, TEE-M 2]",
                    "PARTIALLY_REFUNDED [MUG-BLUE 3, TEE-M 1]",
                    "REFUNDED [MUG-BLUE 4, TEE-M 2] returned damaged, not restocked: 3 x MUG-BLUE, 1 x TEE-M");
            ledger.awaitLevels(MUG, "7/7/0", TEE, "1/1/0");
            ledger.awaitRollbacks(order, "MUG-BLUE 1 CANCELLED", "TEE-M 1 REFUNDED");

            // When another order's cancellation names everything it has reserved
            ledger.send(EventTopic.ORDERS, emptied, order(emptied, line(MUG, 2)));
            ledger.awaitLevels(MUG, "7/5/2", TEE, "1/1/0");
            ledger.send(EventTopic.CANCELLATIONS, emptied, cancel("c-2", emptied, line(MUG, 2)));

            // Then it is CANCELLED with the lines it named
            ledger.awaitOutcomes(emptied, "RESERVED [MUG-BLUE 2]", "CANCELLED [MUG-BLUE 2] CANCELLED: wrong size");
            ledger.awaitLevels(MUG, "7/7/0", TEE, "1/1/0");
            ledger.awaitRollbacks(emptied, "MUG-BLUE 2 CANCELLED");

            // And each SKU's movements are every change, in version order; the alerts are each crossing, the tee's
            // restocked return bringing it back in stock
            ledger.awaitMovements(MUG,
                    "ADJUSTMENT a-mug 10/10/0 -> 10/10/0",
                    "RESERVE " + order + " 0/-4/4 -> 10/6/4",
                    "RELEASE " + order + " CANCELLED 0/1/-1 -> 10/7/3",
                    "COMMIT " + order + " -3/0/-3 -> 7/7/0",
                    "RESERVE " + emptied + " 0/-2/2 -> 7/5/2",
                    "RELEASE " + emptied + " CANCELLED 0/2/-2 -> 7/7/0");
            ledger.awaitMovements(TEE,
                    "ADJUSTMENT a-tee 2/2/0 -> 2/2/0",
                    "RESERVE " + order + " 0/-2/2 -> 2/0/2",
                    "COMMIT " + order + " -2/0/-2 -> 0/0/0",
                    "REFUND " + order + " 1/1/0 -> 1/1/0");
            ledger.awaitAlerts(MUG, "BACK_IN_STOCK 10 null");
            ledger.awaitAlerts(TEE, "BACK_IN_STOCK 2 null", "SOLD_OUT 0 null", "BACK_IN_STOCK 1 null");
            ledger.assertEachIdOnceAndNoDeadLetter();
        }
    }

    @Test
    void deductingOnShipmentKeepsPaidUnitsLockedUntilTheyShipAndTakesReturnsBack() throws Exception {
        final String order = orderElsewhere("order");
        final String unshipped = orderElsewhere("unshipped");
        try (Ledger ledger = new Ledger(EndToEndLedger.start(broker, dir, "stockline-shipments", DeductOn.SHIPMENT))) {
            // Given 5 mugs (low at 2) and 4 tees, and an order for 3 mugs and a tee
            ledger.send(EventTopic.STOCK_ADJUSTMENTS, MUG, adjustment("a-mug", MUG, 5, 2L));
            ledger.send(EventTopic.STOCK_ADJUSTMENTS, TEE, adjustment("a-tee", TEE, 4, null));
            ledger.awaitLevels(MUG, "5/5/0", TEE, "4/4/0");
            ledger.send(EventTopic.ORDERS, order, order(order, line(MUG, 3), line(TEE, 1)));
            ledger.awaitLevels(MUG, "5/2/3", TEE, "4/3/1");

            // When it is paid
            ledger.send(EventTopic.PAYMENTS, order, payment("p-1", order, PaymentOutcome.CAPTURED, true));

            // Then it is CONFIRMED and its units stay locked on hand
            ledger.awaitOutcomes(order, "RESERVED [MUG-BLUE 3, TEE-M 1]", "CONFIRMED [MUG-BLUE 3, TEE-M 1]");
            ledger.awaitLevels(MUG, "5/2/3", TEE, "4/3/1");

            // When two mugs ship, then the rest
            ledger.send(EventTopic.SHIPMENTS, order, shipment("s-1", order, line(MUG, 2)));
            ledger.awaitLevels(MUG, "3/2/1", TEE, "4/3/1");
            ledger.send(EventTopic.SHIPMENTS, order, shipment("s-2", order));

            // Then each shipment is SHIPPED with the lines it took, and only now do they leave on hand
            ledger.awaitOutcomes(order, "RESERVED [MUG-BLUE 3, TEE-M 1]", "CONFIRMED [MUG-BLUE 3, TEE-M 1]",
                    "SHIPPED [MUG-BLUE 3, TEE-M 1] still to ship: 1 x MUG-BLUE, 1 x TEE-M", "SHIPPED [MUG-BLUE 3, TEE-M 1]");
            ledger.awaitLevels(MUG, "2/2/0", TEE, "3/3/0");

            // When two shipped mugs come back to be sold again
            ledger.send(EventTopic.PAYMENTS, order, payment("r-1", order, PaymentOutcome.REFUNDED, true,
                    line(MUG, 2)));

            // Then the order is PARTIALLY_REFUNDED and they are on hand and available again
            ledger.awaitOutcomes(order, "RESERVED [MUG-BLUE 3, TEE-M 1]", "CONFIRMED [MUG-BLUE 3, TEE-M 1]",
                    "SHIPPED [MUG-BLUE 3, TEE-M 1] still to ship: 1 x MUG-BLUE, 1 x TEE-M", "SHIPPED [MUG-BLUE 3, TEE-M 1]",
                    "PARTIALLY_REFUNDED [MUG-BLUE 1, TEE-M 1]");
            ledger.awaitLevels(MUG, "4/4/0", TEE, "3/3/0");
            ledger.awaitRollbacks(order, "MUG-BLUE 2 REFUNDED");

            // When another order is paid and refunded before it ships
            ledger.send(EventTopic.ORDERS, unshipped, order(unshipped, line(TEE, 2)));
            ledger.awaitLevels(MUG, "4/4/0", TEE, "3/1/2");
            ledger.send(EventTopic.PAYMENTS, unshipped, payment("p-2", unshipped, PaymentOutcome.CAPTURED, true));
            ledger.awaitOutcomes(unshipped, "RESERVED [TEE-M 2]", "CONFIRMED [TEE-M 2]");
            ledger.send(EventTopic.PAYMENTS, unshipped, payment("r-2", unshipped, PaymentOutcome.REFUNDED, true));

            // Then its units, never shipped, are released from locked
            ledger.awaitOutcomes(unshipped, "RESERVED [TEE-M 2]", "CONFIRMED [TEE-M 2]", "REFUNDED [TEE-M 2]");
            ledger.awaitLevels(MUG, "4/4/0", TEE, "3/3/0");
            ledger.awaitRollbacks(unshipped, "TEE-M 2 REFUNDED");

            // When the first order's last units come back damaged
            ledger.send(EventTopic.PAYMENTS, order, payment("r-3", order, PaymentOutcome.REFUNDED, false));

            // Then it is REFUNDED and they stay out of stock
            ledger.awaitOutcomes(order, "RESERVED [MUG-BLUE 3, TEE-M 1]", "CONFIRMED [MUG-BLUE 3, TEE-M 1]",
                    "SHIPPED [MUG-BLUE 3, TEE-M 1] still to ship: 1 x MUG-BLUE, 1 x TEE-M", "SHIPPED [MUG-BLUE 3, TEE-M 1]",
                    "PARTIALLY_REFUNDED [MUG-BLUE 1, TEE-M 1]",
                    "REFUNDED [MUG-BLUE 3, TEE-M 1] returned damaged, not restocked: 1 x MUG-BLUE, 1 x TEE-M");
            ledger.awaitLevels(MUG, "4/4/0", TEE, "3/3/0");

            // And on hand went down at the shipments, never at a payment; a shipment crosses no alert
            ledger.awaitMovements(MUG,
                    "ADJUSTMENT a-mug 5/5/0 -> 5/5/0",
                    "RESERVE " + order + " 0/-3/3 -> 5/2/3",
                    "SHIP " + order + " -2/0/-2 -> 3/2/1",
                    "SHIP " + order + " -1/0/-1 -> 2/2/0",
                    "REFUND " + order + " 2/2/0 -> 4/4/0");
            ledger.awaitMovements(TEE,
                    "ADJUSTMENT a-tee 4/4/0 -> 4/4/0",
                    "RESERVE " + order + " 0/-1/1 -> 4/3/1",
                    "SHIP " + order + " -1/0/-1 -> 3/3/0",
                    "RESERVE " + unshipped + " 0/-2/2 -> 3/1/2",
                    "RELEASE " + unshipped + " REFUNDED 0/2/-2 -> 3/3/0");
            ledger.awaitAlerts(MUG, "BACK_IN_STOCK 5 2", "LOW_STOCK 2 2");
            ledger.awaitAlerts(TEE, "BACK_IN_STOCK 4 null");
            ledger.assertEachIdOnceAndNoDeadLetter();
        }
    }

    /** An order id whose task owns neither SKU. */
    private static String orderElsewhere(final String prefix) {
        return IntStream.range(0, 1_000).mapToObj(i -> prefix + "-" + i)
                .filter(id -> partitionOf(id) != partitionOf(MUG) && partitionOf(id) != partitionOf(TEE))
                .findFirst().orElseThrow();
    }

    private static OrderLine line(final String sku, final long quantity) {
        return new OrderLine(sku, quantity, null, null);
    }

    private static StockAdjusted adjustment(final String id, final String sku, final long delta, final Long threshold) {
        return new StockAdjusted(id, sku, delta, "delivery", Instant.now(), threshold, null, null, null, null, null,
                null);
    }

    private static OrderPlaced order(final String orderId, final OrderLine... lines) {
        return OrderPlaced.newBuilder().setEventId(orderId + "-placed").setOrderId(orderId)
                .setLines(List.of(lines)).setPlacedAt(Instant.now()).setHoldMillis(600_000L).build();
    }

    private static OrderCancelled cancel(final String cancelId, final String orderId, final OrderLine... lines) {
        return new OrderCancelled(cancelId, orderId, "wrong size", Instant.now(), List.of(lines));
    }

    /** A payment; a refund without lines refunds everything the order still has. */
    private static PaymentEvent payment(final String paymentId, final String orderId, final PaymentOutcome outcome,
                                        final boolean restock, final OrderLine... lines) {
        return new PaymentEvent(paymentId, orderId, outcome, Instant.now(), lines.length == 0 ? null : List.of(lines),
                restock);
    }

    /** A shipment; without lines it ships everything the order still has to ship. */
    private static OrderShipped shipment(final String shipmentId, final String orderId, final OrderLine... lines) {
        return new OrderShipped(shipmentId, orderId, lines.length == 0 ? null : List.of(lines), Instant.now());
    }

    /**
     * The running ledger as the test sees it: a producer for the steps, the stock-levels store, and one
     * read_committed consumer that gathers everything on the output topics from their beginning.
     */
    private final class Ledger implements AutoCloseable {

        private final KafkaStreams streams;
        private final KafkaProducer<String, byte[]> producer;
        private final KafkaConsumer<String, byte[]> consumer;
        private final ReadOnlyKeyValueStore<String, StockLevel> levels;
        private final Map<String, List<OrderOutcome>> outcomes = new HashMap<>();
        private final Map<String, List<StockRollback>> rollbacks = new HashMap<>();
        private final Map<String, List<StockMovement>> movements = new HashMap<>();
        private final Map<String, List<StockAlert>> alerts = new HashMap<>();
        private final List<DeadLetter> deadLetters = new ArrayList<>();

        Ledger(final KafkaStreams streams) {
            this.streams = streams;
            producer = new KafkaProducer<>(broker.clientConfig().producer(), new StringSerializer(),
                    new ByteArraySerializer());
            consumer = new KafkaConsumer<>(broker.clientConfig().consumer(), new StringDeserializer(),
                    new ByteArrayDeserializer());
            final List<TopicPartition> partitions = OUTPUTS.stream().flatMap(topic -> consumer.partitionsFor(topic)
                    .stream().map(info -> new TopicPartition(topic, info.partition()))).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            levels = streams.store(StoreQueryParameters.fromNameAndType(LedgerStores.STOCK_LEVELS,
                    QueryableStoreTypes.keyValueStore()));
        }

        <T extends SpecificRecord> void send(final EventTopic topic, final String key, final T event) {
            EndToEndLedger.send(producer, topic, key, event);
        }

        /** Waits until both SKUs' levels are these, each as {@code onHand/available/locked}. */
        void awaitLevels(final String sku, final String level, final String otherSku, final String otherLevel) {
            awaitEquals("the levels of " + sku + " and " + otherSku, List.of(level, otherLevel),
                    () -> List.of(level(sku), level(otherSku)));
        }

        void awaitOutcomes(final String orderId, final String... expected) {
            awaitEquals("the outcomes of " + orderId, List.of(expected),
                    () -> outcomesOf(orderId).stream().map(Ledger::describe).toList());
        }

        /** Compared sorted: the rollbacks of one step's SKUs come from their own tasks, in either order. */
        void awaitRollbacks(final String orderId, final String... expected) {
            awaitEquals("the rollbacks of " + orderId, Arrays.stream(expected).sorted().toList(),
                    () -> rollbacks.getOrDefault(orderId, List.of()).stream()
                            .map(r -> r.getSku() + " " + r.getQuantity() + " " + r.getCause()).sorted().toList());
        }

        void awaitMovements(final String sku, final String... expected) {
            awaitEquals("the movements of " + sku, List.of(expected), () -> {
                final List<StockMovement> ofSku = movements.getOrDefault(sku, List.of());
                IntStream.range(0, ofSku.size()).forEach(i -> assertEquals(i + 1, ofSku.get(i).getVersion(),
                        "movements in version order, one per version"));
                return ofSku.stream().map(Ledger::describe).toList();
            });
        }

        void awaitAlerts(final String sku, final String... expected) {
            awaitEquals("the alerts of " + sku, List.of(expected), () -> alerts.getOrDefault(sku, List.of()).stream()
                    .map(a -> a.getKind() + " " + a.getAvailable() + " " + a.getThreshold()).toList());
        }

        List<OrderOutcome> outcomesOf(final String orderId) {
            return outcomes.getOrDefault(orderId, List.of());
        }

        void assertEachIdOnceAndNoDeadLetter() {
            poll();
            final List<String> movementIds = movements.values().stream().flatMap(List::stream)
                    .map(StockMovement::getMovementId).toList();
            assertEquals(movementIds.size(), new HashSet<>(movementIds).size(), "no movement id twice");
            final List<String> rollbackIds = rollbacks.values().stream().flatMap(List::stream)
                    .map(StockRollback::getRollbackId).toList();
            assertEquals(rollbackIds.size(), new HashSet<>(rollbackIds).size(), "no rollback id twice");
            assertEquals(List.of(), deadLetters.stream().map(d -> d.getCode() + ": " + d.getMessage()).toList());
        }

        private String level(final String sku) {
            final StockLevel level = levels.get(sku);
            return level == null ? "none" : level.onHand() + "/" + level.available() + "/" + level.locked();
        }

        /** Polls the outputs until {@code actual} is {@code expected}, then fails showing both. */
        private <T> void awaitEquals(final String what, final T expected, final Supplier<T> actual) {
            try {
                Await.until(what, DEADLINE, () -> {
                    poll();
                    return expected.equals(actual.get());
                });
            } catch (final AssertionError timedOut) {
                assertEquals(expected, actual.get(), timedOut.getMessage());
                throw timedOut;
            }
        }

        private void poll() {
            for (final ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                final EventTopic topic = EventTopic.byName(record.topic()).orElseThrow();
                final Object value = EndToEndLedger.SERDES.serde(topic.valueType()).deserializer()
                        .deserialize(record.topic(), record.value());
                if (value instanceof OrderOutcome o) {
                    outcomes.computeIfAbsent(o.getOrderId(), k -> new ArrayList<>()).add(o);
                } else if (value instanceof StockRollback r) {
                    rollbacks.computeIfAbsent(r.getOrderId(), k -> new ArrayList<>()).add(r);
                } else if (value instanceof StockMovement m) {
                    movements.computeIfAbsent(m.getSku(), k -> new ArrayList<>()).add(m);
                } else if (value instanceof StockAlert a) {
                    alerts.computeIfAbsent(a.getSku(), k -> new ArrayList<>()).add(a);
                } else {
                    deadLetters.add((DeadLetter) value);
                }
            }
        }

        /** {@code STATUS [SKU n, ...] reason}, the reason left out when there is none. */
        private static String describe(final OrderOutcome outcome) {
            return outcome.getStatus() + " " + outcome.getLines().stream()
                    .map(l -> l.getSku() + " " + l.getQuantity()).toList()
                    + (outcome.getReason() == null ? "" : " " + outcome.getReason());
        }

        /** {@code KIND order-or-adjustment [cause] deltas -> afters}, each as onHand/available/locked. */
        private static String describe(final StockMovement m) {
            return m.getKind() + " " + (m.getOrderId() == null ? m.getAdjustmentId() : m.getOrderId())
                    + (m.getCause() == null ? "" : " " + m.getCause()) + " " + m.getOnHandDelta() + "/"
                    + m.getAvailableDelta() + "/" + m.getLockedDelta() + " -> " + m.getOnHandAfter() + "/"
                    + m.getAvailableAfter() + "/" + m.getLockedAfter();
        }

        @Override
        public void close() {
            try (streams; producer; consumer) {
                // closed in reverse order: the consumer, the producer, then the ledger
            }
        }
    }
}
