package io.stockline.reporting;

import io.stockline.reporting.ReportingRows.StockLevels;
import io.stockline.reporting.ReportingRows.StockMovements;
import io.stockline.reporting.ReportingRows.StockPlaces;
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
 * {@code stock_movements} against its levels (they must sum to them, one movement per version). Per place
 * (location and batch): the SKU's {@code stock_places} rows against the ledger's breakdown by location and
 * batch, their sum against the SKU's {@code stock_levels} row, and the movements at each place against its row.
 * A place with nothing on hand, available or locked is the same as no row for it: the ledger forgets an empty
 * batch, while the table keeps its last row.
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
        final SortedMap<String, SortedMap<PlaceKey, Sums>> places;
        final SortedMap<String, SortedMap<PlaceKey, Sums>> placeMovements;
        try (Connection connection = database.connect()) {
            rows = levels(connection);
            movements = movementSums(connection);
            places = places(connection);
            placeMovements = placeMovementSums(connection);
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
            final SortedMap<PlaceKey, Sums> skuPlaces = places.getOrDefault(sku, new TreeMap<>());
            compareWithLedger(row, skuPlaces, ledgerLevels.get(sku), differences);
            checkInvariants(row, differences);
            checkMovements(row, movements.getOrDefault(sku, Sums.NONE), differences);
            checkPlaces(row, skuPlaces, placeMovements.getOrDefault(sku, new TreeMap<>()), differences);
        }
        return new ReconcileReport(skus.size(), differences);
    }

    /**
     * MySQL against the ledger. A SKU the page did not show, or showed differently, is asked for again on
     * its own ({@code GET /stock/{sku}}), so a page read a moment earlier never makes a difference alone.
     */
    private void compareWithLedger(final Row row, final SortedMap<PlaceKey, Sums> places, final StockView paged,
                                   final List<Difference> differences) {
        StockView level = paged;
        if (level == null || !differences(row, places, level).isEmpty()) {
            level = ledger.stock(row.sku()).orElse(null);
        }
        if (level == null) {
            differences.add(new Difference(row.sku(), "SKU in the ledger", "present in " + Tables.STOCK_LEVELS,
                    "missing (GET /stock/{sku} is 404)"));
            return;
        }
        differences.addAll(differences(row, places, level));
    }

    private static List<Difference> differences(final Row row, final SortedMap<PlaceKey, Sums> places,
                                                final StockView level) {
        final List<Difference> found = new ArrayList<>();
        compare(row.sku(), StockLevels.ON_HAND, row.onHand(), level.onHand(), found);
        compare(row.sku(), StockLevels.AVAILABLE, row.available(), level.available(), found);
        compare(row.sku(), StockLevels.LOCKED, row.locked(), level.locked(), found);
        compare(row.sku(), StockLevels.VERSION, row.version(), level.version(), found);
        if (level.updatedAt() != null && row.updatedAtMillis() / 1_000 != level.updatedAt().toEpochMilli() / 1_000) {
            found.add(new Difference(row.sku(), StockLevels.UPDATED_AT,
                    Instant.ofEpochMilli(row.updatedAtMillis()).toString(), level.updatedAt().toString()));
        }
        final SortedMap<PlaceKey, Sums> ledgerPlaces = ledgerPlaces(level);
        final SortedSet<PlaceKey> keys = new TreeSet<>(places.keySet());
        keys.addAll(ledgerPlaces.keySet());
        for (final PlaceKey place : keys) {
            final Sums mysql = places.getOrDefault(place, Sums.NONE);
            final Sums ledgerPlace = ledgerPlaces.getOrDefault(place, Sums.NONE);
            compare(row.sku(), place.column(StockPlaces.ON_HAND), mysql.onHand(), ledgerPlace.onHand(), found);
            compare(row.sku(), place.column(StockPlaces.AVAILABLE), mysql.available(), ledgerPlace.available(), found);
            compare(row.sku(), place.column(StockPlaces.LOCKED), mysql.locked(), ledgerPlace.locked(), found);
        }
        return found;
    }

    /** The ledger's places of a SKU: each batch, and each location's units outside a batch (its totals less them). */
    private static SortedMap<PlaceKey, Sums> ledgerPlaces(final StockView level) {
        final SortedMap<PlaceKey, Sums> places = new TreeMap<>();
        for (final StockView.Location location : level.locations()) {
            long onHand = location.onHand();
            long available = location.available();
            long locked = location.locked();
            for (final StockView.Batch batch : location.batches()) {
                places.put(new PlaceKey(location.location(), batch.batch()),
                        new Sums(batch.onHand(), batch.available(), batch.locked(), 0));
                onHand -= batch.onHand();
                available -= batch.available();
                locked -= batch.locked();
            }
            places.put(new PlaceKey(location.location(), StockPlaces.NO_BATCH), new Sums(onHand, available, locked, 0));
        }
        return places;
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

    /** The SKU's places sum to its levels, and each place's movements to its row. */
    private static void checkPlaces(final Row row, final SortedMap<PlaceKey, Sums> places,
                                    final SortedMap<PlaceKey, Sums> movements, final List<Difference> differences) {
        final Sums total = places.values().stream().reduce(Sums.NONE, Sums::plus);
        compareSum(row.sku(), "sum(" + Tables.STOCK_PLACES + "." + StockPlaces.ON_HAND + ") = " + StockLevels.ON_HAND,
                total.onHand(), row.onHand(), differences);
        compareSum(row.sku(), "sum(" + Tables.STOCK_PLACES + "." + StockPlaces.AVAILABLE + ") = "
                + StockLevels.AVAILABLE, total.available(), row.available(), differences);
        compareSum(row.sku(), "sum(" + Tables.STOCK_PLACES + "." + StockPlaces.LOCKED + ") = " + StockLevels.LOCKED,
                total.locked(), row.locked(), differences);
        final SortedSet<PlaceKey> keys = new TreeSet<>(places.keySet());
        keys.addAll(movements.keySet());
        for (final PlaceKey place : keys) {
            final Sums placeRow = places.getOrDefault(place, Sums.NONE);
            final Sums sums = movements.getOrDefault(place, Sums.NONE);
            compareSum(row.sku(), "sum(" + StockMovements.ON_HAND_DELTA + ") = " + place.column(StockPlaces.ON_HAND),
                    sums.onHand(), placeRow.onHand(), differences);
            compareSum(row.sku(), "sum(" + StockMovements.AVAILABLE_DELTA + ") = "
                    + place.column(StockPlaces.AVAILABLE), sums.available(), placeRow.available(), differences);
            compareSum(row.sku(), "sum(" + StockMovements.LOCKED_DELTA + ") = " + place.column(StockPlaces.LOCKED),
                    sums.locked(), placeRow.locked(), differences);
        }
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

    /** Each SKU's {@code stock_places} rows, by place. */
    private static SortedMap<String, SortedMap<PlaceKey, Sums>> places(final Connection connection)
            throws SQLException {
        final String sql = "SELECT " + String.join(", ", StockPlaces.SKU, StockPlaces.LOCATION, StockPlaces.BATCH,
                StockPlaces.ON_HAND, StockPlaces.AVAILABLE, StockPlaces.LOCKED) + " FROM " + Tables.STOCK_PLACES;
        return byPlace(connection, sql);
    }

    /**
     * Each SKU's movements summed by place; a movement with no batch is at the place {@code ''}, as in
     * {@code stock_places}.
     */
    private static SortedMap<String, SortedMap<PlaceKey, Sums>> placeMovementSums(final Connection connection)
            throws SQLException {
        final String batch = "COALESCE(" + StockMovements.BATCH + ", '" + StockPlaces.NO_BATCH + "')";
        final String sql = "SELECT " + StockMovements.SKU + ", " + StockMovements.LOCATION + ", " + batch + ", SUM("
                + StockMovements.ON_HAND_DELTA + "), SUM(" + StockMovements.AVAILABLE_DELTA + "), SUM("
                + StockMovements.LOCKED_DELTA + ") FROM " + Tables.STOCK_MOVEMENTS + " GROUP BY "
                + StockMovements.SKU + ", " + StockMovements.LOCATION + ", " + batch;
        return byPlace(connection, sql);
    }

    /** Rows of sku, location, batch, on hand, available, locked. */
    private static SortedMap<String, SortedMap<PlaceKey, Sums>> byPlace(final Connection connection, final String sql)
            throws SQLException {
        final SortedMap<String, SortedMap<PlaceKey, Sums>> places = new TreeMap<>();
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            while (result.next()) {
                places.computeIfAbsent(result.getString(1), sku -> new TreeMap<>()).put(
                        new PlaceKey(result.getString(2), result.getString(3)),
                        new Sums(result.getLong(4), result.getLong(5), result.getLong(6), 0));
            }
        }
        return places;
    }

    /** A location and a batch, {@code ''} for units outside any batch. */
    private record PlaceKey(String location, String batch) implements Comparable<PlaceKey> {

        @Override
        public int compareTo(final PlaceKey other) {
            final int byLocation = location.compareTo(other.location);
            return byLocation != 0 ? byLocation : batch.compareTo(other.batch);
        }

        /** e.g. {@code stock_places[north, B7].available}. */
        String column(final String column) {
            return Tables.STOCK_PLACES + "[" + location + ", " + (batch.isEmpty() ? "no batch" : batch) + "]."
                    + column;
        }
    }

    private record Row(String sku, long onHand, long available, long locked, long version, long updatedAtMillis) {
    }

    private record Sums(long onHand, long available, long locked, long count) {
        static final Sums NONE = new Sums(0, 0, 0, 0);

        Sums plus(final Sums other) {
            return new Sums(onHand + other.onHand, available + other.available, locked + other.locked,
                    count + other.count);
        }
    }
}
