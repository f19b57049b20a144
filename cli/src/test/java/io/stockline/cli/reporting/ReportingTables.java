package io.stockline.cli.reporting;

import io.stockline.ledger.StockLevel;
import io.stockline.reporting.ReportingRows;
import io.stockline.reporting.Tables;
import io.stockline.schemas.OrderOutcome;
import io.stockline.schemas.StockMovement;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;

/**
 * The reporting tables against what the ledger holds and wrote: each {@code stock_levels} row must be exactly
 * the ledger's stored level of its SKU, each {@code order_status} row its order's last outcome, each
 * {@code stock_movements} row its movement, every column of it, and no row may be missing or extra. Columns
 * are read by the row's own schema, so a column the sink left out or mistyped shows up too.
 */
final class ReportingTables {

    private final TestDatabase database;

    ReportingTables(final TestDatabase database) {
        this.database = database;
    }

    /** What differs between the tables and the ledger, described for a failure message; empty when equal. */
    List<String> differencesFrom(final Map<String, StockLevel> levels, final Map<String, OrderOutcome> lastOutcomes,
                                 final Map<String, StockMovement> movements) {
        final Map<String, Struct> expectedLevels = new HashMap<>();
        levels.forEach((sku, level) -> expectedLevels.put(sku, levelRow(level)));
        final Map<String, Struct> expectedOrders = new HashMap<>();
        lastOutcomes.forEach((id, outcome) -> expectedOrders.put(id, ReportingRows.orderStatus(outcome)));
        final Map<String, Struct> expectedMovements = new HashMap<>();
        movements.forEach((id, movement) -> expectedMovements.put(id, ReportingRows.movement(movement)));
        final List<String> differences = new ArrayList<>();
        differences.addAll(compare(Tables.STOCK_LEVELS, ReportingRows.StockLevels.VALUE,
                ReportingRows.StockLevels.SKU, expectedLevels));
        differences.addAll(compare(Tables.ORDER_STATUS, ReportingRows.OrderStatus.VALUE,
                ReportingRows.OrderStatus.ORDER_ID, expectedOrders));
        differences.addAll(compare(Tables.STOCK_MOVEMENTS, ReportingRows.StockMovements.VALUE,
                ReportingRows.StockMovements.MOVEMENT_ID, expectedMovements));
        return differences;
    }

    /** Polls {@link #differencesFrom} until there are none or {@code timeout} has passed; the last ones found. */
    List<String> awaitEqual(final Map<String, StockLevel> levels, final Map<String, OrderOutcome> lastOutcomes,
                            final Map<String, StockMovement> movements, final Duration timeout) {
        final long deadline = System.nanoTime() + timeout.toNanos();
        List<String> differences = differencesFrom(levels, lastOutcomes, movements);
        while (!differences.isEmpty() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(RunningLedger.POLL.toNanos() * 4);
            differences = differencesFrom(levels, lastOutcomes, movements);
        }
        return differences;
    }

    /** The row the ledger's own level of a SKU must have: made from the store, not from a movement. */
    private static Struct levelRow(final StockLevel level) {
        return new Struct(ReportingRows.StockLevels.VALUE)
                .put(ReportingRows.StockLevels.SKU, level.sku())
                .put(ReportingRows.StockLevels.ON_HAND, level.onHand())
                .put(ReportingRows.StockLevels.AVAILABLE, level.available())
                .put(ReportingRows.StockLevels.LOCKED, level.locked())
                .put(ReportingRows.StockLevels.VERSION, level.version())
                .put(ReportingRows.StockLevels.UPDATED_AT, new Date(level.updatedAt()));
    }

    private List<String> compare(final String table, final Schema schema, final String keyField,
                                 final Map<String, Struct> expected) {
        final Map<String, List<Object>> want = new HashMap<>();
        expected.forEach((key, struct) -> want.put(key, normalized(struct, schema)));
        final Map<String, List<Object>> have = read(table, schema, keyField);
        if (have == null) {
            return List.of(table + " does not exist yet");
        }
        final List<String> differences = new ArrayList<>();
        final TreeSet<String> keys = new TreeSet<>(want.keySet());
        keys.addAll(have.keySet());
        int missing = 0;
        int extra = 0;
        int wrong = 0;
        String example = null;
        for (final String key : keys) {
            final List<Object> row = have.get(key);
            final List<Object> expectedRow = want.get(key);
            if (row == null) {
                missing++;
            } else if (expectedRow == null) {
                extra++;
            } else if (!row.equals(expectedRow)) {
                wrong++;
                if (example == null) {
                    example = key + ": " + row + " instead of " + expectedRow;
                }
            }
        }
        if (missing + extra + wrong > 0) {
            differences.add(table + ": " + have.size() + " rows for " + want.size() + " expected; " + missing
                    + " missing, " + extra + " extra, " + wrong + " different" + (example == null ? "" : ", e.g. "
                    + example));
        }
        return differences;
    }

    /** Every row of {@code table} by its key, in the schema's field order; null while the table does not exist. */
    Map<String, List<Object>> read(final String table, final Schema schema, final String keyField) {
        final List<List<Object>> all = rows(table, schema);
        if (all == null) {
            return null;
        }
        final int key = schema.field(keyField).index();
        final Map<String, List<Object>> rows = new HashMap<>();
        all.forEach(row -> rows.put((String) row.get(key), row));
        return rows;
    }

    /** Every row of {@code table}, in the schema's field order; null while the table does not exist. */
    List<List<Object>> rows(final String table, final Schema schema) {
        if (database.count(table) < 0) {
            return null;
        }
        final List<String> columns = schema.fields().stream().map(Field::name).toList();
        final String sql = "SELECT " + String.join(", ", columns) + " FROM " + table;
        final List<List<Object>> rows = new ArrayList<>();
        try (Connection connection = database.mariadb().connect(); Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(sql)) {
            while (result.next()) {
                final List<Object> row = new ArrayList<>();
                for (final Field field : schema.fields()) {
                    row.add(column(result, field));
                }
                rows.add(row);
            }
        } catch (final SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
        return rows;
    }

    private static Object column(final ResultSet result, final Field field) throws SQLException {
        final String name = field.name();
        if (Timestamp.LOGICAL_NAME.equals(field.schema().name())) {
            final LocalDateTime time = result.getObject(name, LocalDateTime.class);
            return time == null ? null : time.toInstant(ZoneOffset.UTC).toEpochMilli();
        }
        return switch (field.schema().type()) {
            case INT32 -> result.getObject(name) == null ? null : (long) result.getInt(name);
            case INT64 -> result.getObject(name) == null ? null : result.getLong(name);
            default -> result.getString(name);
        };
    }

    private static List<Object> normalized(final Struct struct, final Schema schema) {
        final List<Object> row = new ArrayList<>();
        for (final Field field : schema.fields()) {
            final Object value = struct.get(field);
            if (value instanceof Date date) {
                row.add(date.getTime());
            } else if (value instanceof Integer integer) {
                row.add(integer.longValue());
            } else {
                row.add(value);
            }
        }
        return row;
    }
}
