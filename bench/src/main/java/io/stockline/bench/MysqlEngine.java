package io.stockline.bench;

import io.stockline.schemas.OrderStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The usual relational answer: a {@code bench_stock} row per SKU and a {@code bench_orders} row per order,
 * one transaction per order whose conditional updates
 * ({@code UPDATE ... SET available = available - ?, version = version + 1 WHERE sku = ? AND available >= ?})
 * either all match or are rolled back; every later step (capture, cancellation, partial cancel, shipment,
 * refund, return, expiry) is a conditional update of the order's status plus the stock rows, in one
 * transaction. The units a step moves are worked out by the driver from the order's lines, as a shop's
 * service would from its own order record. SKUs are always locked in the same order, so two orders never
 * deadlock on each other; a deadlock or lock timeout all the same is retried.
 */
final class MysqlEngine extends WorkerPoolEngine {

    /** How the MySQL engine is set up. */
    record Settings(String jdbcUrl, String user, String password, int connections) {
    }

    static final String NAME = "mysql";

    private static final Pattern URL = Pattern.compile("^(jdbc:[a-z]+://[^/?]+)/([A-Za-z0-9_$]+)(\\?.*)?$");
    private static final int MAX_RETRIES = 10;
    private static final int INSERT_BATCH = 1_000;
    private static final int REAP_BATCH = 1_000;
    private static final int ER_LOCK_WAIT_TIMEOUT = 1205;
    private static final int ER_LOCK_DEADLOCK = 1213;
    private static final int ER_BAD_DB = 1049;
    private static final List<OrderStatus> RESERVED_STATUSES = List.of(OrderStatus.RESERVED, OrderStatus.AMENDED);
    private static final List<OrderStatus> PAID_STATUSES = List.of(OrderStatus.CONFIRMED, OrderStatus.SHIPPED,
            OrderStatus.PARTIALLY_REFUNDED);

    private final Settings settings;
    private final List<Worker> workers = new ArrayList<>();
    private Connection control;
    private Worker reaper;
    private String serverVersion = "unknown";
    private String flushAtCommit = "unknown";

    MysqlEngine(final Settings settings) {
        super(NAME);
        this.settings = settings;
    }

    @Override
    public void prepare(final Scenario run, final OutcomeLog outcomes) {
        try {
            control = open();
            createTables(run);
            pid = localPid();
            for (int i = 0; i < settings.connections(); i++) {
                workers.add(new Worker(open(), run));
            }
            reaper = new Worker(open(), run);
        } catch (final SQLException e) {
            throw new EngineUnavailableException("MySQL/MariaDB is not reachable at " + settings.jdbcUrl()
                    + " as " + settings.user() + " (" + e.getMessage() + ")", e);
        }
        startWorkers(run, outcomes, settings.connections(), 64,
                io.stockline.topology.LedgerConfig.DEFAULT_TIMER_INTERVAL.toMillis());
    }

    /** Opens a connection, creating the database first when the server does not have it yet. */
    private Connection open() throws SQLException {
        try {
            return DriverManager.getConnection(settings.jdbcUrl(), settings.user(), settings.password());
        } catch (final SQLException e) {
            final Matcher url = URL.matcher(settings.jdbcUrl());
            if (e.getErrorCode() != ER_BAD_DB || !url.matches()) {
                throw e;
            }
            final String params = url.group(3) == null ? "" : url.group(3);
            try (Connection server = DriverManager.getConnection(url.group(1) + "/" + params, settings.user(),
                    settings.password()); Statement statement = server.createStatement()) {
                statement.execute("CREATE DATABASE IF NOT EXISTS `" + url.group(2) + "`");
            }
            return DriverManager.getConnection(settings.jdbcUrl(), settings.user(), settings.password());
        }
    }

    private void createTables(final Scenario run) throws SQLException {
        try (Statement statement = control.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS bench_orders, bench_stock");
            statement.execute("CREATE TABLE bench_stock (sku VARCHAR(64) PRIMARY KEY, on_hand BIGINT NOT NULL, "
                    + "available BIGINT NOT NULL, locked BIGINT NOT NULL, version BIGINT NOT NULL) ENGINE=InnoDB");
            statement.execute("CREATE TABLE bench_orders (order_id VARCHAR(64) PRIMARY KEY, "
                    + "status VARCHAR(20) NOT NULL, expires_at BIGINT NOT NULL, KEY by_expiry (status, expires_at)) "
                    + "ENGINE=InnoDB");
            try (ResultSet version = statement.executeQuery(
                    "SELECT VERSION(), @@innodb_flush_log_at_trx_commit")) {
                version.next();
                serverVersion = version.getString(1);
                flushAtCommit = version.getString(2);
            }
        }
        control.setAutoCommit(false);
        for (int from = 0; from < run.skuCount(); from += INSERT_BATCH) {
            final int to = Math.min(run.skuCount(), from + INSERT_BATCH);
            final StringBuilder sql = new StringBuilder("INSERT INTO bench_stock VALUES ");
            for (int sku = from; sku < to; sku++) {
                sql.append(sku == from ? "" : ",").append("(?,?,?,0,0)");
            }
            try (PreparedStatement insert = control.prepareStatement(sql.toString())) {
                int parameter = 1;
                for (int sku = from; sku < to; sku++) {
                    insert.setString(parameter++, run.skuName(sku));
                    insert.setLong(parameter++, run.initialStock(sku));
                    insert.setLong(parameter++, run.initialStock(sku));
                }
                insert.executeUpdate();
            }
        }
        control.commit();
        control.setAutoCommit(true);
    }

    private OptionalLong localPid() throws SQLException {
        final Matcher url = URL.matcher(settings.jdbcUrl());
        final String host = url.matches() ? url.group(1).replaceFirst("^jdbc:[a-z]+://", "").replaceFirst(":\\d+$", "")
                : "";
        if (!isLoopback(host)) {
            return OptionalLong.empty();
        }
        try (Statement statement = control.createStatement();
             ResultSet result = statement.executeQuery("SELECT @@pid_file")) {
            result.next();
            return OptionalLong.of(Long.parseLong(Files.readString(Path.of(result.getString(1))).trim()));
        } catch (final IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    @Override
    protected void process(final int worker, final List<Long> batch) {
        final Worker connection = workers.get(worker);
        for (final long event : batch) {
            connection.apply(event);
        }
    }

    @Override
    protected void reapDue(final long nowMillis) {
        for (final Due due : reaper.due(nowMillis)) {
            if (reaper.expire(due, nowMillis)) {
                log.record(due.order(), OrderStatus.EXPIRED, false, System.nanoTime());
            }
        }
    }

    /** A reserved order whose hold has passed, and the status it was seen in. */
    private record Due(int order, OrderStatus status) {
    }

    @Override
    public Levels levels() {
        final Levels levels = new Levels(scenario.skuCount());
        try (Statement statement = control.createStatement();
             ResultSet rows = statement.executeQuery("SELECT sku, on_hand, available, locked FROM bench_stock")) {
            while (rows.next()) {
                final int sku = scenario.skuIndex(rows.getString(1));
                if (sku >= 0) {
                    levels.put(sku, rows.getLong(2), rows.getLong(3), rows.getLong(4));
                }
            }
        } catch (final SQLException e) {
            throw new IllegalStateException("cannot read the stock levels: " + e.getMessage(), e);
        }
        return levels;
    }

    @Override
    public Map<String, Object> settings() {
        final Map<String, Object> described = new LinkedHashMap<>();
        described.put("jdbcUrl", settings.jdbcUrl());
        described.put("connections", settings.connections());
        described.put("serverVersion", serverVersion);
        described.put("innodb_flush_log_at_trx_commit", flushAtCommit);
        return described;
    }

    @Override
    public void close() {
        stopWorkers();
        workers.forEach(Worker::close);
        if (reaper != null) {
            reaper.close();
        }
        if (control != null) {
            try (Statement statement = control.createStatement()) {
                statement.execute("DROP TABLE IF EXISTS bench_orders, bench_stock");
            } catch (final SQLException e) {
                // The next run drops them anyway.
            }
            try {
                control.close();
            } catch (final SQLException e) {
                // Closing: nothing more to do.
            }
        }
    }

    /** One connection with its prepared statements; used by one thread only. */
    private final class Worker implements AutoCloseable {

        private final Connection connection;
        private final Scenario run;
        private final PreparedStatement reserve;
        private final PreparedStatement insertOrder;
        private final PreparedStatement moveOrder;
        private final PreparedStatement moveDueOrder;
        private final PreparedStatement moveStock;
        private final PreparedStatement releaseStock;
        private final PreparedStatement dueOrders;

        Worker(final Connection connection, final Scenario run) throws SQLException {
            this.connection = connection;
            this.run = run;
            connection.setAutoCommit(false);
            reserve = connection.prepareStatement("UPDATE bench_stock SET available = available - ?, "
                    + "locked = locked + ?, version = version + 1 WHERE sku = ? AND available >= ?");
            insertOrder = connection.prepareStatement(
                    "INSERT INTO bench_orders (order_id, status, expires_at) VALUES (?, ?, ?)");
            moveOrder = connection.prepareStatement(
                    "UPDATE bench_orders SET status = ? WHERE order_id = ? AND status IN (?, ?, ?)");
            moveDueOrder = connection.prepareStatement(
                    "UPDATE bench_orders SET status = ? WHERE order_id = ? AND status = ? AND expires_at <= ?");
            moveStock = connection.prepareStatement("UPDATE bench_stock SET available = available + ?, "
                    + "locked = locked + ?, on_hand = on_hand + ?, version = version + 1 WHERE sku = ?");
            releaseStock = connection.prepareStatement("UPDATE bench_stock SET available = available + ?, "
                    + "locked = locked - ?, version = version + 1 WHERE sku = ?");
            dueOrders = connection.prepareStatement("SELECT order_id, status FROM bench_orders "
                    + "WHERE status IN ('RESERVED', 'AMENDED') AND expires_at <= ? ORDER BY expires_at LIMIT "
                    + REAP_BATCH);
        }

        void apply(final long event) {
            final int order = Scenario.orderOf(event);
            if (Scenario.kindOf(event) == Scenario.Kind.PLACE) {
                place(order, System.currentTimeMillis());
                return;
            }
            final Scenario.Step step = run.step(event);
            if (retrying(() -> step(event, step))) {
                log.record(order, step.status(), false, System.nanoTime());
            } else {
                log.refused();
            }
        }

        /**
         * Moves the order to the step's status, from a reserved one (capture, failed payment, cancellation, partial
         * cancel) or a paid one (the rest), and its stock by the step's changes; false when it was in neither.
         */
        private boolean step(final long event, final Scenario.Step step) throws SQLException {
            final int order = Scenario.orderOf(event);
            final List<OrderStatus> from = switch (Scenario.kindOf(event)) {
                case CAPTURE, FAIL, CANCEL, CANCEL_LINES -> RESERVED_STATUSES;
                default -> PAID_STATUSES;
            };
            moveOrder.setString(1, step.status().name());
            moveOrder.setString(2, run.orderId(order));
            for (int i = 0; i < 3; i++) {
                moveOrder.setString(3 + i, from.get(Math.min(i, from.size() - 1)).name());
            }
            if (moveOrder.executeUpdate() == 0) {
                connection.rollback();
                return false;
            }
            for (final int line : linesInLockOrder(order)) {
                if (step.available()[line] != 0 || step.locked()[line] != 0 || step.onHand()[line] != 0) {
                    moveStock.setLong(1, step.available()[line]);
                    moveStock.setLong(2, step.locked()[line]);
                    moveStock.setLong(3, step.onHand()[line]);
                    updateStock(moveStock, order, line, 4);
                }
            }
            connection.commit();
            return true;
        }

        private void updateStock(final PreparedStatement statement, final int order, final int line,
                                 final int skuParameter) throws SQLException {
            statement.setString(skuParameter, run.skuName(run.lineSku(order, line)));
            if (statement.executeUpdate() != 1) {
                throw new IllegalStateException("sku " + run.skuName(run.lineSku(order, line)) + " is gone");
            }
        }

        private void place(final int order, final long now) {
            final long expiresAt = placedAt(order) + run.holdMillis(order);
            final OrderStatus decision = retrying(() -> reserveAll(order, expiresAt, now));
            log.record(order, decision, decision == OrderStatus.REJECTED && expiresAt <= now, System.nanoTime());
        }

        private OrderStatus reserveAll(final int order, final long expiresAt, final long now) throws SQLException {
            if (expiresAt > now) {
                for (final int line : linesInLockOrder(order)) {
                    final int quantity = run.lineQuantity(order, line);
                    reserve.setLong(1, quantity);
                    reserve.setLong(2, quantity);
                    reserve.setString(3, run.skuName(run.lineSku(order, line)));
                    reserve.setLong(4, quantity);
                    if (reserve.executeUpdate() == 0) {
                        connection.rollback();
                        return decide(order, OrderStatus.REJECTED, expiresAt);
                    }
                }
                return decide(order, OrderStatus.RESERVED, expiresAt);
            }
            return decide(order, OrderStatus.REJECTED, expiresAt);
        }

        private OrderStatus decide(final int order, final OrderStatus status, final long expiresAt)
                throws SQLException {
            insertOrder.setString(1, run.orderId(order));
            insertOrder.setString(2, status.name());
            insertOrder.setLong(3, expiresAt);
            insertOrder.executeUpdate();
            connection.commit();
            return status;
        }

        /** Expires a due order still in the status it was seen in, letting go of what it holds locked. */
        boolean expire(final Due due, final long now) {
            final long[] locked = run.lockedWhile(due.order(), due.status());
            return retrying(() -> {
                moveDueOrder.setString(1, OrderStatus.EXPIRED.name());
                moveDueOrder.setString(2, run.orderId(due.order()));
                moveDueOrder.setString(3, due.status().name());
                moveDueOrder.setLong(4, now);
                if (moveDueOrder.executeUpdate() == 0) {
                    connection.rollback();
                    return false;
                }
                for (final int line : linesInLockOrder(due.order())) {
                    releaseStock.setLong(1, locked[line]);
                    releaseStock.setLong(2, locked[line]);
                    updateStock(releaseStock, due.order(), line, 3);
                }
                connection.commit();
                return true;
            });
        }

        List<Due> due(final long nowMillis) {
            return retrying(() -> {
                final List<Due> orders = new ArrayList<>();
                dueOrders.setLong(1, nowMillis);
                try (ResultSet rows = dueOrders.executeQuery()) {
                    while (rows.next()) {
                        orders.add(new Due(run.orderIndex(rows.getString(1)), OrderStatus.valueOf(rows.getString(2))));
                    }
                }
                connection.commit();
                return orders;
            });
        }

        /** The order's lines sorted by SKU name, the order every transaction locks stock rows in. */
        private Integer[] linesInLockOrder(final int order) {
            final Integer[] lines = new Integer[run.lineCount(order)];
            for (int i = 0; i < lines.length; i++) {
                lines[i] = i;
            }
            Arrays.sort(lines, (a, b) -> run.skuName(run.lineSku(order, a)).compareTo(run.skuName(run.lineSku(order, b))));
            return lines;
        }

        private <T> T retrying(final SqlAction<T> action) {
            for (int attempt = 1; ; attempt++) {
                try {
                    return action.run();
                } catch (final SQLException e) {
                    rollbackQuietly();
                    final boolean transient_ = e.getErrorCode() == ER_LOCK_DEADLOCK
                            || e.getErrorCode() == ER_LOCK_WAIT_TIMEOUT || "40001".equals(e.getSQLState());
                    if (!transient_ || attempt == MAX_RETRIES) {
                        throw new IllegalStateException(e.getMessage(), e);
                    }
                }
            }
        }

        private void rollbackQuietly() {
            try {
                connection.rollback();
            } catch (final SQLException e) {
                // The connection is broken; the next statement says so.
            }
        }

        @Override
        public void close() {
            try {
                connection.close();
            } catch (final SQLException e) {
                // Closing: nothing more to do.
            }
        }
    }

    @FunctionalInterface
    private interface SqlAction<T> {
        T run() throws SQLException;
    }
}
