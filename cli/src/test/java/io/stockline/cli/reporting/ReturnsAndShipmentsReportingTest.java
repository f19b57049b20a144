package io.stockline.cli.reporting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stockline.app.config.ClientOverrides;
import io.stockline.app.config.ServiceConfig;
import io.stockline.app.kafka.KafkaClientConfig;
import io.stockline.app.query.OrderView;
import io.stockline.app.service.Endpoints;
import io.stockline.app.service.StocklineService;
import io.stockline.app.service.TopologyFactory;
import io.stockline.ledger.DeductOn;
import io.stockline.ledger.StockLevel;
import io.stockline.reporting.ConnectWorker;
import io.stockline.reporting.LedgerClient;
import io.stockline.reporting.ReconcileReport;
import io.stockline.reporting.Reconciler;
import io.stockline.reporting.ReportingRows.OrderStatus;
import io.stockline.reporting.ReportingRows.StockMovements;
import io.stockline.reporting.Tables;
import io.stockline.reporting.WorkerSettings;
import io.stockline.schemas.MovementKind;
import io.stockline.schemas.OrderOutcome;
import io.stockline.schemas.StockMovement;
import io.stockline.schemas.api.ApiPaths;
import io.stockline.schemas.api.LedgerHttpClient;
import io.stockline.testkit.Await;
import io.stockline.testkit.Http;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reporting tables of a ledger that deducts stock at shipment, through per-line cancellations, shipments and
 * returns restocked or damaged: the service (whose HTTP API reconcile asks), Debezium's JDBC sink in an
 * in-process Kafka Connect worker, and MariaDB.
 */
class ReturnsAndShipmentsReportingTest {

    private static final String APPLICATION_ID = "stockline-reporting-shipments";
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final Duration CONVERGENCE = Duration.ofSeconds(30);

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
                .withDeductOn(DeductOn.SHIPMENT), TopologyFactory.ledger());
        endpoints = service.start();
        Await.until("the service ready", DEADLINE,
                () -> Http.get(endpoints.httpUrl() + ApiPaths.READY).statusCode() == 200);
    }

    @AfterEach
    void stop() {
        ReportingEndToEndTest.closeAll(worker, service, database);
    }

    @Test
    void cancelledShippedAndReturnedUnitsLandInTheTablesAsTheLedgerHasThemAndReconcileAgrees() {
        // Given a sink into MariaDB, and a day of orders, cancellations of a line or of everything, payments,
        // shipments of part or all, returns restocked or damaged, and the rest of the shipments
        worker = ConnectWorker.start(new WorkerSettings(endpoints.bootstrapServers(), Map.of(),
                Path.of(System.getProperty("stockline.plugin.path")), dir.resolve("connect"), "127.0.0.1", 0),
                database.mariadb());
        worker.awaitRunning(Duration.ofSeconds(60));
        final KafkaClientConfig kafka = new KafkaClientConfig(endpoints.bootstrapServers(), ClientOverrides.none());
        final LedgerOutputs outputs = new LedgerOutputs(kafka, APPLICATION_ID);
        final TradingScenario scenario = TradingScenario.withReturnsAndShipments("ship", 300, 12, 80, 17);

        // When each phase is produced once the ledger has processed the one before
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.producer(), new StringSerializer(),
                new ByteArraySerializer())) {
            for (final List<TradingScenario.Event> phase : scenario.phases()) {
                phase.forEach(e -> producer.send(new ProducerRecord<>(e.topic(), e.key(), e.value())));
                producer.flush();
                outputs.awaitCaughtUp(DEADLINE);
            }
        }

        // Then reconcile agrees: every SKU's row is the ledger's, and its movements sum to it
        final LedgerClient ledger = new LedgerClient(URI.create(endpoints.httpUrl()));
        final ReconcileReport report = awaitReconcile(ledger);
        assertEquals(scenario.skus().size(), report.skus(), report.render());

        // And every row of the three tables is the ledger's: its levels, each order's last outcome, its movements
        final Map<String, StockLevel> levels = new HashMap<>();
        ledger.allStock().forEach(v -> levels.put(v.sku(), new StockLevel(v.sku(), v.onHand(), v.available(),
                v.locked(), v.version(), v.updatedAt().toEpochMilli())));
        final Map<String, OrderOutcome> lastOutcomes = outputs.lastOutcomes();
        final Map<String, StockMovement> movements = outputs.movements();
        assertEquals(List.of(), new ReportingTables(database).awaitEqual(levels, lastOutcomes, movements,
                CONVERGENCE));

        // And each order's status is the one the ledger answers for it
        final LedgerHttpClient http = new LedgerHttpClient(URI.create(endpoints.httpUrl()), HttpClient.newHttpClient(),
                Duration.ofSeconds(10));
        final Map<String, String> mysqlStatus = new TreeMap<>();
        final Map<String, String> ledgerStatus = new TreeMap<>();
        for (final List<Object> row : database.rows("SELECT " + OrderStatus.ORDER_ID + ", " + OrderStatus.STATUS
                + " FROM " + Tables.ORDER_STATUS)) {
            final String orderId = (String) row.get(0);
            mysqlStatus.put(orderId, (String) row.get(1));
            ledgerStatus.put(orderId, orderStatus(http, orderId));
        }
        assertEquals(ledgerStatus, mysqlStatus);
        assertEquals(lastOutcomes.size(), mysqlStatus.size());

        // And the tables hold the new kinds and statuses; no COMMIT, since units leave stock at shipment
        final Map<String, Long> kinds = counts(StockMovements.KIND, Tables.STOCK_MOVEMENTS);
        assertTrue(kinds.keySet().containsAll(Set.of(MovementKind.SHIP.name(), MovementKind.REFUND.name(),
                MovementKind.RELEASE.name())), kinds.toString());
        assertNull(kinds.get(MovementKind.COMMIT.name()), kinds.toString());
        final Map<String, Long> statuses = counts(OrderStatus.STATUS, Tables.ORDER_STATUS);
        assertTrue(statuses.keySet().containsAll(Set.of("AMENDED", "SHIPPED", "PARTIALLY_REFUNDED", "REFUNDED")),
                statuses.toString());

        // And the sink made kind and status text columns, not ENUMs: a symbol the contract adds needs no migration
        final String kindType = columnType(Tables.STOCK_MOVEMENTS, StockMovements.KIND);
        final String statusType = columnType(Tables.ORDER_STATUS, OrderStatus.STATUS);
        assertTrue(kindType.contains("char") || kindType.contains("text"), kindType);
        assertTrue(statusType.contains("char") || statusType.contains("text"), statusType);
        System.out.printf("ReturnsAndShipmentsReportingTest: %d events, %d movements by kind %s, %d orders by last "
                + "status %s; kind %s, status %s%n", scenario.events().size(), movements.size(), kinds,
                lastOutcomes.size(), statuses, kindType, statusType);
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
            throw new AssertionError(e.getMessage() + "; last reconcile:\n" + last.get().render(), e);
        }
        return last.get();
    }

    private static String orderStatus(final LedgerHttpClient http, final String orderId) {
        try {
            return http.get(ApiPaths.order(orderId), OrderView.class).require().status();
        } catch (final Exception e) {
            throw new AssertionError("GET " + ApiPaths.order(orderId) + ": " + e.getMessage(), e);
        }
    }

    private String columnType(final String table, final String column) {
        return (String) database.rows("SELECT COLUMN_TYPE FROM information_schema.columns WHERE table_schema = ? "
                + "AND table_name = ? AND column_name = ?", database.name(), table, column).get(0).get(0);
    }

    private Map<String, Long> counts(final String column, final String table) {
        final Map<String, Long> counts = new TreeMap<>();
        database.rows("SELECT " + column + ", COUNT(*) FROM " + table + " GROUP BY " + column)
                .forEach(row -> counts.put((String) row.get(0), ((Number) row.get(1)).longValue()));
        return counts;
    }
}
