package io.stockline.topology;

import io.stockline.ledger.Order;
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
import io.stockline.schemas.serde.SingleObjectSerdeFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The ledger topology in a {@link TopologyTestDriver}, with a fixed start instant, its own state
 * directory, typed inputs and outputs, and the stores to look into. Wall-clock time moves only when a
 * test moves it.
 */
public final class LedgerHarness implements AutoCloseable {

    public static final Instant START = Instant.parse("2026-11-22T10:00:00Z");
    public static final Duration HOLD = Duration.ofMinutes(15);
    public static final Duration GRACE = Duration.ofMinutes(5);
    static final String APPLICATION_ID = "stockline-test";

    private final LedgerSerdes serdes = LedgerSerdes.create(new SingleObjectSerdeFactory());
    private final Path stateDir;
    private final TopologyTestDriver driver;
    private final TestInputTopic<String, OrderPlaced> orders;
    private final TestInputTopic<String, PaymentEvent> payments;
    private final TestInputTopic<String, OrderCancelled> cancellations;
    private final TestInputTopic<String, OrderShipped> shipments;
    private final TestInputTopic<String, StockAdjusted> adjustments;
    private final TestOutputTopic<String, OrderOutcome> outcomes;
    private final TestOutputTopic<String, StockRollback> rollbacks;
    private final TestOutputTopic<String, DeadLetter> deadLetters;
    private final TestOutputTopic<String, StockMovement> stockMovements;
    private final TestOutputTopic<String, StockAlert> stockAlerts;

    /**
     * Six partitions, as {@code stockline run} creates: in the test driver every record is on partition 0, so
     * keys that hash to 0 are applied in the task at once and every other key goes round through its command
     * topic, as it would to another task. {@link #onOnePartition()} keeps every key local.
     */
    public static final int PARTITIONS = 6;

    public LedgerHarness() {
        this(config(PARTITIONS));
    }

    public static LedgerHarness onOnePartition() {
        return new LedgerHarness(config(1));
    }

    public static LedgerConfig config(final int partitions) {
        return new LedgerConfig(HOLD, GRACE, LedgerConfig.DEFAULT_TIMER_INTERVAL).withPartitions(partitions);
    }

    public LedgerHarness(final LedgerConfig config) {
        try {
            stateDir = Files.createTempDirectory("stockline-ttd");
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        final Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.putAll(LedgerTopology.requiredStreamsProperties());
        driver = new TopologyTestDriver(LedgerTopology.build(config, serdes), props, START);
        final StringSerializer keys = new StringSerializer();
        orders = driver.createInputTopic(EventTopic.ORDERS.topicName(), keys, serdes.orders().serializer());
        payments = driver.createInputTopic(EventTopic.PAYMENTS.topicName(), keys, serdes.payments().serializer());
        cancellations = driver.createInputTopic(EventTopic.CANCELLATIONS.topicName(), keys,
                serdes.cancellations().serializer());
        shipments = driver.createInputTopic(EventTopic.SHIPMENTS.topicName(), keys, serdes.shipments().serializer());
        adjustments = driver.createInputTopic(EventTopic.STOCK_ADJUSTMENTS.topicName(), keys,
                serdes.adjustments().serializer());
        final StringDeserializer keyReader = new StringDeserializer();
        outcomes = driver.createOutputTopic(EventTopic.ORDER_OUTCOMES.topicName(), keyReader,
                serdes.outcomes().deserializer());
        rollbacks = driver.createOutputTopic(EventTopic.STOCK_ROLLBACKS.topicName(), keyReader,
                serdes.rollbacks().deserializer());
        deadLetters = driver.createOutputTopic(EventTopic.DEAD_LETTERS.topicName(), keyReader,
                serdes.deadLetters().deserializer());
        stockMovements = driver.createOutputTopic(EventTopic.STOCK_MOVEMENTS.topicName(), keyReader,
                serdes.movements().deserializer());
        stockAlerts = driver.createOutputTopic(EventTopic.STOCK_ALERTS.topicName(), keyReader,
                serdes.alerts().deserializer());
    }

    public Instant now() {
        return START.plus(Duration.ofMillis(elapsedMillis));
    }

    private long elapsedMillis;

    /** Moves the wall clock, which fires due punctuations. */
    public void advance(final Duration duration) {
        elapsedMillis += duration.toMillis();
        driver.advanceWallClockTime(duration);
    }

    public void adjust(final String adjustmentId, final String sku, final long delta) {
        adjust(adjustmentId, sku, delta, now());
    }

    /** An adjustment that says it happened at {@code at}: a redelivery of an old one, say. */
    public void adjust(final String adjustmentId, final String sku, final long delta, final Instant at) {
        adjustments.pipeInput(sku, new StockAdjusted(adjustmentId, sku, delta, "test", at, null, null, null, null,
                null, null, null), now());
    }

    /** An adjustment that also sets the SKU's low-stock threshold ({@code delta} 0 to set only that). */
    public void adjust(final String adjustmentId, final String sku, final long delta, final long threshold) {
        adjustments.pipeInput(sku, new StockAdjusted(adjustmentId, sku, delta, "test", now(), threshold, null, null,
                null, null, null, null), now());
    }

    /** Units in ({@code delta > 0}) or out at a location and batch, the batch expiring at {@code expiresAt}. */
    public void adjustAt(final String adjustmentId, final String sku, final long delta, final String location,
                         final String batch, final Instant expiresAt) {
        adjust(adjustment(adjustmentId, sku, delta, now()).setLocation(location).setBatch(batch)
                .setBatchExpiresAt(expiresAt).build());
    }

    /** A transfer of {@code delta} units of {@code batch} (null: outside a batch) from one location to another. */
    public void transfer(final String adjustmentId, final String sku, final long delta, final String from,
                         final String batch, final String to) {
        adjust(adjustment(adjustmentId, sku, delta, now()).setLocation(from).setBatch(batch).setToLocation(to)
                .build());
    }

    /** Any adjustment, as a producer wrote it. */
    public void adjust(final StockAdjusted adjustment) {
        adjustments.pipeInput(adjustment.getSku(), adjustment, now());
    }

    /** An adjustment of {@code delta} units of {@code sku} at the default place, to set more fields on. */
    public static StockAdjusted.Builder adjustment(final String adjustmentId, final String sku, final long delta,
                                                   final Instant at) {
        return StockAdjusted.newBuilder().setAdjustmentId(adjustmentId).setSku(sku).setDelta(delta).setReason("test")
                .setAt(at);
    }

    public void place(final String orderId, final OrderLine... lines) {
        place(order(orderId, orderId + "-placed", now(), null, lines));
    }

    public void place(final OrderPlaced order) {
        orders.pipeInput(order.getOrderId(), order, now());
    }

    public static OrderPlaced order(final String orderId, final String eventId, final Instant placedAt,
                                    final Long holdMillis, final OrderLine... lines) {
        return OrderPlaced.newBuilder().setEventId(eventId).setOrderId(orderId).setLines(Arrays.asList(lines))
                .setPlacedAt(placedAt).setHoldMillis(holdMillis).build();
    }

    /** The first key {@code prefix-N} that the ledger's partitioning puts on {@code partition}. */
    public static String keyOn(final int partition, final String prefix) {
        return IntStream.range(0, 10_000).mapToObj(i -> prefix + "-" + i)
                .filter(key -> Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8)))
                        % PARTITIONS == partition)
                .findFirst().orElseThrow();
    }

    public static OrderLine line(final String sku, final long quantity) {
        return new OrderLine(sku, quantity, null, null);
    }

    /** A line pinned to {@code location}; in an outcome, units at that location outside any batch. */
    public static OrderLine line(final String sku, final long quantity, final String location) {
        return new OrderLine(sku, quantity, location, null);
    }

    /** An outcome's line: units at a location in a batch. */
    public static OrderLine line(final String sku, final long quantity, final String location, final String batch) {
        return new OrderLine(sku, quantity, location, batch);
    }

    public void pay(final String paymentId, final String orderId, final PaymentOutcome outcome) {
        pay(paymentId, orderId, outcome, now());
    }

    public void pay(final String paymentId, final String orderId, final PaymentOutcome outcome, final Instant at) {
        payments.pipeInput(orderId, new PaymentEvent(paymentId, orderId, outcome, at, null, true), now());
    }

    public void cancel(final String cancelId, final String orderId, final String reason) {
        cancellations.pipeInput(orderId, new OrderCancelled(cancelId, orderId, reason, now(), null), now());
    }

    /** A cancellation of {@code lines} only: the rest of the order stays reserved. */
    public void cancel(final String cancelId, final String orderId, final String reason, final OrderLine... lines) {
        cancellations.pipeInput(orderId, new OrderCancelled(cancelId, orderId, reason, now(), List.of(lines)), now());
    }

    /** A refund of {@code lines} (of everything when there are none), their units back on sale or not. */
    public void refund(final String paymentId, final String orderId, final boolean restock, final OrderLine... lines) {
        payments.pipeInput(orderId, new PaymentEvent(paymentId, orderId, PaymentOutcome.REFUNDED, now(),
                lines.length == 0 ? null : List.of(lines), restock), now());
    }

    /** A shipment of {@code lines}, or of everything the order still has to ship when there are none. */
    public void ship(final String shipmentId, final String orderId, final OrderLine... lines) {
        shipments.pipeInput(orderId, new OrderShipped(shipmentId, orderId, lines.length == 0 ? null : List.of(lines),
                now()), now());
    }

    /** Raw bytes into any input topic, for events no generated class could produce. */
    public void pipeRaw(final EventTopic topic, final byte[] key, final byte[] value) {
        driver.createInputTopic(topic.topicName(), new ByteArraySerializer(), new ByteArraySerializer())
                .pipeInput(key, value, now());
    }

    public List<OrderOutcome> outcomes() {
        return outcomes.readValuesToList();
    }

    public List<StockRollback> rollbacks() {
        return rollbacks.readValuesToList();
    }

    public List<DeadLetter> deadLetters() {
        return deadLetters.readValuesToList();
    }

    /** The stock-movements records written since the last call, key and value, in the order they were written. */
    public List<KeyValue<String, StockMovement>> stockMovements() {
        return stockMovements.readKeyValuesToList();
    }

    /** The stock-alerts records written since the last call, key and value, in the order they were written. */
    public List<KeyValue<String, StockAlert>> stockAlerts() {
        return stockAlerts.readKeyValuesToList();
    }

    /** The keys of the records the ledger wrote to one of its command topics since the last call. */
    public List<String> commandKeys(final String commandTopic) {
        return driver.createOutputTopic(commandTopic, new StringDeserializer(), new ByteArrayDeserializer())
                .readKeyValuesToList().stream().map(r -> r.key).toList();
    }

    /** A topic's new records as the raw bytes on the wire. */
    public List<KeyValue<byte[], byte[]>> raw(final String topic) {
        return driver.createOutputTopic(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer())
                .readKeyValuesToList();
    }

    public StockLevel level(final String sku) {
        final KeyValueStore<String, StockLevel> store = driver.getKeyValueStore(LedgerStores.STOCK_LEVELS);
        return store.get(sku);
    }

    public Order order(final String orderId) {
        final KeyValueStore<String, Order> store = driver.getKeyValueStore(LedgerStores.ORDERS);
        return store.get(orderId);
    }

    /** The total of one of the ledger's counters, summed over every thread and task. */
    public double counterTotal(final String operation, final String label, final String value) {
        return driver.metrics().entrySet().stream()
                .filter(e -> e.getKey().group().equals("stream-" + LedgerMetrics.SCOPE + "-metrics"))
                .filter(e -> e.getKey().name().equals(operation + "-total"))
                .filter(e -> value.equals(e.getKey().tags().get(label)))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue()).sum();
    }

    public KeyValueStore<String, StockLevel> levels() {
        return driver.getKeyValueStore(LedgerStores.STOCK_LEVELS);
    }

    public KeyValueStore<String, Long> appliedAdjustments() {
        return driver.getKeyValueStore(LedgerStores.APPLIED_ADJUSTMENTS);
    }

    /** A store's changelog records since the last call, key and raw value (null for a tombstone). */
    public List<KeyValue<String, byte[]>> changelog(final String store) {
        return driver.createOutputTopic(APPLICATION_ID + "-" + store + "-changelog", new StringDeserializer(),
                new ByteArrayDeserializer()).readKeyValuesToList();
    }

    public KeyValueStore<String, Order> orderStore() {
        return driver.getKeyValueStore(LedgerStores.ORDERS);
    }

    @Override
    public void close() {
        driver.close();
        try (Stream<Path> files = Files.walk(stateDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
