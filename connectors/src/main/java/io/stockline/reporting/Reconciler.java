package io.stockline.reporting;

import io.stockline.reporting.ReportingRows.StockLevels;
import io.stockline.reporting.ReportingRows.StockMovements;
import io.stockline.schemas.api.StockView;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Compares the reporting tables with the ledger: every SKU in MySQL's {@code stock_levels} against the
 * ledger's answer over HTTP, every SKU the ledger has against MySQL, each row's invariants, and each SKU's
 * {@code stock_movements} against its levels (they must sum to them, one movement per version).
 *
 * <p>Both sides are read once, so differences are only meaningful while no events are flowing: a row the
 * sink has not caught up with yet is reported like any other. {@code updated_at} is compared to the second,
 * the precision every driver and server keeps (MySQL's driver drops milliseconds on a MariaDB server).
 */
public final class Reconciler {

    private final SinkDatabase database;
    private final LedgerClient ledger;

    public Reconciler(final SinkDatabase database, final LedgerClient ledger) {
        this.database = Objects.requireNonNull(database, "database");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
    }

    public ReconcileReport run() {
        final SortedMap<String, Row> rows;
        final SortedMap<String, Sums> movements;
        try (Connection connection = database.connect()) {
            rows = levels(connection);
            movements = movementSums(connection);
        } catch (final SQLException e) {
            throw new IllegalStateException("cannot read the reporting tables at " + database.jdbcUrl() + ": "
                    + e.getMessage() + " (has 'stockline connect' written to this database?)", e);
        }
        final SortedMap<String, StockView> ledgerLevels = new TreeMap<>();
        ledger.allStock().forEach(level -> ledgerLevels.put(level.sku(), level));

        final SortedSet<String> skus = new TreeSet<>(rows.keySet());
        skus.addAll(ledgerLevels.keySet());
        skus.addAll(movements.keySet());
        final List<Difference> differences = new ArrayList<>();
        for (final String sku : skus) {
            final Row row = rows.get(sku);
            if (row == null) {
                differences.add(new Difference(sku, "row in " + Tables.STOCK_LEVELS, "missing",
                        ledgerLevels.containsKey(sku) ? "present in the ledger" : "present in " + Tables.STOCK_MOVEMENTS));
                continue;
            }
            compareWithLedger(row, ledgerLevels.get(sku), differences);
            checkInvariants(row, differences);
            checkMovements(row, movements.getOrDefault(sku, Sums.NONE), differences);
        }
        return new ReconcileReport(skus.size(), differences);
    }

    /**
     * MySQL against the ledger. A SKU the page did not show, or showed differently, is asked for again on
     * its own ({@code GET /stock/{sku}}), so a page read a moment earlier never makes a difference alone.
     */
    private void compareWithLedger(final Row row, final StockView paged, final List<Difference> differences) {
        StockView level = paged;
        if (level == null || !differences(row, level).isEmpty()) {
            level = ledger.stock(row.sku()).orElse(null);
        }
        if (level == null) {
            differences.add(new Difference(row.sku(), "SKU in the ledger", "present in " + Tables.STOCK_LEVELS,
                    "missing (GET /stock/{sku} is 404)"));
            return;
        }
        differences.addAll(differences(row, level));
    }

    private static List<Difference> differences(final Row row, final StockView level) {
        final List<Difference> found = new ArrayList<>();
        compare(row.sku(), StockLevels.ON_HAND, row.onHand(), level.onHand(), found);
        compare(row.sku(), StockLevels.AVAILABLE, row.available(), level.available(), found);
        compare(row.sku(), StockLevels.LOCKED, row.locked(), level.locked(), found);
        compare(row.sku(), StockLevels.VERSION, row.version(), level.version(), found);
        if (level.updatedAt() != null && row.updatedAtMillis() / 1_000 != level.updatedAt().toEpochMilli() / 1_000) {
            found.add(new Difference(row.sku(), StockLevels.UPDATED_AT,
                    Instant.ofEpochMilli(row.updatedAtMillis()).toString(), level.updatedAt().toString()));
        }
        return found;
    }

    private static void compare(final String sku, final String column, final long mysql, final long ledgerValue,
                                final List<Difference> differences) {
        if (mysql != ledgerValue) {
            differences.add(new Difference(sku, column, String.valueOf(mysql), String.valueOf(ledgerValue)));
        }
    }

    private static void checkInvariants(final Row row, final List<Difference> differences) {
        if (row.available() + row.locked() != row.onHand()) {
            differences.add(new Difference(row.sku(), "available + locked = on_hand",
                    String.valueOf(row.available() + row.locked()), String.valueOf(row.onHand())));
        }
        if (row.available() < 0) {
            differences.add(new Difference(row.sku(), "available >= 0", String.valueOf(row.available()), ">= 0"));
        }
        if (row.locked() < 0) {
            differences.add(new Difference(row.sku(), "locked >= 0", String.valueOf(row.locked()), ">= 0"));
        }
    }

    private static void checkMovements(final Row row, final Sums sums, final List<Difference> differences) {
        compareSum(row.sku(), "sum(" + StockMovements.ON_HAND_DELTA + ") = " + StockLevels.ON_HAND, sums.onHand(),
                row.onHand(), differences);
        compareSum(row.sku(), "sum(" + StockMovements.AVAILABLE_DELTA + ") = " + StockLevels.AVAILABLE,
                sums.available(), row.available(), differences);
        compareSum(row.sku(), "sum(" + StockMovements.LOCKED_DELTA + ") = " + StockLevels.LOCKED, sums.locked(),
                row.locked(), differences);
        compareSum(row.sku(), "movements = " + StockLevels.VERSION, sums.count(), row.version(), differences);
    }

    private static void compareSum(final String sku, final String check, final long sum, final long level,
                                   final List<Difference> differences) {
        if (sum != level) {
            differences.add(new Difference(sku, check, String.valueOf(sum), String.valueOf(level)));
        }
    }

    private static SortedMap<String, Row> levels(final Connection connection) throws SQLException {
        final SortedMap<String, Row> rows = new TreeMap<>();
        final String sql = "SELECT " + String.join(", ", StockLevels.SKU, StockLevels.ON_HAND, StockLevels.AVAILABLE,
                StockLevels.LOCKED, StockLevels.VERSION, StockLevels.UPDATED_AT) + " FROM " + Tables.STOCK_LEVELS;
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            while (result.next()) {
                final LocalDateTime updatedAt = result.getObject(6, LocalDateTime.class);
                rows.put(result.getString(1), new Row(result.getString(1), result.getLong(2), result.getLong(3),
                        result.getLong(4), result.getLong(5),
                        // The sink writes times as UTC wall-clock values (use.time.zone=UTC).
                        updatedAt == null ? 0 : updatedAt.toInstant(ZoneOffset.UTC).toEpochMilli()));
            }
        }
        return rows;
    }

    private static SortedMap<String, Sums> movementSums(final Connection connection) throws SQLException {
        final SortedMap<String, Sums> sums = new TreeMap<>();
        final String sql = "SELECT " + StockMovements.SKU + ", SUM(" + StockMovements.ON_HAND_DELTA + "), SUM("
                + StockMovements.AVAILABLE_DELTA + "), SUM(" + StockMovements.LOCKED_DELTA + "), COUNT(*) FROM "
                + Tables.STOCK_MOVEMENTS + " GROUP BY " + StockMovements.SKU;
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            while (result.next()) {
                sums.put(result.getString(1), new Sums(result.getLong(2), result.getLong(3), result.getLong(4),
                        result.getLong(5)));
            }
        }
        return sums;
    }

    private record Row(String sku, long onHand, long available, long locked, long version, long updatedAtMillis) {
    }

    private record Sums(long onHand, long available, long locked, long count) {
        static final Sums NONE = new Sums(0, 0, 0, 0);
    }
}
