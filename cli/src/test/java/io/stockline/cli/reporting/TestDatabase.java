package io.stockline.cli.reporting;

import io.stockline.reporting.SinkDatabase;
import io.stockline.reporting.Tables;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * A database of its own on the real MariaDB at 127.0.0.1:3306 (root, empty password, as {@code .ci/run}
 * sets it up), created for one test and dropped after it.
 */
final class TestDatabase implements AutoCloseable {

    private static final String SERVER = "//127.0.0.1:3306/";
    private static final String USER = "root";
    private static final String PASSWORD = "";

    private final String name;

    private TestDatabase(final String name) {
        this.name = name;
    }

    static TestDatabase create() {
        final String name = "stockline_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12)
                .toLowerCase(Locale.ROOT);
        try (Connection connection = server(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (final SQLException e) {
            throw new IllegalStateException("cannot create a test database on MariaDB at 127.0.0.1:3306 (is it "
                    + "running? .ci/run starts it): " + e.getMessage(), e);
        }
        return new TestDatabase(name);
    }

    /** The database as the sink and reconcile see it, through the MariaDB driver's URL scheme. */
    SinkDatabase mariadb() {
        return new SinkDatabase("jdbc:mariadb:" + SERVER + name, USER, PASSWORD);
    }

    /** The same database through MySQL's URL scheme and driver. */
    SinkDatabase mysql() {
        return new SinkDatabase("jdbc:mysql:" + SERVER + name, USER, PASSWORD);
    }

    String name() {
        return name;
    }

    /**
     * Another database on the same server that already has tables of the reporting tables' names, as a
     * reporting server with a staging and a production database would: the sink must not mistake them
     * for its own.
     */
    static TestDatabase decoy() {
        final TestDatabase decoy = create();
        for (final String table : new String[] {Tables.STOCK_LEVELS, Tables.STOCK_MOVEMENTS, Tables.STOCK_PLACES,
                Tables.ORDER_STATUS}) {
            decoy.update("CREATE TABLE " + table + " (decoy INT)");
        }
        return decoy;
    }

    /** Rows of {@code sql}, each as its columns' values in order. */
    List<List<Object>> rows(final String sql, final Object... parameters) {
        try (Connection connection = mariadb().connect();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet result = statement.executeQuery()) {
                final int columns = result.getMetaData().getColumnCount();
                final List<List<Object>> rows = new ArrayList<>();
                while (result.next()) {
                    final List<Object> row = new ArrayList<>();
                    for (int c = 1; c <= columns; c++) {
                        row.add(result.getObject(c));
                    }
                    rows.add(row);
                }
                return rows;
            }
        } catch (final SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    int update(final String sql, final Object... parameters) {
        try (Connection connection = mariadb().connect();
             PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            return statement.executeUpdate();
        } catch (final SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** The row count of {@code table}, or -1 while the sink has not created it. */
    long count(final String table) {
        final List<List<Object>> exists = rows("SELECT COUNT(*) FROM information_schema.tables "
                + "WHERE table_schema = ? AND table_name = ?", name, table);
        if (((Number) exists.get(0).get(0)).longValue() == 0) {
            return -1;
        }
        return ((Number) rows("SELECT COUNT(*) FROM " + table).get(0).get(0)).longValue();
    }

    @Override
    public void close() {
        try (Connection connection = server(); Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + name);
        } catch (final SQLException e) {
            throw new IllegalStateException("cannot drop test database " + name + ": " + e.getMessage(), e);
        }
    }

    private static Connection server() throws SQLException {
        return DriverManager.getConnection("jdbc:mariadb:" + SERVER, USER, PASSWORD);
    }
}
