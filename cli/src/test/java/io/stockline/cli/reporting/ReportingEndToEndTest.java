package io.stockline.cli.reporting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stockline.testkit.Await;
import io.stockline.app.kafka.EmbeddedKafkaBroker;
import io.stockline.ledger.Order;
import io.stockline.ledger.StockLevel;
import io.stockline.reporting.ConnectWorker;
import io.stockline.reporting.ConnectorDefinition;
import io.stockline.reporting.ReportingConnectors;
import io.stockline.reporting.SinkDatabase;
import io.stockline.reporting.Tables;
import io.stockline.reporting.WorkerSettings;
import io.stockline.topology.LedgerTopics;
import io.stockline.reporting.ReportingRows.StockMovements;
import io.stockline.schemas.OrderOutcome;
import io.stockline.schemas.StockMovement;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole reporting path for real: events into an in-process broker, the ledger topology with
 * exactly-once, an in-process Kafka Connect worker with Debezium's JDBC sink, and MariaDB.
 */
class ReportingEndToEndTest {

    private static final int PARTITIONS = 3;
    private static final Duration CONVERGENCE = Duration.ofSeconds(30);
    private static final Duration LEDGER_DEADLINE = Duration.ofSeconds(90);

    @TempDir
    Path dir;
    private EmbeddedKafkaBroker broker;
    private TestDatabase database;
    private TestDatabase decoy;
    private RunningLedger ledger;
    private ConnectWorker worker;

    @BeforeEach
    void start() {
        broker = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0);
        broker.createTopics(PARTITIONS, LedgerTopics.all());
        database = TestDatabase.create();
        decoy = TestDatabase.decoy();
        ledger = RunningLedger.start(broker, dir.resolve("streams"), "stockline-reporting-e2e");
    }

    @AfterEach
    void stop() {
        closeAll(worker, ledger, database, decoy, broker);
    }

    @Test
    void tablesEqualTheLedgerWithinThirtySecondsOfTenThousandEvents() {
        // Given a worker sinking into MariaDB through the MariaDB driver
        worker = startWorker(database.mariadb());
        final TradingScenario scenario = TradingScenario.generate("e2e", 5_500, 40, 150, 11);
        assertTrue(scenario.events().size() >= 10_000, "events: " + scenario.events().size());

        // When every event is produced and the ledger has processed them
        final long began = System.nanoTime();
        produce(scenario.events());
        ledger.awaitCaughtUp(LEDGER_DEADLINE);
        final long ledgerDone = System.nanoTime();

        // Then within 30 s the three tables are exactly the ledger's state: its levels, the last outcome of each
        // decided order (and of no other), its movements
        final Map<String, StockLevel> levels = ledger.levels();
        final Map<String, OrderOutcome> orders = lastOutcomesOfDecidedOrders();
        final Map<String, StockMovement> movements = ledger.movements();
        final List<String> differences = awaitTablesEqual(levels, orders, movements, CONVERGENCE);
        System.out.printf("ReportingEndToEndTest: %d events, ledger done in %d ms, tables equal %d ms later "
                        + "(%d stock_levels, %d order_status, %d stock_movements rows)%n", scenario.events().size(),
                (ledgerDone - began) / 1_000_000, (System.nanoTime() - ledgerDone) / 1_000_000, levels.size(),
                orders.size(), movements.size());
        assertEquals(List.of(), differences);
        assertEquals(scenario.skus().size(), levels.size());
    }

    @Test
    void workerStoppedAndRestartedMidStreamLosesNoMovementAndDoublesNone() throws Exception {
        // Given a worker, and a stream of events in three parts
        worker = startWorker(database.mariadb());
        final TradingScenario scenario = TradingScenario.generate("restart", 1_500, 30, 100, 23);
        final List<TradingScenario.Event> events = scenario.events();
        final int third = events.size() / 3;

        // When the worker stops once some of the first part is in, the second part arrives while it is down,
        // and it comes back, with every sink offset rewound to the start (the worst redelivery there is:
        // everything written again), before the last part
        produce(events.subList(0, third));
        Await.until("the first movements in MySQL", LEDGER_DEADLINE,
                () -> database.count(Tables.STOCK_MOVEMENTS) >= 200);
        worker.close();
        final long rowsAtStop = database.count(Tables.STOCK_MOVEMENTS);
        produce(events.subList(third, 2 * third));
        rewindSinkOffsets();
        worker = startWorker(database.mariadb());
        produce(events.subList(2 * third, events.size()));
        ledger.awaitCaughtUp(LEDGER_DEADLINE);

        // Then every movement is in MySQL exactly once, and so is everything else
        final Map<String, StockMovement> movements = ledger.movements();
        assertEquals(List.of(), awaitTablesEqual(ledger.levels(), lastOutcomesOfDecidedOrders(), movements,
                CONVERGENCE));
        assertEquals(movements.size(), database.count(Tables.STOCK_MOVEMENTS));
        assertEquals(movements.size(), ((Number) database.rows("SELECT COUNT(DISTINCT " + StockMovements.MOVEMENT_ID
                + ") FROM " + Tables.STOCK_MOVEMENTS).get(0).get(0)).longValue());
        System.out.printf("ReportingEndToEndTest: worker stopped with %d movement rows in, restarted with every "
                + "offset rewound; %d events, %d movements, each once%n", rowsAtStop, events.size(), movements.size());
    }

    private ConnectWorker startWorker(final SinkDatabase sink) {
        final ConnectWorker started = ConnectWorker.start(new WorkerSettings(broker.bootstrapServers(), Map.of(),
                Path.of(System.getProperty("stockline.plugin.path")), dir.resolve("connect"), "127.0.0.1", 0), sink);
        try {
            started.awaitRunning(Duration.ofSeconds(60));
        } catch (final RuntimeException e) {
            started.close();
            throw e;
        }
        return started;
    }

    /** The last outcome of each order, checked against the order store: every decided order and no other. */
    private Map<String, OrderOutcome> lastOutcomesOfDecidedOrders() {
        final Map<String, OrderOutcome> outcomes = ledger.lastOutcomes();
        final Map<String, Order> decided = ledger.decidedOrders();
        assertEquals(decided.keySet(), outcomes.keySet());
        decided.forEach((id, order) -> assertEquals(order.status().name() + " " + order.reason(),
                outcomes.get(id).getStatus() + " " + outcomes.get(id).getReason(), id));
        return outcomes;
    }

    private List<String> awaitTablesEqual(final Map<String, StockLevel> levels, final Map<String, OrderOutcome> orders,
                                          final Map<String, StockMovement> movements, final Duration timeout) {
        return new ReportingTables(database).awaitEqual(levels, orders, movements, timeout);
    }

    private void produce(final List<TradingScenario.Event> events) {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(broker.clientConfig().producer(),
                new StringSerializer(), new ByteArraySerializer())) {
            events.forEach(e -> producer.send(new ProducerRecord<>(e.topic(), e.key(), e.value())));
        }
    }

    private List<String> sinkGroups() {
        return ReportingConnectors.templates().stream().map(ConnectorDefinition::name).map(n -> "connect-" + n)
                .toList();
    }

    private void rewindSinkOffsets() throws ExecutionException, InterruptedException {
        try (Admin admin = Admin.create(broker.clientConfig().admin())) {
            for (final String group : sinkGroups()) {
                final Map<TopicPartition, OffsetAndMetadata> start = new HashMap<>();
                admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()
                        .keySet().forEach(partition -> start.put(partition, new OffsetAndMetadata(0)));
                admin.alterConsumerGroupOffsets(group, start).all().get();
            }
        }
    }

    static void closeAll(final AutoCloseable... closeables) {
        AssertionError failure = null;
        for (final AutoCloseable closeable : closeables) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (final Exception e) {
                if (failure == null) {
                    failure = new AssertionError("cleaning up failed", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
