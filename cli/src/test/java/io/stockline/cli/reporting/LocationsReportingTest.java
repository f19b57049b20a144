package io.stockline.cli.reporting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stockline.app.config.ClientOverrides;
import io.stockline.app.config.ServiceConfig;
import io.stockline.app.kafka.KafkaClientConfig;
import io.stockline.app.service.Endpoints;
import io.stockline.app.service.StocklineService;
import io.stockline.app.service.TopologyFactory;
import io.stockline.cli.InProcessCli;
import io.stockline.ledger.AllocationPolicy;
import io.stockline.ledger.Place;
import io.stockline.ledger.StockLevel;
import io.stockline.reporting.ConnectWorker;
import io.stockline.reporting.LedgerClient;
import io.stockline.reporting.ReconcileReport;
import io.stockline.reporting.Reconciler;
import io.stockline.reporting.ReportingRows.StockMovements;
import io.stockline.reporting.ReportingRows.StockPlaces;
import io.stockline.reporting.Tables;
import io.stockline.reporting.WorkerSettings;
import io.stockline.schemas.EventTopic;
import io.stockline.schemas.OrderLine;
import io.stockline.schemas.OrderOutcome;
import io.stockline.schemas.OrderPlaced;
import io.stockline.schemas.OrderStatus;
import io.stockline.schemas.PaymentEvent;
import io.stockline.schemas.PaymentOutcome;
import io.stockline.schemas.StockAdjusted;
import io.stockline.schemas.StockMovement;
import io.stockline.schemas.api.ApiPaths;
import io.stockline.schemas.api.StockView;
import io.stockline.schemas.serde.SingleObjectSerdeFactory;
import io.stockline.testkit.Await;
import io.stockline.testkit.Http;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reporting tables of a ledger that keeps stock at several locations and in batches ({@code --locations
 * north,south,default --split-lines}): the service (whose HTTP API reconcile asks), Debezium's JDBC sink in an
 * in-process Kafka Connect worker, and MariaDB, into a {@code stock_movements} table created before movements had
 * places.
 */
class LocationsReportingTest {

    private static final String APPLICATION_ID = "stockline-reporting-locations";
    private static final AllocationPolicy LOCATIONS = new AllocationPolicy(List.of("north", "south", "default"), true);
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final Duration CONVERGENCE = Duration.ofSeconds(30);
    private static final SingleObjectSerdeFactory SERDES = new SingleObjectSerdeFactory();
    private static final String JUICE = "JUICE";
    private static final String SODA = "SODA";
    private static final Instant FAR = Instant.parse("2099-01-01T00:00:00Z");
    /** The row a version before locations wrote: it must read as a movement at the default place, in no batch. */
    private static final String LEGACY_MOVEMENT = "legacy-movement";

    @TempDir
    Path dir;
    private TestDatabase database;
    private StocklineService service;
    private Endpoints endpoints;
    private ConnectWorker worker;

    @BeforeEach
    void start() {
        database = TestDatabase.create();
        service = new StocklineService(new ServiceConfig(dir.resolve("service"), Optional.empty(), 0,
                ClientOverrides.none(), 3, ServiceConfig.BROKER_DEFAULT_REPLICATION, "127.0.0.1", 0, "127.0.0.1",
                APPLICATION_ID, 0, Duration.ofHours(1), Duration.ofMinutes(5), Optional.empty())
                .withAllocation(LOCATIONS), TopologyFactory.ledger());
        endpoints = service.start();
        Await.until("the service ready", DEADLINE,
                () -> Http.get(endpoints.httpUrl() + ApiPaths.READY).statusCode() == 200);
    }

    @AfterEach
    void stop() {
        ReportingEndToEndTest.closeAll(worker, service, database);
    }

    @Test
    void stockAtTwoLocationsAndThreeBatchesLandsInTheTablesByPlaceAndReconcileAgrees() {
        // Given stock_movements as the sink created it before movements had places, with a row in it
        createStockMovementsAsBeforeLocations();
        worker = ConnectWorker.start(new WorkerSettings(endpoints.bootstrapServers(), Map.of(),
                Path.of(System.getProperty("stockline.plugin.path")), dir.resolve("connect"), "127.0.0.1", 0),
                database.mariadb());
        worker.awaitRunning(Duration.ofSeconds(60));
        final KafkaClientConfig kafka = new KafkaClientConfig(endpoints.bootstrapServers(), ClientOverrides.none());
        final LedgerOutputs outputs = new LedgerOutputs(kafka, APPLICATION_ID);
        final LedgerClient ledger = new LedgerClient(URI.create(endpoints.httpUrl()));
        final Instant soon = Instant.now().plusSeconds(3).truncatedTo(ChronoUnit.MILLIS);
        final Instant nextMonth = Instant.now().plus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MILLIS);

        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.producer(), new StringSerializer(),
                new ByteArraySerializer())) {
            // When JUICE arrives at north in a batch about to expire and one expiring far ahead, at south in a
            // batch expiring next month and outside any batch; SODA at the default place, then its threshold alone
            send(producer, adjust("a-1", JUICE, 10, "north", "B-SOON", soon, null));
            send(producer, adjust("a-2", JUICE, 8, "north", "B-FAR", FAR, null));
            send(producer, adjust("a-3", JUICE, 6, "south", "B-MONTH", nextMonth, null));
            send(producer, adjust("a-4", JUICE, 5, "south", null, null, null));
            send(producer, adjust("a-5", SODA, 4, null, null, null, null));
            send(producer, new StockAdjusted("a-6", SODA, 0L, "threshold", Instant.now(), 2L, null, null, null,
                    null, null, null));
            outputs.awaitCaughtUp(DEADLINE);

            // and once B-SOON has expired (GET /stock/{sku} says so), orders: one the first expiry first of north
            // (B-SOON skipped), one pinned to south, one split over north and south, one of SODA
            Await.until("B-SOON expired", DEADLINE, () -> ledger.stock(JUICE).orElseThrow().expired() == 10);
            final StockView.Location north = location(ledger.stock(JUICE).orElseThrow(), "north");
            assertEquals(10, north.expired(), north.toString());
            assertEquals(List.of("B-SOON", "B-FAR"), north.batches().stream().map(StockView.Batch::batch).toList());
            send(producer, order("o-fefo", JUICE, 5, null));
            send(producer, order("o-south", JUICE, 3, "south"));
            send(producer, order("o-split", JUICE, 6, null));
            send(producer, order("o-soda", SODA, 2, null));
            outputs.awaitCaughtUp(DEADLINE);

            // and 4 units outside a batch move from south to north, the expired batch is written off, every order
            // is paid, then the pinned one refunded
            send(producer, adjust("t-1", JUICE, 4, "south", null, null, "north"));
            send(producer, adjust("w-1", JUICE, -10, "north", "B-SOON", soon, null));
            for (final String orderId : List.of("o-fefo", "o-south", "o-split", "o-soda")) {
                send(producer, new PaymentEvent(orderId + "-pay", orderId, PaymentOutcome.CAPTURED, Instant.now(),
                        null, true));
            }
            outputs.awaitCaughtUp(DEADLINE);
            send(producer, new PaymentEvent("o-south-refund", "o-south", PaymentOutcome.REFUNDED, Instant.now(),
                    null, true));
            outputs.awaitCaughtUp(DEADLINE);
        }

        // Then every order was allocated, and the places are where the rules say: north B-FAR gave o-fefo 5 and
        // o-split its last 3, south B-MONTH o-south 3 (back again after its refund) and o-split 3
        final Map<String, OrderOutcome> lastOutcomes = outputs.lastOutcomes();
        assertEquals(OrderStatus.REFUNDED, lastOutcomes.get("o-south").getStatus());
        for (final String orderId : List.of("o-fefo", "o-split", "o-soda")) {
            assertEquals(OrderStatus.CONFIRMED, lastOutcomes.get(orderId).getStatus(), orderId);
        }
        final StockView juice = ledger.stock(JUICE).orElseThrow();
        assertEquals(3, batch(juice, "south", "B-MONTH").available(), juice.toString());
        assertEquals(4, location(juice, "north").available() - location(juice, "north").batches().stream()
                .mapToLong(StockView.Batch::available).sum(), "transferred, outside any batch: " + juice);
        assertEquals(0, location(juice, "north").expired(), "written off: " + juice);

        // And the sink added the new columns to the table made before locations, but the row already there has
        // location '' (MySQL's dialect gives a text column no DEFAULT), so the README's one UPDATE is needed to read
        // it as a movement at the default place in no batch (then it goes: its SKU is in no other table, and
        // reconcile would rightly name it)
        assertEquals(Arrays.asList("", null, null), legacyRowPlace());
        database.update("UPDATE " + Tables.STOCK_MOVEMENTS + " SET " + StockMovements.LOCATION + " = 'default' WHERE "
                + StockMovements.LOCATION + " = ''");
        assertEquals(Arrays.asList(Place.DEFAULT_LOCATION, null, null), legacyRowPlace());
        database.update("DELETE FROM " + Tables.STOCK_MOVEMENTS + " WHERE " + StockMovements.MOVEMENT_ID + " = ?",
                LEGACY_MOVEMENT);

        // And reconcile agrees, in this JVM and as a person runs it (exit 0)
        final ReconcileReport report = awaitReconcile(ledger);
        assertEquals(2, report.skus(), report.render());
        final InProcessCli.Result command = InProcessCli.run("", "reconcile", "--jdbc-url",
                database.mariadb().jdbcUrl(), "--db-user", "root", "--db-password", "", "--http-url",
                endpoints.httpUrl());
        assertEquals(0, command.exitCode(), command.out() + command.err());

        // And every table is the ledger's: levels, each order's last outcome, every movement with its place
        final Map<String, StockLevel> levels = new HashMap<>();
        ledger.allStock().forEach(v -> levels.put(v.sku(), new StockLevel(v.sku(), v.onHand(), v.available(),
                v.locked(), v.version(), v.updatedAt().toEpochMilli())));
        final Map<String, StockMovement> movements = outputs.movements();
        assertEquals(List.of(), new ReportingTables(database).awaitEqual(levels, lastOutcomes, movements,
                CONVERGENCE));

        // And stock_places is the ledger's breakdown by location and batch, each row with its place's last movement
        final Map<List<Object>, List<Object>> expected = expectedPlaces(ledger, movements);
        assertEquals(expected, places());
        assertTrue(expected.containsKey(List.of(SODA, Place.DEFAULT_LOCATION, StockPlaces.NO_BATCH)), expected
                .toString());
        System.out.printf("LocationsReportingTest: %d movements, %d places, reconcile: %s%n", movements.size(),
                expected.size(), report.summary());
    }

    /** The table with the columns the sink gave it from the row before locations, and one movement in it. */
    private void createStockMovementsAsBeforeLocations() {
        database.update("CREATE TABLE " + Tables.STOCK_MOVEMENTS + " (movement_id VARCHAR(255) NOT NULL, "
                + "sku LONGTEXT NOT NULL, kind LONGTEXT NOT NULL, order_id LONGTEXT NULL, adjustment_id LONGTEXT NULL, "
                + "cause LONGTEXT NULL, on_hand_delta BIGINT NOT NULL, available_delta BIGINT NOT NULL, "
                + "locked_delta BIGINT NOT NULL, on_hand_after BIGINT NOT NULL, available_after BIGINT NOT NULL, "
                + "locked_after BIGINT NOT NULL, version BIGINT NOT NULL, occurred_at DATETIME(6) NOT NULL, "
                + "PRIMARY KEY (movement_id))");
        database.update("INSERT INTO " + Tables.STOCK_MOVEMENTS + " VALUES (?, 'LEGACY', 'ADJUSTMENT', NULL, 'l-1', "
                + "NULL, 1, 1, 0, 1, 1, 0, 1, ?)", LEGACY_MOVEMENT, LocalDateTime.of(2026, 1, 1, 0, 0));
    }

    /** The legacy row's location, batch and expiry, once the sink has added those columns to the table. */
    private List<Object> legacyRowPlace() {
        Await.until("the sink to add location to " + Tables.STOCK_MOVEMENTS, CONVERGENCE, () -> !database.rows(
                "SELECT 1 FROM information_schema.columns WHERE table_schema = ? AND table_name = ? AND column_name = ?",
                database.name(), Tables.STOCK_MOVEMENTS, StockMovements.LOCATION).isEmpty());
        return database.rows("SELECT " + StockMovements.LOCATION + ", " + StockMovements.BATCH + ", "
                + StockMovements.BATCH_EXPIRES_AT + " FROM " + Tables.STOCK_MOVEMENTS + " WHERE "
                + StockMovements.MOVEMENT_ID + " = ?", LEGACY_MOVEMENT).get(0);
    }

    private ReconcileReport awaitReconcile(final LedgerClient ledger) {
        final Reconciler reconciler = new Reconciler(database.mariadb(), ledger);
        final AtomicReference<ReconcileReport> last = new AtomicReference<>();
        try {
            Await.until("reconcile to agree", CONVERGENCE, () -> {
                last.set(reconciler.run());
                return last.get().agrees();
            });
        } catch (final AssertionError e) {
            throw new AssertionError(e.getMessage() + "; last reconcile:\n"
                    + (last.get() == null ? "none" : last.get().render()), e);
        }
        return last.get();
    }

    /** Every place the ledger shows or a movement names, with what the ledger has there (zeros for none). */
    private static Map<List<Object>, List<Object>> expectedPlaces(final LedgerClient ledger,
                                                                  final Map<String, StockMovement> movements) {
        final Map<List<Object>, StockMovement> lastAt = new HashMap<>();
        movements.values().stream().filter(m -> m.getLocation() != null || m.getOnHandDelta() != 0
                        || m.getAvailableDelta() != 0 || m.getLockedDelta() != 0)
                .forEach(m -> lastAt.merge(List.of(m.getSku(), m.getLocation() == null ? Place.DEFAULT_LOCATION
                                : m.getLocation(), m.getBatch() == null ? StockPlaces.NO_BATCH : m.getBatch()), m,
                        (a, b) -> a.getVersion() > b.getVersion() ? a : b));
        final Map<List<Object>, List<Object>> expected = new TreeMap<>(Comparator.comparing(Object::toString));
        lastAt.forEach((key, movement) -> {
            final StockView view = ledger.stock((String) key.get(0)).orElseThrow();
            final StockView.Location location = view.locations().stream()
                    .filter(l -> l.location().equals(key.get(1))).findFirst().orElse(null);
            long onHand = 0;
            long available = 0;
            long locked = 0;
            if (location != null && StockPlaces.NO_BATCH.equals(key.get(2))) {
                onHand = location.onHand() - location.batches().stream().mapToLong(StockView.Batch::onHand).sum();
                available = location.available() - location.batches().stream()
                        .mapToLong(StockView.Batch::available).sum();
                locked = location.locked() - location.batches().stream().mapToLong(StockView.Batch::locked).sum();
            } else if (location != null) {
                final Optional<StockView.Batch> batch = location.batches().stream()
                        .filter(b -> b.batch().equals(key.get(2))).findFirst();
                onHand = batch.map(StockView.Batch::onHand).orElse(0L);
                available = batch.map(StockView.Batch::available).orElse(0L);
                locked = batch.map(StockView.Batch::locked).orElse(0L);
            }
            expected.put(key, Arrays.asList(movement.getBatchExpiresAt() == null ? null
                    : movement.getBatchExpiresAt().toEpochMilli(), onHand, available, locked, movement.getVersion(),
                    movement.getOccurredAt().toEpochMilli()));
        });
        return expected;
    }

    /** stock_places by (sku, location, batch): batch_expires_at, on_hand, available, locked, version, updated_at. */
    private Map<List<Object>, List<Object>> places() {
        final Map<List<Object>, List<Object>> places = new TreeMap<>(Comparator.comparing(Object::toString));
        new ReportingTables(database).rows(Tables.STOCK_PLACES, StockPlaces.VALUE)
                .forEach(row -> places.put(row.subList(0, 3), new ArrayList<>(row.subList(3, row.size()))));
        return places;
    }

    private static StockView.Location location(final StockView view, final String location) {
        return view.locations().stream().filter(l -> l.location().equals(location)).findFirst().orElseThrow();
    }

    private static StockView.Batch batch(final StockView view, final String location, final String batch) {
        return location(view, location).batches().stream().filter(b -> b.batch().equals(batch)).findFirst()
                .orElseThrow();
    }

    private static StockAdjusted adjust(final String id, final String sku, final long delta, final String location,
                                        final String batch, final Instant expiresAt, final String toLocation) {
        return new StockAdjusted(id, sku, delta, toLocation == null ? "delivery" : "transfer", Instant.now(), null,
                location, batch, expiresAt, toLocation, null, null);
    }

    private static OrderPlaced order(final String orderId, final String sku, final long quantity,
                                     final String location) {
        return OrderPlaced.newBuilder().setEventId(orderId + "-placed").setOrderId(orderId)
                .setLines(List.of(new OrderLine(sku, quantity, location, null))).setPlacedAt(Instant.now())
                .setHoldMillis(3_600_000L).build();
    }

    @SuppressWarnings("unchecked")
    private static <T extends SpecificRecord> void send(final KafkaProducer<String, byte[]> producer, final T event) {
        final EventTopic topic;
        final String key;
        if (event instanceof StockAdjusted adjusted) {
            topic = EventTopic.STOCK_ADJUSTMENTS;
            key = adjusted.getSku();
        } else if (event instanceof OrderPlaced placed) {
            topic = EventTopic.ORDERS;
            key = placed.getOrderId();
        } else if (event instanceof PaymentEvent payment) {
            topic = EventTopic.PAYMENTS;
            key = payment.getOrderId();
        } else {
            throw new IllegalArgumentException(event.getClass().getName());
        }
        producer.send(new ProducerRecord<>(topic.topicName(), key,
                SERDES.serde((Class<T>) event.getClass()).serializer().serialize(topic.topicName(), event)));
        producer.flush();
    }
}
