package io.stockline.cli.reporting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stockline.testkit.Http;
import io.stockline.testkit.Await;
import io.stockline.cli.InProcessCli;
import io.stockline.app.config.ClientOverrides;
import io.stockline.app.config.ServiceConfig;
import io.stockline.app.kafka.KafkaClientConfig;
import io.stockline.app.service.Endpoints;
import io.stockline.app.service.StocklineService;
import io.stockline.app.service.TopologyFactory;
import io.stockline.reporting.SinkDatabase;
import io.stockline.reporting.Tables;
import io.stockline.reporting.ReportingRows.StockLevels;
import io.stockline.reporting.ReportingRows.StockMovements;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
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
 * {@code stockline connect} and {@code stockline reconcile} as a person runs them, in this JVM: against the
 * real service (its HTTP API is what reconcile asks) and MariaDB.
 */
class ConnectAndReconcileCommandsTest {

    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    private TestDatabase database;
    private StocklineService service;
    private Endpoints endpoints;
    private Thread connect;
    private final AtomicReference<InProcessCli.Result> connectResult = new AtomicReference<>();

    @BeforeEach
    void start() {
        database = TestDatabase.create();
        service = new StocklineService(new ServiceConfig(dir.resolve("service"), Optional.empty(), 0,
                ClientOverrides.none(), 3, ServiceConfig.BROKER_DEFAULT_REPLICATION, "127.0.0.1", 0, "127.0.0.1",
                "stockline-reconcile-test", 0, Duration.ofHours(1), Duration.ofMinutes(5), Optional.empty()), TopologyFactory.ledger());
        endpoints = service.start();
        Await.until("the service ready", DEADLINE,
                () -> Http.get(endpoints.httpUrl() + "/ready").statusCode() == 200);
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (connect != null) {
            connect.interrupt();
            connect.join(DEADLINE.toMillis());
        }
        ReportingEndToEndTest.closeAll(service, database);
    }

    @Test
    void reconcileAgreesOnceTheSinkHasCaughtUpAndReportsEveryPlantedDifference() {
        // Given 'stockline connect' writing through MySQL's driver, and a day of trading
        runConnect(database.mysql());
        final TradingScenario scenario = TradingScenario.generate("cli", 400, 12, 60, 5);
        produce(scenario);

        // When reconcile runs, once the sink has caught up
        final InProcessCli.Result agreed = awaitReconcile(database.mariadb());

        // Then it finds nothing to report
        assertEquals(0, agreed.exitCode(), agreed.out() + agreed.err());
        assertTrue(agreed.out().contains("checked 12 SKUs: MySQL agrees with the ledger"), agreed.out());
        assertTrue(connectResult.get() == null, "connect still running");

        // When one SKU's row is edited behind the sink's back, another loses its last movement, and a third
        // its row
        final String edited = scenario.skus().get(3);
        final String thinned = scenario.skus().get(7);
        final String dropped = scenario.skus().get(9);
        database.update("UPDATE " + Tables.STOCK_LEVELS + " SET " + StockLevels.AVAILABLE + " = "
                + StockLevels.AVAILABLE + " + 7 WHERE " + StockLevels.SKU + " = ?", edited);
        database.update("DELETE FROM " + Tables.STOCK_MOVEMENTS + " WHERE " + StockMovements.SKU + " = ? ORDER BY "
                + StockMovements.VERSION + " DESC LIMIT 1", thinned);
        database.update("DELETE FROM " + Tables.STOCK_LEVELS + " WHERE " + StockLevels.SKU + " = ?", dropped);

        // Then reconcile reports each, through either driver, and exits 1
        for (final SinkDatabase url : new SinkDatabase[] {database.mariadb(), database.mysql()}) {
            final InProcessCli.Result result = reconcile(url);
            assertEquals(1, result.exitCode(), result.out() + result.err());
            assertTrue(hasRow(result.out(), edited, StockLevels.AVAILABLE), result.out());
            assertTrue(hasRow(result.out(), edited, "available + locked = on_hand"), result.out());
            assertTrue(hasRow(result.out(), edited, "sum(available_delta) = available"), result.out());
            assertTrue(hasRow(result.out(), thinned, "movements = version"), result.out());
            assertTrue(hasRow(result.out(), dropped, "row in stock_levels"), result.out());
            assertTrue(result.out().contains("checked 12 SKUs: "), result.out());
            assertTrue(result.err().isEmpty(), result.err());
        }
    }

    private void runConnect(final SinkDatabase sink) {
        connect = new Thread(() -> connectResult.set(InProcessCli.run("", "connect",
                "--bootstrap-servers", endpoints.bootstrapServers(), "--jdbc-url", sink.jdbcUrl(),
                "--db-user", sink.user(), "--db-password", sink.password(), "--data-dir", dir.resolve("connect")
                        .toString(), "--plugin-path", System.getProperty("stockline.plugin.path"), "--rest-port", "0")),
                "stockline-connect");
        connect.start();
    }

    private InProcessCli.Result awaitReconcile(final SinkDatabase sink) {
        final AtomicReference<InProcessCli.Result> last = new AtomicReference<>();
        try {
            Await.until("reconcile to agree", DEADLINE, () -> {
                if (connectResult.get() != null) {
                    throw new AssertionError("connect stopped: " + connectResult.get());
                }
                last.set(reconcile(sink));
                return last.get().exitCode() == 0;
            });
        } catch (final AssertionError e) {
            throw new AssertionError(e.getMessage() + "; last reconcile: " + last.get(), e);
        }
        return last.get();
    }

    private InProcessCli.Result reconcile(final SinkDatabase sink) {
        return InProcessCli.run("", "reconcile", "--jdbc-url", sink.jdbcUrl(), "--db-user", sink.user(),
                "--db-password", sink.password(), "--http-url", endpoints.httpUrl());
    }

    /** Whether the printed table has a row for {@code sku} and {@code check}; columns are 2+ spaces apart. */
    private static boolean hasRow(final String table, final String sku, final String check) {
        return table.lines().map(line -> line.split(" {2,}"))
                .anyMatch(columns -> columns.length == 4 && columns[0].equals(sku) && columns[1].equals(check));
    }

    private void produce(final TradingScenario scenario) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                new KafkaClientConfig(endpoints.bootstrapServers(), ClientOverrides.none())
                        .producer(), new StringSerializer(), new ByteArraySerializer())) {
            scenario.events().forEach(e -> producer.send(new ProducerRecord<>(e.topic(), e.key(), e.value())));
        }
    }
}
