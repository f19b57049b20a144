package io.stockline.bench;

import io.stockline.app.Errors;
import io.stockline.app.UserError;
import io.stockline.app.config.ClientOverrides;
import io.stockline.app.config.DeductOnConverter;
import io.stockline.app.config.StreamsProperties;
import io.stockline.app.service.TopologyFactory;
import io.stockline.app.kafka.CleanupRule;
import io.stockline.app.kafka.EmbeddedKafkaBroker;
import io.stockline.app.kafka.KafkaAdmin;
import io.stockline.app.kafka.KafkaClientConfig;
import io.stockline.ledger.PlaceLevel;
import io.stockline.ledger.StockLevel;
import io.stockline.schemas.EventTopic;
import io.stockline.schemas.OrderCancelled;
import io.stockline.schemas.OrderLine;
import io.stockline.schemas.OrderOutcome;
import io.stockline.schemas.OrderPlaced;
import io.stockline.schemas.OrderShipped;
import io.stockline.schemas.OrderStatus;
import io.stockline.schemas.PaymentEvent;
import io.stockline.schemas.PaymentOutcome;
import io.stockline.schemas.StockAdjusted;
import io.stockline.schemas.serde.SingleObjectSerdeFactory;
import io.stockline.topology.LedgerConfig;
import io.stockline.topology.LedgerStores;
import io.stockline.topology.LedgerTopics;
import io.stockline.topology.LedgerTopology;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The ledger for real, in this JVM: the embedded single-node broker (or a cluster given with
 * {@code --bootstrap-servers}), Kafka Streams running {@link LedgerTopology} with exactly-once, a plain
 * idempotent producer writing the contract's Avro events as a shop would, and a {@code read_committed}
 * consumer reading {@code order-outcomes}. Levels come from the ledger's own {@code stock-levels-store}.
 */
final class StocklineEngine implements Engine {

    /**
     * How the ledger runs for the bench. Empty optionals keep Kafka Streams' own defaults, as {@code stockline run} does.
     *
     * @param bootstrapServers  a cluster to use instead of the embedded broker
     * @param partitions        partitions of every ledger topic
     * @param streamThreads     {@code num.stream.threads}
     * @param commitInterval    {@code commit.interval.ms} (Streams' default under exactly-once: 100 ms)
     * @param cacheBytes        {@code statestore.cache.max.bytes} (Streams' default: 10 MiB)
     * @param driverLinger      {@code linger.ms} of the shop-side producer the bench drives the ledger with
     * @param streamsProperties any other Kafka Streams settings; the ledger's required ones always win
     * @param ledgerUrl         a ledger already running elsewhere ({@code stockline run} on bootstrapServers): the
     *                          bench then starts no Kafka Streams of its own and reads levels over this HTTP API,
     *                          so the ledger's processes can be stopped, killed and restarted during a run
     * @param clientOverrides   extra Kafka client settings (TLS, SASL...) from {@code --kafka-config}
     */
    record Settings(Optional<String> bootstrapServers, int partitions, int streamThreads,
                    Optional<Duration> commitInterval, Optional<Long> cacheBytes, Duration driverLinger,
                    Map<String, String> streamsProperties, Optional<URI> ledgerUrl,
                    ClientOverrides clientOverrides) {
    }

    static final String NAME = "stockline";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOCK_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration POLL = Duration.ofMillis(100);
    private static final String LATE = "hold deadline";

    private final Settings settings;
    private final SingleObjectSerdeFactory events = new SingleObjectSerdeFactory();
    private final Serializer<OrderPlaced> orders = events.serde(OrderPlaced.class).serializer();
    private final Serializer<PaymentEvent> payments = events.serde(PaymentEvent.class).serializer();
    private final Serializer<OrderCancelled> cancellations = events.serde(OrderCancelled.class).serializer();
    private final Serializer<OrderShipped> shipments = events.serde(OrderShipped.class).serializer();
    private final Deserializer<OrderOutcome> outcomes = events.serde(OrderOutcome.class).deserializer();
    private final AtomicReference<String> failure = new AtomicReference<>();
    private final Map<String, Object> effectiveStreamsProperties = new LinkedHashMap<>();
    private final CountDownLatch running = new CountDownLatch(1);
    private Path workDir;
    private EmbeddedKafkaBroker broker;
    private KafkaStreams streams;
    private KafkaProducer<String, byte[]> producer;
    private Thread outcomeReader;
    private volatile boolean closing;
    private Scenario scenario;
    private OutcomeLog log;

    StocklineEngine(final Settings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void prepare(final Scenario run, final OutcomeLog outcomeLog) {
        scenario = run;
        log = outcomeLog;
        try {
            workDir = Files.createTempDirectory("stockline-bench-");
        } catch (final IOException e) {
            throw new UncheckedIOException("cannot create a working directory for the bench", e);
        }
        final String bootstrap = settings.bootstrapServers().orElseGet(() -> {
            broker = EmbeddedKafkaBroker.start(workDir.resolve("kafka"), 0);
            return broker.bootstrapServers();
        });
        final KafkaClientConfig clients = new KafkaClientConfig(bootstrap, settings.clientOverrides());
        final int partitions;
        try (KafkaAdmin admin = KafkaAdmin.connect(clients)) {
            admin.ensureTopics(LedgerTopics.all(), settings.partitions(), -1);
            partitions = admin.coPartitionedCount();
            // Each run has an application id of its own, so there are no changelogs yet to check.
            admin.requireCleanupPolicies(CleanupRule.forEventTopics());
        } catch (final UserError e) {
            // Unreachable, or reachable with topics the ledger cannot use: its own words say which.
            throw new EngineUnavailableException(e.getMessage(), e);
        } catch (final RuntimeException e) {
            throw new EngineUnavailableException("Kafka is not reachable at " + bootstrap + " ("
                    + Errors.rootMessage(e) + ")", e);
        }
        if (settings.ledgerUrl().isEmpty()) {
            startStreams(bootstrap, partitions);
        }
        producer = new KafkaProducer<>(producerProperties(clients), new StringSerializer(), new ByteArraySerializer());
        startOutcomeReader(clients);
        loadStock();
    }

    private void startStreams(final String bootstrap, final int partitions) {
        // As `stockline run` has them: tuned defaults, then the --kafka-config file, then the flags.
        final Map<String, Object> flags = new LinkedHashMap<>();
        flags.put(StreamsConfig.APPLICATION_ID_CONFIG, "stockline-bench-" + scenario.runId());
        flags.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        flags.put(StreamsConfig.STATE_DIR_CONFIG, workDir.resolve("streams").toString());
        flags.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, settings.streamThreads());
        flags.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, -1);
        settings.commitInterval().ifPresent(interval ->
                flags.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, interval.toMillis()));
        settings.cacheBytes().ifPresent(bytes -> flags.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, bytes));
        flags.putAll(settings.streamsProperties());
        effectiveStreamsProperties.putAll(StreamsProperties.of(settings.clientOverrides(), flags));
        final LedgerConfig rules = LedgerConfig.defaults().withPartitions(partitions)
                .withDeductOn(scenario.spec().deductOn()).withAllocation(StockSpread.of(scenario.spec()).allocation());
        streams = new KafkaStreams(TopologyFactory.ledgerTopology(rules), new StreamsConfig(effectiveStreamsProperties));
        streams.setStateListener((now, before) -> {
            if (now == KafkaStreams.State.RUNNING) {
                running.countDown();
            } else if (now == KafkaStreams.State.ERROR) {
                failure.compareAndSet(null, "Kafka Streams stopped with an error");
            }
        });
        streams.setUncaughtExceptionHandler(error -> {
            failure.compareAndSet(null, "Kafka Streams failed: " + Errors.rootMessage(error));
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        streams.start();
        try {
            if (!running.await(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("Kafka Streams did not reach RUNNING within "
                        + START_TIMEOUT.toSeconds() + " s");
            }
        } catch (final InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting Kafka Streams", e);
        }
    }

    private Map<String, Object> producerProperties(final KafkaClientConfig clients) {
        final Map<String, Object> properties = new HashMap<>(clients.producer());
        properties.put(ProducerConfig.CLIENT_ID_CONFIG, ResourceProbe.DRIVER_PREFIX + "producer");
        properties.put(ProducerConfig.LINGER_MS_CONFIG, (int) settings.driverLinger().toMillis());
        properties.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        properties.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 256L * 1024 * 1024);
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 120_000);
        return properties;
    }

    private void startOutcomeReader(final KafkaClientConfig clients) {
        final Map<String, Object> properties = new HashMap<>(clients.consumer());
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, ResourceProbe.DRIVER_PREFIX + "outcomes");
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        final KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(properties, new StringDeserializer(), new ByteArrayDeserializer());
        final String topic = EventTopic.ORDER_OUTCOMES.topicName();
        final List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        outcomeReader = new Thread(() -> readOutcomes(consumer), ResourceProbe.DRIVER_PREFIX + "outcome-reader");
        outcomeReader.setDaemon(true);
        outcomeReader.start();
    }

    private void readOutcomes(final KafkaConsumer<String, byte[]> consumer) {
        try (consumer) {
            while (!closing) {
                for (final ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
                    final long now = System.nanoTime();
                    final int order = record.key() == null ? -1 : scenario.orderIndex(record.key());
                    if (order >= 0) {
                        final OrderOutcome outcome = outcomes.deserialize(record.topic(), record.value());
                        final OrderStatus status = outcome.getStatus();
                        final boolean late = status == OrderStatus.REJECTED && outcome.getReason() != null
                                && outcome.getReason().contains(LATE);
                        log.record(order, status, late, now);
                    }
                }
            }
        } catch (final KafkaException | IllegalStateException e) {
            if (!closing) {
                failure.compareAndSet(null, "reading order-outcomes failed: " + Errors.rootMessage(e));
            }
        }
    }

    /**
     * Each SKU's starting stock, spread over places as the spec says (one adjustment per SKU by default), then waits
     * until the stock side shows every SKU's whole stock: not part of the measured phase.
     */
    private void loadStock() {
        final Serializer<StockAdjusted> adjustments = events.serde(StockAdjusted.class).serializer();
        final String topic = EventTopic.STOCK_ADJUSTMENTS.topicName();
        final StockSpread spread = StockSpread.of(scenario.spec());
        int stocked = 0;
        for (int sku = 0; sku < scenario.skuCount(); sku++) {
            if (scenario.initialStock(sku) == 0) {
                continue;
            }
            final String name = scenario.skuName(sku);
            for (final StockAdjusted adjustment : spread.adjustments(name, scenario.initialStock(sku), Instant.now())) {
                producer.send(new ProducerRecord<>(topic, name, adjustments.serialize(topic, adjustment)));
            }
            stocked++;
        }
        producer.flush();
        final long deadline = System.nanoTime() + STOCK_TIMEOUT.toNanos();
        while (countStocked() < stocked) {
            if (System.nanoTime() > deadline || failure.get() != null) {
                throw new IllegalStateException("the ledger did not take in the starting stock within "
                        + STOCK_TIMEOUT.toMinutes() + " min" + failure().map(f -> ": " + f).orElse(""));
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
    }

    private int countStocked() {
        final Levels levels = levels();
        int stocked = 0;
        for (int sku = 0; sku < levels.size(); sku++) {
            if (levels.present(sku) && levels.onHand(sku) == scenario.initialStock(sku)) {
                stocked++;
            }
        }
        return stocked;
    }

    @Override
    public void send(final long event) {
        final int order = Scenario.orderOf(event);
        final String orderId = scenario.orderId(order);
        final Instant now = Instant.now();
        final String eventId = scenario.eventId(event);
        final ProducerRecord<String, byte[]> record = switch (Scenario.kindOf(event)) {
            case PLACE -> place(order, orderId, eventId, now);
            case CAPTURE -> payment(orderId, eventId, PaymentOutcome.CAPTURED, null, true, now);
            case FAIL -> payment(orderId, eventId, PaymentOutcome.FAILED, null, true, now);
            case REFUND -> payment(orderId, eventId, PaymentOutcome.REFUNDED, null, true, now);
            case RETURN_RESTOCKED -> payment(orderId, eventId, PaymentOutcome.REFUNDED, lines(event), true, now);
            case RETURN_DAMAGED -> payment(orderId, eventId, PaymentOutcome.REFUNDED, lines(event), false, now);
            case CANCEL -> cancel(orderId, eventId, null, now);
            case CANCEL_LINES -> cancel(orderId, eventId, lines(event), now);
            case SHIP_LINES -> shipment(orderId, eventId, lines(event), now);
            case SHIP_REST -> shipment(orderId, eventId, null, now);
        };
        producer.send(record, (metadata, error) -> {
            if (error != null) {
                failure.compareAndSet(null, "sending to " + record.topic() + " failed: " + Errors.rootMessage(error));
            }
        });
    }

    private ProducerRecord<String, byte[]> place(final int order, final String orderId, final String eventId,
                                                 final Instant now) {
        final List<OrderLine> lines = new ArrayList<>(scenario.lineCount(order));
        for (int line = 0; line < scenario.lineCount(order); line++) {
            lines.add(new OrderLine(scenario.skuName(scenario.lineSku(order, line)),
                    (long) scenario.lineQuantity(order, line), null, null));
        }
        final String topic = EventTopic.ORDERS.topicName();
        final OrderPlaced placed = OrderPlaced.newBuilder().setEventId(eventId).setOrderId(orderId).setLines(lines)
                .setPlacedAt(now).setHoldMillis(scenario.namesHold(order) ? scenario.holdMillis(order) : null)
                .setCustomerId(scenario.customerId(order)).build();
        return new ProducerRecord<>(topic, orderId, orders.serialize(topic, placed));
    }

    /** The lines an event names: of each of its order's lines, the units the scenario drew for it, if any. */
    private List<OrderLine> lines(final long event) {
        final int order = Scenario.orderOf(event);
        final List<OrderLine> lines = new ArrayList<>(scenario.lineCount(order));
        for (int line = 0; line < scenario.lineCount(order); line++) {
            final int quantity = scenario.eventQuantity(event, line);
            if (quantity > 0) {
                lines.add(new OrderLine(scenario.skuName(scenario.lineSku(order, line)), (long) quantity, null, null));
            }
        }
        return lines;
    }

    /** A payment event; {@code lines} null for the whole order, as every payment but a partial refund is. */
    private ProducerRecord<String, byte[]> payment(final String orderId, final String eventId,
                                                   final PaymentOutcome outcome, final List<OrderLine> lines,
                                                   final boolean restock, final Instant now) {
        final String topic = EventTopic.PAYMENTS.topicName();
        final PaymentEvent payment = PaymentEvent.newBuilder().setPaymentId(eventId).setOrderId(orderId)
                .setOutcome(outcome).setAt(now).setLines(lines).setRestock(restock).build();
        return new ProducerRecord<>(topic, orderId, payments.serialize(topic, payment));
    }

    private ProducerRecord<String, byte[]> cancel(final String orderId, final String eventId,
                                                  final List<OrderLine> lines, final Instant now) {
        final String topic = EventTopic.CANCELLATIONS.topicName();
        final OrderCancelled cancel = OrderCancelled.newBuilder().setCancelId(eventId).setOrderId(orderId)
                .setReason("the buyer changed their mind").setAt(now).setLines(lines).build();
        return new ProducerRecord<>(topic, orderId, cancellations.serialize(topic, cancel));
    }

    private ProducerRecord<String, byte[]> shipment(final String orderId, final String eventId,
                                                    final List<OrderLine> lines, final Instant now) {
        final String topic = EventTopic.SHIPMENTS.topicName();
        final OrderShipped shipped = OrderShipped.newBuilder().setShipmentId(eventId).setOrderId(orderId)
                .setLines(lines).setAt(now).build();
        return new ProducerRecord<>(topic, orderId, shipments.serialize(topic, shipped));
    }

    @Override
    public void endOfEvents() {
        producer.flush();
    }

    @Override
    public Levels levels() {
        return settings.ledgerUrl().map(url -> new HttpLevels(url).read(scenario)).orElseGet(this::storeLevels);
    }

    private static void putPlaces(final Levels levels, final int sku, final StockLevel level) {
        long onHand = 0;
        long available = 0;
        long locked = 0;
        int holding = 0;
        for (final PlaceLevel part : level.parts()) {
            onHand += part.onHand();
            available += part.available();
            locked += part.locked();
            holding += part.onHand() > 0 ? 1 : 0;
        }
        levels.putPlaces(sku, onHand, available, locked, holding);
    }

    private Levels storeLevels() {
        final Levels levels = new Levels(scenario.skuCount());
        final ReadOnlyKeyValueStore<String, StockLevel> store = streams.store(StoreQueryParameters.fromNameAndType(
                LedgerStores.STOCK_LEVELS, QueryableStoreTypes.<String, StockLevel>keyValueStore()));
        try (KeyValueIterator<String, StockLevel> all = store.all()) {
            all.forEachRemaining(entry -> {
                final int sku = scenario.skuIndex(entry.key);
                if (sku >= 0) {
                    levels.put(sku, entry.value.onHand(), entry.value.available(), entry.value.locked());
                    putPlaces(levels, sku, entry.value);
                }
            });
        }
        return levels;
    }

    @Override
    public OptionalLong servicePid() {
        return settings.ledgerUrl().isPresent() ? OptionalLong.empty() : OptionalLong.of(ProcessHandle.current().pid());
    }

    @Override
    public Optional<String> failure() {
        return Optional.ofNullable(failure.get());
    }

    @Override
    public Map<String, Object> settings() {
        final Map<String, Object> described = new LinkedHashMap<>();
        described.put("broker", broker == null ? settings.bootstrapServers().orElse("?")
                : "embedded, in this JVM (" + broker.bootstrapServers() + ")");
        settings.ledgerUrl().ifPresent(url -> described.put("ledger", "external, asked at " + url));
        described.put("partitions", settings.partitions());
        described.put("deductOn", DeductOnConverter.format(scenario.spec().deductOn()));
        described.put("driverLingerMs", settings.driverLinger().toMillis());
        if (settings.ledgerUrl().isEmpty()) {
            final Map<String, Object> shown = new LinkedHashMap<>(effectiveStreamsProperties);
            shown.remove(StreamsConfig.STATE_DIR_CONFIG);
            shown.remove(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG);
            shown.putIfAbsent(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "default (100 under exactly-once)");
            described.put("streams", shown);
        }
        return described;
    }

    @Override
    public void close() {
        closing = true;
        if (streams != null) {
            streams.close(CloseOptions.timeout(Duration.ofSeconds(30)));
        }
        if (outcomeReader != null) {
            try {
                outcomeReader.join(TimeUnit.SECONDS.toMillis(10));
            } catch (final InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(10));
        }
        if (broker != null) {
            broker.close();
        }
        deleteWorkDir();
    }

    private void deleteWorkDir() {
        if (workDir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(workDir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (final IOException | UncheckedIOException e) {
            // A temporary directory left behind is untidy, not wrong.
        }
    }
}
