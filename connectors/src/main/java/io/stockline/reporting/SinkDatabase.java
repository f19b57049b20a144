package io.stockline.reporting;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Objects;

/**
 * The MySQL-compatible database the reporting tables live in: a {@code jdbc:mysql://} or
 * {@code jdbc:mariadb://} URL naming the database, and the account to use.
 *
 * @param password may be empty, never null
 */
public record SinkDatabase(String jdbcUrl, String user, String password) {

    private static final String MYSQL = "jdbc:mysql:";
    private static final String MARIADB = "jdbc:mariadb:";

    public SinkDatabase {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        if (!jdbcUrl.startsWith(MYSQL) && !jdbcUrl.startsWith(MARIADB)) {
            throw new IllegalArgumentException("the JDBC URL must start with " + MYSQL + "// or " + MARIADB
                    + "//, got " + jdbcUrl);
        }
        if (user.isBlank()) {
            throw new IllegalArgumentException("the database user must not be blank");
        }
    }

    /**
     * The server's product and version, e.g. {@code MariaDB 10.11.19}: proves the database is reachable and
     * the account may use it, before a connector finds out the slow way.
     */
    public String serverVersion() {
        try (Connection connection = connect()) {
            final DatabaseMetaData metadata = connection.getMetaData();
            return metadata.getDatabaseProductName() + " " + metadata.getDatabaseProductVersion();
        } catch (final SQLException e) {
            throw new IllegalStateException("cannot use the database " + jdbcUrl + " as " + user + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * MySQL's driver sees a MariaDB 10 server as MySQL 5.5 (MariaDB announces itself as "5.5.5-10..."), and
     * so drops the fractional seconds of every time it sends: jdbc:mariadb:// keeps them.
     */
    public boolean truncatesTimesOn(final String serverVersion) {
        return jdbcUrl.startsWith(MYSQL) && serverVersion.contains("MariaDB");
    }

    /**
     * The URL the sink connects with: the given one, with {@code nullDatabaseMeansCurrent=true} (both drivers
     * know it). The sink asks the driver's metadata whether its table exists without naming a database, and
     * by default both drivers then answer for every database on the server: another database's
     * {@code stock_levels} would make it skip creating its own, and then fail writing to it.
     */
    public String sinkJdbcUrl() {
        if (jdbcUrl.contains("nullDatabaseMeansCurrent") || jdbcUrl.contains("nullCatalogMeansCurrent")) {
            return jdbcUrl;
        }
        return jdbcUrl + (jdbcUrl.contains("?") ? "&" : "?") + "nullDatabaseMeansCurrent=true";
    }

    /** A new connection; the caller closes it. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, user, password);
    }

    /** Without the password. */
    @Override
    public String toString() {
        return "SinkDatabase[" + jdbcUrl + ", user " + user + "]";
    }
}
