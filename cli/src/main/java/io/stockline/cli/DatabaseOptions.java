package io.stockline.cli;

import io.stockline.app.UserError;
import io.stockline.reporting.SinkDatabase;
import picocli.CommandLine.Option;

/** How the reporting commands reach the MySQL-compatible database: {@code --jdbc-url}, {@code --db-user}, {@code --db-password}. */
final class DatabaseOptions {

    @Option(names = "--jdbc-url", paramLabel = "URL", defaultValue = "${env:STOCKLINE_JDBC_URL}",
            description = "The reporting database, jdbc:mysql://HOST:PORT/DB or jdbc:mariadb://HOST:PORT/DB "
                    + "(env STOCKLINE_JDBC_URL). Required.")
    private String jdbcUrl;

    @Option(names = "--db-user", paramLabel = "USER", defaultValue = "${env:STOCKLINE_DB_USER}",
            description = "The database account (env STOCKLINE_DB_USER). Required.")
    private String user;

    @Option(names = "--db-password", paramLabel = "PASSWORD", defaultValue = "${env:STOCKLINE_DB_PASSWORD}",
            description = "Its password; empty when not given. Prefer the environment variable "
                    + "STOCKLINE_DB_PASSWORD: a flag shows in the process list.")
    private String password;

    SinkDatabase database() {
        if (jdbcUrl == null || jdbcUrl.isBlank()) {
            throw new UserError("missing --jdbc-url (or STOCKLINE_JDBC_URL), e.g. jdbc:mariadb://127.0.0.1:3306/reporting");
        }
        if (user == null || user.isBlank()) {
            throw new UserError("missing --db-user (or STOCKLINE_DB_USER)");
        }
        return new SinkDatabase(jdbcUrl, user, password == null ? "" : password);
    }
}
